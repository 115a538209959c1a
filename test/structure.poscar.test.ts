import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePoscar, PoscarParseError, writePoscar } from '../src/core/structure/poscar';
import { fracToCart, volume } from '../src/core/structure/lattice';
import { minPairDistance } from '../src/core/structure/distances';
import { sharedData } from './helpers/cli';

const NB4O6 = `Nb O
1.0
  5.251386067524   0.000000000000   0.000000000000
  0.000000000000   2.991164507000   0.000000000000
 -1.371058937033   0.000000000000   7.768108869678
Nb O
1 2
Direct
  0.3 0.25 0.02
  0.8 0.75 0.36
  0.1 0.25 0.64
`;

function expectError(text: string, line: number, pattern: RegExp, column?: number): void {
  assert.throws(
    () => parsePoscar(text, 'bad.vasp'),
    (e: unknown) => {
      assert.ok(e instanceof PoscarParseError, String(e));
      assert.equal(e.line, line, e.message);
      if (column !== undefined) assert.equal(e.column, column, e.message);
      assert.match(e.message, /^bad\.vasp:\d+:\d+: /);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('VASP 5 Direct: lattice, species in order, coordinates as written', () => {
  const s = parsePoscar(NB4O6, 'x.vasp');
  assert.equal(s.sites.length, 3);
  assert.deepEqual(s.sites.map((x) => x.species[0].element), ['Nb', 'O', 'O']);
  assert.deepEqual(s.sites[1].frac, [0.8, 0.75, 0.36]);
  assert.equal(s.lattice[2][0], -1.371058937033);
  assert.match(s.source ?? '', /x\.vasp/);
});

test('Cartesian coordinates and a scale factor give the same structure as Direct', () => {
  const cart = `cubic\n2.0\n2 0 0\n0 2 0\n0 0 2\nNb O\n1 1\nCartesian\n0 0 0\n1 1 1\n`;
  const s = parsePoscar(cart);
  assert.deepEqual(s.lattice, [[4, 0, 0], [0, 4, 0], [0, 0, 4]]);
  s.sites[1].frac.forEach((x) => assert.ok(Math.abs(x - 0.5) < 1e-12));
});

test('a negative scale factor is the cell volume', () => {
  const s = parsePoscar(`v\n-27\n1 0 0\n0 1 0\n0 0 1\nNb\n1\nDirect\n0 0 0\n`);
  assert.ok(Math.abs(volume(s.lattice) - 27) < 1e-9);
  const c = parsePoscar(`v\n-27\n1 0 0\n0 1 0\n0 0 1\nNb O\n1 1\nCartesian\n0 0 0\n0.5 0.5 0.5\n`);
  c.sites[1].frac.forEach((x) => assert.ok(Math.abs(x - 0.5) < 1e-12), 'Cartesian positions are scaled too');
});

test('selective dynamics flags and POTCAR-suffixed symbols are accepted', () => {
  const s = parsePoscar(`sd\n1\n3 0 0\n0 3 0\n0 0 3\nNb_pv O\n1 1\nSelective dynamics\nDirect\n0 0 0 T T F\n0.5 0.5 0.5 F F F\n`);
  assert.deepEqual(s.sites.map((x) => x.species[0].element), ['Nb', 'O']);
});

test('VASP 4 (no element line) is refused with a fix', () => {
  expectError(`old\n1\n3 0 0\n0 3 0\n0 0 3\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n`, 6, /VASP 4 .*Insert a line with the element symbols/);
});

test('positioned errors: bad number, unknown element, count mismatch, truncated file, bad mode', () => {
  expectError(NB4O6.replace('2.991164507000', '2.99x'), 4, /component 2 of lattice vector b, found "2\.99x"/, 20);
  expectError(NB4O6.replace('Nb O\n1 2', 'Nb Xx\n1 2'), 6, /"Xx" is not an element symbol/, 4);
  expectError(NB4O6.replace('1 2\n', '1 2 3\n'), 7, /expected 2 atom counts/);
  expectError(NB4O6.split('\n').slice(0, 10).join('\n'), 10, /ends before the coordinates of atom 3 of 3/);
  expectError(NB4O6.replace('Direct', 'Fractional'), 8, /expected "Direct" or "Cartesian"/);
  expectError(NB4O6.replace('0.8 0.75 0.36', '0.8 0.75'), 10, /coordinate z of atom 2/);
  expectError('only a comment\n', 1, /ends before the scale factor/);
});

test('writePoscar round-trips, grouping sites by element', () => {
  const s = parsePoscar(NB4O6);
  const shuffled = { ...s, sites: [s.sites[1], s.sites[0], s.sites[2]] };
  const text = writePoscar(shuffled, 'round trip');
  const back = parsePoscar(text);
  assert.deepEqual(back.sites.map((x) => x.species[0].element), ['O', 'O', 'Nb']);
  back.lattice.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - s.lattice[i][j]) < 1e-11)));
  assert.ok(Math.abs(minPairDistance(back) - minPairDistance(s)) < 1e-9);
  assert.throws(() => writePoscar({ ...s, sites: [{ frac: [0, 0, 0], species: [{ element: 'Nb', occupancy: 0.5 }] }] }), /disordered/);
});

interface NboEntry {
  entry_id: number;
  structure_id: number;
  lattice: number[][];
  species: string[];
  frac_coords: number[][];
  volume: number;
  min_pbc_distance: number;
}

test('all 267 Nb–O POSCARs match nbo_structures.json (lattice, species, coordinates, volume, min distance)', (t) => {
  const jsonPath = path.join(sharedData, 'nbo', 'nbo_structures.json');
  if (!fs.existsSync(jsonPath)) return t.skip('shared data not present');
  const entries = (JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { structures: NboEntry[] }).structures;
  assert.equal(entries.length, 267);
  for (const e of entries) {
    const file = path.join(sharedData, 'nbo', 'poscar', String(e.entry_id), `${e.structure_id}.vasp`);
    const s = parsePoscar(fs.readFileSync(file, 'utf8'), file);
    const where = `${e.entry_id}/${e.structure_id}`;
    s.lattice.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - e.lattice[i][j]) < 1e-6, where)));
    assert.deepEqual(s.sites.map((x) => x.species[0].element), e.species, where);
    s.sites.forEach((x, i) => {
      const a = fracToCart(s.lattice, x.frac);
      const b = fracToCart(s.lattice, e.frac_coords[i] as [number, number, number]);
      assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) < 1e-6, where);
    });
    assert.ok(Math.abs(volume(s.lattice) - e.volume) < 1e-4, where);
    assert.ok(Math.abs(minPairDistance(s) - e.min_pbc_distance) < 1e-4, where);
  }
});
