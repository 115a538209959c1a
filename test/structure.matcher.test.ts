import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isNovel, matchRms, prepareStructure, ReferenceIndex, structuresMatch, uniqueGroups, DEFAULT_MATCHER_OPTIONS } from '../src/core/structure/matcher';
import { loadCdvaeCsv } from '../src/core/data/structureDatasets';
import { sharedData } from './helpers/cli';
import { primitiveStructure, latticeTranslations } from '../src/core/structure/primitive';
import { solveAssignment } from '../src/core/structure/assignment';
import { matMul, volume } from '../src/core/structure/lattice';
import { fracAfterTransform } from '../src/core/structure/niggli';
import type { Mat3, Structure, Vec3 } from '../src/core/structure/types';

function site(element: string, frac: Vec3) {
  return { frac, species: [{ element, occupancy: 1 }] };
}

const a = 4.2;
const rockSalt: Structure = {
  lattice: [[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]],
  sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])],
};
const cesiumChloride: Structure = {
  lattice: [[2.6, 0, 0], [0, 2.6, 0], [0, 0, 2.6]],
  sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])],
};
/** Rutile-like NbO2 (tetragonal, 6 atoms), a less symmetric test case. */
const rutile: Structure = {
  lattice: [[4.85, 0, 0], [0, 4.85, 0], [0, 0, 3.0]],
  sites: [site('Nb', [0, 0, 0]), site('Nb', [0.5, 0.5, 0.5]), site('O', [0.3, 0.3, 0]), site('O', [0.7, 0.7, 0]), site('O', [0.8, 0.2, 0.5]), site('O', [0.2, 0.8, 0.5])],
};

function shifted(s: Structure, t: Vec3): Structure {
  return { ...s, sites: s.sites.map((x) => ({ ...x, frac: [x.frac[0] + t[0], x.frac[1] + t[1], x.frac[2] + t[2]] as Vec3 })) };
}

function inSetting(s: Structure, t: Mat3): Structure {
  const frac = fracAfterTransform(s.sites.map((x) => x.frac), t);
  return { lattice: matMul(t, s.lattice), sites: s.sites.map((x, i) => ({ ...x, frac: frac[i] })) };
}

/** A 2×1×1 (or any diagonal) supercell. */
function supercell(s: Structure, n: Vec3): Structure {
  const sites: Structure['sites'] = [];
  for (let i = 0; i < n[0]; i++) for (let j = 0; j < n[1]; j++) for (let k = 0; k < n[2]; k++) {
    for (const x of s.sites) sites.push({ ...x, frac: [(x.frac[0] + i) / n[0], (x.frac[1] + j) / n[1], (x.frac[2] + k) / n[2]] });
  }
  return { lattice: s.lattice.map((row, r) => row.map((v) => v * n[r])) as Mat3, sites };
}

test('published default tolerances are MatterGen’s', () => {
  assert.deepEqual([DEFAULT_MATCHER_OPTIONS.ltol, DEFAULT_MATCHER_OPTIONS.stol, DEFAULT_MATCHER_OPTIONS.angleTol], [0.2, 0.3, 5]);
});

test('a structure matches itself, shifted in origin, and with atoms listed in another order', () => {
  assert.ok(structuresMatch(rutile, rutile));
  assert.ok(structuresMatch(rutile, shifted(rutile, [0.13, -0.41, 0.77])));
  const permuted = { ...rutile, sites: [rutile.sites[4], rutile.sites[1], rutile.sites[5], rutile.sites[0], rutile.sites[3], rutile.sites[2]] };
  assert.ok(structuresMatch(rutile, permuted));
  assert.ok((matchRms(rutile, shifted(permuted, [0.2, 0.2, 0.2])) ?? 1) < 1e-6);
});

test('a different cell choice of the same lattice matches', () => {
  const other = inSetting(rutile, [[1, 1, 0], [0, 1, 0], [2, 1, 1]]);
  assert.ok(Math.abs(volume(other.lattice) - volume(rutile.lattice)) < 1e-9);
  assert.ok(structuresMatch(rutile, other));
  assert.ok(structuresMatch(rockSalt, inSetting(rockSalt, [[1, 0, 0], [1, 1, 0], [-1, 3, 1]])));
});

