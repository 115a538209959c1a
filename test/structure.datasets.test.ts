import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkNboAgainstJson, loadCdvaeCsv, loadCifCsv, loadNbo, loadReference, loadStructureFolder } from '../src/core/data/structureDatasets';
import { writeCif } from '../src/core/cif/writer';
import { writePoscar } from '../src/core/structure/poscar';
import { reducedFormula } from '../src/core/structure/composition';
import { density } from '../src/core/structure/distances';
import { volume } from '../src/core/structure/lattice';
import type { Structure } from '../src/core/structure/types';
import { sharedData } from './helpers/cli';

const hasData = fs.existsSync(path.join(sharedData, 'structures')) && fs.existsSync(path.join(sharedData, 'nbo'));
const rockSalt: Structure = {
  lattice: [[0, 2.1, 2.1], [2.1, 0, 2.1], [2.1, 2.1, 0]],
  sites: [{ frac: [0, 0, 0], species: [{ element: 'Nb', occupancy: 1 }] }, { frac: [0.5, 0.5, 0.5], species: [{ element: 'O', occupancy: 1 }] }],
};

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-structures-'));
}

test('loadNbo reads all 267 POSCARs and agrees with nbo_structures.json', { skip: !hasData && 'no shared data' }, () => {
  const set = loadNbo(sharedData);
  assert.equal(set.structures.length, 267);
  assert.deepEqual(set.skipped, []);
  assert.equal(set.structures[0].id, '2921/48375');
  assert.deepEqual(checkNboAgainstJson(sharedData, set), []);
});

// First and last rows, as pymatgen 2022.11 reads them (reduced formula, sites, volume, density).
const PYMATGEN_ROWS = [
  { set: 'perov-5', split: 'test', index: 0, id: '3961', formula: 'TiOsNOF', natoms: 5, volume: 66.741681, density: 7.143111 },
  { set: 'perov-5', split: 'test', index: 3784, id: '5807', formula: 'KAsN2O', natoms: 5, volume: 78.615437, density: 3.338015 },
  { set: 'carbon-24', split: 'val', index: 0, id: 'C-148264-7891-51', formula: 'C', natoms: 8, volume: 46.312145, density: 3.445185 },
  { set: 'carbon-24', split: 'val', index: 2031, id: 'C-126149-3704-40', formula: 'C', natoms: 6, volume: 36.249489, density: 3.301162 },
  { set: 'mp-20', split: 'test', index: 0, id: 'mp-10009', formula: 'GaTe', natoms: 8, volume: 272.783745, density: 4.804723 },
  { set: 'mp-20', split: 'test', index: 141, id: 'mp-1183366', formula: 'BaCd3', natoms: 8, volume: 257.92923, density: 6.1104 },
] as const;

test('CDVAE CSVs: row counts and structures agree with pymatgen', { skip: !hasData && 'no shared data' }, () => {
  const counts = { 'perov-5:test': 3785, 'carbon-24:val': 2032, 'mp-20:test': 142 } as Record<string, number>;
  const loaded = new Map<string, ReturnType<typeof loadCdvaeCsv>>();
  for (const key of Object.keys(counts)) {
    const [name, split] = key.split(':') as ['perov-5' | 'carbon-24' | 'mp-20', 'test' | 'val'];
    const set = loadCdvaeCsv(sharedData, name, split);
    assert.equal(set.structures.length, counts[key], key);
    assert.deepEqual(set.skipped, [], key);
    loaded.set(key, set);
  }
  for (const row of PYMATGEN_ROWS) {
    const item = loaded.get(`${row.set}:${row.split}`)?.structures[row.index];
    assert.ok(item, `${row.set} ${row.index}`);
    assert.equal(item.id, row.id);
    assert.equal(reducedFormula(item.structure), row.formula);
    assert.equal(item.structure.sites.length, row.natoms);
    assert.ok(Math.abs(volume(item.structure.lattice) - row.volume) < 1e-4, row.id);
    assert.ok(Math.abs(density(item.structure) - row.density) < 1e-3, row.id);
  }
  assert.throws(() => loadCdvaeCsv(sharedData, 'perov-5', 'train'), /no train split here/);
});

test('a CSV row whose CIF cannot be built is skipped with its file and line', () => {
  const dir = tempDir();
  const file = path.join(dir, 'mini.csv');
  const good = writeCif(rockSalt).replace(/"/g, '""');
  fs.writeFileSync(file, `,material_id,cif\n0,ok-1,"${good}"\n1,bad-1,"data_broken\n_cell_length_a 4\nloop_\n_atom_site_label\n_atom_site_fract_x\nNb1 0\n"\n2,empty,""\n`);
  const set = loadCifCsv(file);
  assert.deepEqual(set.structures.map((s) => s.id), ['ok-1']);
  assert.equal(set.skipped.length, 2);
  const goodLines = good.split('\n').length;
  assert.ok(set.skipped[0].line >= 2 + goodLines - 1, `line ${set.skipped[0].line} is inside the bad row`);
  assert.equal(set.skipped[0].file, file);
  assert.match(set.skipped[1].reason, /empty cif field/);
  assert.throws(() => loadCifCsv(path.join(dir, 'missing.csv')));
});

test('loadStructureFolder reads .cif and POSCAR files, reports broken ones, ignores others', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.cif'), writeCif(rockSalt));
  fs.writeFileSync(path.join(dir, 'b.vasp'), writePoscar(rockSalt));
  fs.writeFileSync(path.join(dir, 'POSCAR'), writePoscar(rockSalt));
  fs.writeFileSync(path.join(dir, 'c.vasp'), 'broken\n1.0\n1 0 0\n');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a structure');
  const set = loadStructureFolder(dir);
  assert.deepEqual(set.structures.map((s) => s.id).sort(), ['POSCAR', 'a.cif', 'b.vasp']);
  assert.equal(set.skipped.length, 1);
  assert.match(`${set.skipped[0].file}:${set.skipped[0].line}: ${set.skipped[0].reason}`, /c\.vasp:3: the file ends before lattice vector b/);
  for (const s of set.structures) assert.equal(reducedFormula(s.structure), 'NbO');
});

test('loadReference: named sets, splits, paths, and a clear error for anything else', { skip: !hasData && 'no shared data' }, () => {
  assert.equal(loadReference('mp-20:test', () => sharedData).structures.length, 142);
  assert.equal(loadReference('nbo', () => sharedData).structures.length, 267);
  assert.throws(() => loadReference('perov-6', () => sharedData), /neither a known set/);
});
