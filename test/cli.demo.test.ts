import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';

const hasData = fs.existsSync(path.join(sharedData, 'nbo', 'poscar'));

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-demo-'));
}

test('demo tabulates all 267 Nb–O structures, flags the broken ones and agrees with pymatgen', { skip: !hasData && 'no shared data' }, () => {
  const r = runCli(['demo', '--data', sharedData]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^\d+\/\d+\.vasp\s/.test(l));
  assert.equal(rows.length, 267);
  assert.match(r.stdout, /267 parsed, 0 skipped/);
  assert.match(r.stdout, /Per composition \(11\): NbO 73, NbO2 49, Nb2O5 36, Nb2O3 23, Nb3O 20, NbO3 20, Nb4O5 14, Nb2O 11, Nb4O7 10, NbO4 10, NbO8 1/);
  assert.match(r.stdout, /Broken structures \(min distance < 0\.5 Å\): 2\n {2}1338392\/5147881\.vasp .* 0\.0147 Å.*\n {2}1441033\/5697482\.vasp .* 0\.2590 Å/);
  assert.match(r.stdout, /1441200\/5697122\.vasp {2}NbO2 {2}0\.9524 Å/);
  assert.match(r.stdout, /267 of 267 agree/);

  // Every printed volume and min distance matches nbo_structures.json at the printed precision.
  const json = JSON.parse(fs.readFileSync(path.join(sharedData, 'nbo', 'nbo_structures.json'), 'utf8')) as {
    structures: { entry_id: number; structure_id: number; volume: number; min_pbc_distance: number; natoms: number; reduced_formula: string }[];
  };
  const byId = new Map(json.structures.map((s) => [`${s.entry_id}/${s.structure_id}.vasp`, s]));
  for (const row of rows) {
    const cells = row.split(/\s+/);
    const e = byId.get(cells[0]);
    assert.ok(e, cells[0]);
    assert.equal(cells[1], e.reduced_formula);
    assert.equal(Number(cells[2]), e.natoms);
    assert.ok(Math.abs(Number(cells[9]) - e.volume) <= 0.0006, row);
    assert.ok(Math.abs(Number(cells[10]) - e.min_pbc_distance) <= 0.00006, row);
  }
});

test('demo reports an unreadable POSCAR with file and line and goes on', () => {
  const dir = tempDataDir();
  const entry = path.join(dir, 'nbo', 'poscar', '1');
  fs.mkdirSync(entry, { recursive: true });
  fs.writeFileSync(path.join(entry, '10.vasp'), 'rock salt\n1.0\n0 2.1 2.1\n2.1 0 2.1\n2.1 2.1 0\nNb O\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n');
  fs.writeFileSync(path.join(entry, '11.vasp'), 'vasp4\n1.0\n3 0 0\n0 3 0\n0 0 3\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n');
  const r = runCli(['demo', '--data', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 parsed, 1 skipped/);
  assert.match(r.stdout, /^1\/10\.vasp\s+NbO\s+2\s/m);
  assert.match(r.stdout, /Skipped files: 1\n {2}.*11\.vasp:6: this is a VASP 4 POSCAR/);
  assert.match(r.stderr, /cross-check skipped/);
});

test('demo on a data directory without Nb–O POSCARs exits 1 with a clear message', () => {
  const dir = tempDataDir();
  fs.mkdirSync(path.join(dir, 'composition'));
  const r = runCli(['demo', '--data', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nbo\/poscar does not exist/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('demo --data with a folder that does not exist is an error, not a silent fallback', () => {
  const r = runCli(['demo', '--data', '/nonexistent/data']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--data \/nonexistent\/data: does not exist/);
});