test('small strain and small displacements are within tolerance; large ones are not', () => {
  const strained = { ...rutile, lattice: [[4.85 * 1.05, 0, 0], [0.1, 4.85, 0], [0, 0, 3.0 * 0.97]] as Mat3 };
  assert.ok(structuresMatch(rutile, strained));
  const jiggled = { ...rutile, sites: rutile.sites.map((x, i) => ({ ...x, frac: [x.frac[0] + 0.01 * (i % 3), x.frac[1], x.frac[2] - 0.01] as Vec3 })) };
  assert.ok(structuresMatch(rutile, jiggled));
  const squashed = { ...rutile, lattice: [[4.85 * 1.6, 0, 0], [0, 4.85, 0], [0, 0, 3.0]] as Mat3 };
  assert.ok(!structuresMatch(rutile, squashed, { scale: false }));
  const moved = { ...rutile, sites: rutile.sites.map((x, i) => (i === 2 ? { ...x, frac: [0.5, 0.5, 0] as Vec3 } : x)) };
  assert.ok(!structuresMatch(rutile, moved));
});

test('a uniformly larger cell matches when scaling (default) but not without it', () => {
  const bigger = { ...rockSalt, lattice: rockSalt.lattice.map((r) => r.map((x) => x * 1.3)) as Mat3 };
  assert.ok(structuresMatch(rockSalt, bigger));
  assert.ok(!structuresMatch(rockSalt, bigger, { scale: false }));
});

test('rock-salt NbO and CsCl NbO differ; so do different species', () => {
  assert.ok(!structuresMatch(rockSalt, cesiumChloride));
  const tiO = { ...rockSalt, sites: [site('Ti', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };
  assert.ok(!structuresMatch(rockSalt, tiO));
});

test('a supercell matches its primitive cell', () => {
  const big = supercell(rockSalt, [2, 1, 3]);
  assert.equal(latticeTranslations(big).length, 6);
  const prim = primitiveStructure(big);
  assert.equal(prim.sites.length, 2);
  assert.ok(Math.abs(volume(prim.lattice) - volume(rockSalt.lattice)) < 1e-9);
  assert.ok(structuresMatch(rockSalt, big));
  // The conventional 8-atom rock-salt cube is the same crystal as the 2-atom primitive cell.
  const cube: Structure = {
    lattice: [[a, 0, 0], [0, a, 0], [0, 0, a]],
    sites: [
      site('Nb', [0, 0, 0]), site('Nb', [0.5, 0.5, 0]), site('Nb', [0.5, 0, 0.5]), site('Nb', [0, 0.5, 0.5]),
      site('O', [0.5, 0.5, 0.5]), site('O', [0, 0, 0.5]), site('O', [0, 0.5, 0]), site('O', [0.5, 0, 0]),
    ],
  };
  assert.ok(structuresMatch(cube, rockSalt));
  assert.ok(!structuresMatch(cube, cesiumChloride));
});

test('uniqueGroups groups equivalent structures, first member first; novelty against a reference', () => {
  const list = [rockSalt, cesiumChloride, shifted(rockSalt, [0.3, 0.1, 0.2]), rutile, supercell(cesiumChloride, [1, 2, 1])];
  assert.deepEqual(uniqueGroups(list), [[0, 2], [1, 4], [3]]);
  const reference = new ReferenceIndex([rockSalt, rutile]);
  assert.equal(isNovel(shifted(rockSalt, [0.5, 0, 0]), reference), false, 'memorised rock salt is not novel');
  assert.equal(isNovel(cesiumChloride, reference), true);
  assert.equal(isNovel(cesiumChloride, [cesiumChloride]), false);
});

test('assignment solver finds the minimum-cost matching and reports impossible ones', () => {
  const r = solveAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]);
  assert.equal(r.cost, 5);
  assert.deepEqual(r.column, [1, 0, 2]);
  assert.equal(solveAssignment([[1, Infinity], [2, Infinity]]).cost, Infinity);
});

test('Carbon-24: approximate translations still give the 2-atom primitive cell; pymatgen-matched pairs match', { skip: !fs.existsSync(path.join(sharedData, 'structures', 'carbon_24')) && 'no shared data' }, () => {
  const set = loadCdvaeCsv(sharedData, 'carbon-24', 'val');
  const byId = new Map(set.structures.map((s) => [s.id, s.structure]));
  const get = (id: string): Structure => {
    const s = byId.get(id);
    assert.ok(s, id);
    return s;
  };
  // pymatgen's get_primitive_structure() gives 2 atoms for each of these 8-, 6- and 10-atom cells.
  for (const id of ['C-106861-4375-51', 'C-189703-1540-33', 'C-41294-4189-42', 'C-134187-5202-54']) {
    assert.equal(prepareStructure(get(id)).reduced.sites.length, 2, id);
  }
  // Pairs pymatgen's StructureMatcher (ltol 0.2, stol 0.3, angle_tol 5) matches.
  assert.ok(structuresMatch(get('C-134187-5202-54'), get('C-106861-4375-51')));
  assert.ok(structuresMatch(get('C-47640-4572-46'), get('C-41294-4189-42')));
});
