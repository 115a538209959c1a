import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { constructionValidity, evaluateStructures, sampleIndices, structuralValidity, wasserstein1 } from '../src/core/structure/metrics';
import { loadSmactTables } from '../src/core/data/smactTables';
import { loadNbo } from '../src/core/data/structureDatasets';
import type { Mat3, Structure, Vec3 } from '../src/core/structure/types';
import { sharedData } from './helpers/cli';

const hasData = fs.existsSync(path.join(sharedData, 'nbo', 'poscar'));

function site(element: string, frac: Vec3) {
  return { frac, species: [{ element, occupancy: 1 }] };
}

const rockSalt: Structure = { lattice: [[0, 2.1, 2.1], [2.1, 0, 2.1], [2.1, 2.1, 0]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };
const cesiumChloride: Structure = { lattice: [[2.6, 0, 0], [0, 2.6, 0], [0, 0, 2.6]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };

test('wasserstein1 equals scipy.stats.wasserstein_distance', () => {
  // Reference values computed with scipy 1.x.
  assert.ok(Math.abs(wasserstein1([0, 1, 3], [5, 6, 8]) - 5) < 1e-12);
  assert.ok(Math.abs(wasserstein1([1, 2, 2, 3, 7.5], [0.5, 2, 9]) - 1.4666666666666668) < 1e-12);
  assert.equal(wasserstein1([1], [1, 1, 1]), 0);
  assert.ok(Math.abs(wasserstein1([3.1, 2.2, 9.0, 4.4], [4.0]) - 2.025) < 1e-12);
  assert.ok(Number.isNaN(wasserstein1([], [1])));
});

test('construction validity: tiny or flat cells, unknown elements and NaN coordinates fail', () => {
  assert.equal(constructionValidity(rockSalt).valid, true);
  const tiny = { ...rockSalt, lattice: [[0.1, 0, 0], [0, 0.1, 0], [0, 0, 0.1]] as Mat3 };
  assert.match(constructionValidity(tiny).reason ?? '', /volume .* < 0\.1/);
  assert.match(constructionValidity({ ...rockSalt, sites: [site('Xx', [0, 0, 0])] }).reason ?? '', /unknown element "Xx"/);
  assert.match(constructionValidity({ ...rockSalt, sites: [site('Nb', [NaN, 0, 0])] }).reason ?? '', /non-finite/);
});

test('structural validity: 0.5 Å rule over distinct atoms, one-atom cells pass', () => {
  assert.equal(structuralValidity(rockSalt), true);
  assert.equal(structuralValidity({ ...rockSalt, sites: [site('Nb', [0, 0, 0]), site('O', [0.05, 0.05, 0.05])] }), false);
  assert.equal(structuralValidity({ lattice: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], sites: [site('Nb', [0, 0, 0])] }), true);
});

test('evaluateStructures: memorised rock salt is neither unique twice nor novel', () => {
  const generated = [rockSalt, rockSalt, cesiumChloride, { ...rockSalt, sites: [site('Nb', [0, 0, 0]), site('O', [0.01, 0, 0])] }];
  const { metrics, structures } = evaluateStructures(generated, { reference: [rockSalt] });
  assert.equal(metrics.count, 4);
  assert.equal(metrics.constructionValidity, 1);
  assert.equal(metrics.structuralValidity, 0.75);
  assert.equal(metrics.uniqueGroups, 3);
  assert.equal(metrics.uniqueness, 0.75);
  assert.deepEqual(structures.map((s) => s.novel), [false, false, true, true]);
  assert.deepEqual(structures.map((s) => s.unique), [true, false, true, true]);
  assert.equal(metrics.novelty, 0.5);
  assert.equal(metrics.uniqueNovelty, 0.5);
  assert.equal(metrics.stability, 'not computed');
  assert.equal(metrics.emdSampleSize, 3, 'valid ones only (no tables: compositional not checked)');
  assert.equal(metrics.elementCountEMD, 0);
  assert.ok((metrics.densityEMD ?? NaN) > 0);
});

test('sampleIndices is deterministic, without replacement, sorted', () => {
  const s = sampleIndices(100, 10, 3);
  assert.deepEqual(s, sampleIndices(100, 10, 3));
  assert.equal(new Set(s).size, 10);
  assert.deepEqual(s, [...s].sort((x, y) => x - y));
  assert.deepEqual(sampleIndices(3, 10), [0, 1, 2]);
});

test('Nb–O data set: 265 structurally valid, 50 unique groups, nothing novel against itself', { skip: !hasData && 'no shared data' }, () => {
  const set = loadNbo(sharedData).structures.map((s) => s.structure);
  const tables = loadSmactTables(sharedData);
  const { metrics, structures } = evaluateStructures(set, { reference: set, tables });
  assert.equal(structures.filter((s) => !s.structural).length, 2, 'the 0.015 Å and 0.26 Å cells');
  assert.equal(metrics.uniqueGroups, 50, 'pymatgen StructureMatcher finds 50 groups too');
  assert.equal(metrics.novelty, 0);
  assert.equal(metrics.elementCountEMD, 0);
  assert.ok((metrics.compositionalValidity ?? 0) > 0.5);
});
