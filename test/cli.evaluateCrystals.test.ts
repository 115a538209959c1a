import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';
import { writePoscar } from '../src/core/structure/poscar';
import { writeCif } from '../src/core/cif/writer';
import type { Structure, Vec3 } from '../src/core/structure/types';

const hasData = fs.existsSync(path.join(sharedData, 'nbo', 'poscar'));

function site(element: string, frac: Vec3) {
  return { frac, species: [{ element, occupancy: 1 }] };
}

const rockSalt: Structure = { lattice: [[0, 2.1, 2.1], [2.1, 0, 2.1], [2.1, 2.1, 0]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };
const rockSaltShifted: Structure = { ...rockSalt, sites: [site('Nb', [0.25, 0.25, 0.25]), site('O', [0.75, 0.75, 0.75])] };
const cesiumChloride: Structure = { lattice: [[2.6, 0, 0], [0, 2.6, 0], [0, 0, 2.6]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };
const collapsed: Structure = { lattice: [[3, 0, 0], [0, 3, 0], [0, 0, 3]], sites: [site('Nb', [0, 0, 0]), site('O', [0.05, 0, 0])] };

interface EvaluateJson {
  metrics: { count: number; structuralValidity: number; uniqueness: number; uniqueGroups: number; novelty?: number; compositionalValidity?: number; densityEMD?: number; stability: string };
  structures: { id: string; unique: boolean; novel?: boolean; structural: boolean; groupOf: string; minDistance: number | null }[];
  skipped: { file: string; line: number; reason: string }[];
}

function generatedDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-eval-'));
  fs.writeFileSync(path.join(dir, '1-rocksalt.vasp'), writePoscar(rockSalt));
  fs.writeFileSync(path.join(dir, '2-rocksalt-shifted.cif'), writeCif(rockSaltShifted));
  fs.writeFileSync(path.join(dir, '3-cscl.cif'), writeCif(cesiumChloride));
  fs.writeFileSync(path.join(dir, '4-collapsed.vasp'), writePoscar(collapsed));
  fs.writeFileSync(path.join(dir, '5-broken.cif'), 'data_x\n_cell_length_a 3\n');
  return dir;
}

test('evaluate-crystals --json: validity, uniqueness, novelty against a reference folder, skipped files', () => {
  const dir = generatedDir();
  const reference = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-ref-'));
  fs.writeFileSync(path.join(reference, 'POSCAR'), writePoscar(rockSalt));
  const r = runCli(['evaluate-crystals', dir, '--reference', reference, '--json', '--data', sharedData]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as EvaluateJson;
  assert.equal(out.metrics.count, 4);
  assert.equal(out.metrics.structuralValidity, 0.75);
  assert.equal(out.metrics.uniqueGroups, 3);
  assert.equal(out.metrics.uniqueness, 0.75);
  assert.equal(out.metrics.novelty, 0.5);
  assert.equal(out.metrics.stability, 'not computed');
  assert.deepEqual(out.structures.map((s) => s.unique), [true, false, true, true]);
  assert.equal(out.structures[1].groupOf, '1-rocksalt.vasp');
  assert.deepEqual(out.structures.map((s) => s.novel), [false, false, true, true]);
  assert.equal(out.skipped.length, 1);
  assert.match(out.skipped[0].file, /5-broken\.cif$/);
  if (hasData) assert.equal(out.metrics.compositionalValidity, 1, 'NbO is charge-balanced');
});

test('evaluate-crystals prints a table and a summary naming the tolerances', () => {
  const r = runCli(['evaluate-crystals', generatedDir(), '--no-composition']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^structure\s+formula\s+natoms/m);
  assert.match(r.stdout, /^4-collapsed\.vasp\s+NbO\s+2\s.*\sno\s/m);
  assert.match(r.stdout, /structural validity .*: 75\.00 %/);
  assert.match(r.stdout, /compositional validity .*: not computed/);
  assert.match(r.stdout, /matcher: ltol 0\.2, stol 0\.3, angle_tol 5°/);
  assert.match(r.stdout, /novelty and EMDs: need --reference/);
  assert.match(r.stdout, /skipped files\/blocks: 1\n {2}.*5-broken\.cif:\d+: /);
  assert.doesNotMatch(r.stdout, /by composition/);
});

test('evaluate-crystals --by-composition breaks samples, unique ones and volume per atom down by formula and size', () => {
  const r = runCli(['evaluate-crystals', generatedDir(), '--no-composition', '--by-composition']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /by composition \(volume per atom in Å³\):\ncomposition\s+samples\s+unique/);
  assert.match(r.stdout, /^NbO \(2 atoms\)\s+\d+\s+\d+\s+[\d.]+/m);
  const json = runCli(['evaluate-crystals', generatedDir(), '--no-composition', '--by-composition', '--json']);
  const rows = JSON.parse(json.stdout).byComposition as { key: string; samples: number }[];
  assert.ok(rows.some((row) => row.key === 'NbO (2 atoms)' && row.samples >= 1));
});

test('evaluate-crystals against the Nb–O set: copies of training structures are not novel', { skip: !hasData && 'no shared data' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-eval-nbo-'));
  for (const f of ['2921/48375', '1442558/5675397']) fs.copyFileSync(path.join(sharedData, 'nbo', 'poscar', `${f}.vasp`), path.join(dir, `${path.basename(f)}.vasp`));
  fs.writeFileSync(path.join(dir, 'cscl.vasp'), writePoscar(cesiumChloride));
  const r = runCli(['evaluate-crystals', dir, '--reference', 'nbo', '--json', '--data', sharedData]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as EvaluateJson;
  assert.deepEqual(out.structures.map((s) => s.novel), [false, false, false], 'CsCl NbO is among the 267 too');
  assert.equal(out.metrics.novelty, 0);
  assert.ok((out.metrics.densityEMD ?? NaN) >= 0);
});

test('evaluate-crystals: missing folder, empty folder and unknown reference exit 1 without a stack trace', () => {
  const missing = runCli(['evaluate-crystals', '/nonexistent/generated']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\/nonexistent\/generated does not exist/);
  const empty = runCli(['evaluate-crystals', fs.mkdtempSync(path.join(os.tmpdir(), 'cg-empty-'))]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /holds no \.cif/);
  const badRef = runCli(['evaluate-crystals', generatedDir(), '--reference', 'perov-6', '--no-composition']);
  assert.equal(badRef.code, 1);
  assert.match(badRef.stderr, /--reference perov-6: .*neither a known set/);
  for (const r of [missing, empty, badRef]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  const usage = runCli(['evaluate-crystals']);
  assert.equal(usage.code, 2);
});
