// `crystal-gan parse-cif` end to end through the built bundle (run `npm run build` first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';
import { OVERFULL, overfullBlock } from './fixtures/cif/overfull';

const samples = path.join(sharedData, 'cif-samples');
const broken = path.join(__dirname, 'fixtures', 'cif', 'broken');

test('--json prints one object per data block per line, with the contract fields', () => {
  const r = runCli(['parse-cif', '--json', path.join(samples, 'amcsd__two-data-blocks.cif'), path.join(samples, 'icsd-style__calcite-18166.cif')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l.block), ['global_00001', 'global_00002', '18166-ICSD']);
  const calcite = lines[2];
  assert.deepEqual(Object.keys(calcite), ['file', 'block', 'elements', 'reduced', 'cell', 'volume', 'sites', 'spaceGroup', 'diagnostics']);
  assert.deepEqual(calcite.elements, { Ca: 6, C: 6, O: 18 });
  assert.equal(calcite.reduced, 'CaCO3');
  assert.deepEqual(calcite.cell, { a: 4.99, b: 4.99, c: 17.002, alpha: 90, beta: 90, gamma: 120 });
  assert.equal(calcite.sites, 30);
  assert.equal(calcite.spaceGroup, 'R -3 c H');
  assert.ok(Math.abs((calcite.volume as number) - 366.633) < 1e-3);
});

test('every sample is valid: exit 0, readable table', () => {
  const r = runCli(['parse-cif', ...fs.readdirSync(samples).filter((f) => f.endsWith('.cif')).map((f) => path.join(samples, f))]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^file\s+block\s+formula\s+sites/m);
  assert.match(r.stdout, /pymatgen__Ta0\.67Cr1\.33O4_disordered_mattergen\.cif\s+Ta0\.66666667Cr1\.33333333O4\s+Ta0\.66666667Cr1\.33333333O4\s+6\b/);
});

test('an invalid file: exit 1, diagnostics with 1-based line and column, no stack trace', () => {
  const r = runCli(['parse-cif', '--json', path.join(broken, 'loop-value-count.cif')]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout.trim()) as { diagnostics: { severity: string; line: number; column: number; code: string }[] };
  const d = out.diagnostics.find((x) => x.code === 'loop-value-count');
  assert.deepEqual(d && [d.severity, d.line, d.column], ['error', 14, 1]);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('the table view prints file:line:column diagnostics', () => {
  const r = runCli(['parse-cif', path.join(broken, 'coordinate-missing.cif')]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /coordinate-missing\.cif:13:7: error: Fractional coordinate y is '\?'/);
});

test('unreadable files and files without a data block give exit 1', () => {
  const missing = runCli(['parse-cif', path.join(os.tmpdir(), 'no-such-file.cif')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read .*no-such-file\.cif: no such file/);
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-cif-')), 'empty.cif');
  fs.writeFileSync(empty, '# nothing here\n');
  const r = runCli(['parse-cif', '--json', empty]);
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics[0].code, 'no-data-block');
});

test('usage errors exit 2', () => {
  assert.equal(runCli(['parse-cif']).code, 2);
  assert.equal(runCli(['parse-cif', '--bogus', 'x.cif']).code, 2);
});

test('--all lists every repeated per-row problem; without it the first 200 and one summary', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-parse-cif-all-'));
  const file = path.join(dir, 'overfull.cif');
  fs.writeFileSync(file, overfullBlock('overfull', 300));
  const overfull = (args: string[]): Array<{ message: string }> => {
    const r = runCli(['parse-cif', '--json', ...args, file]);
    const block = JSON.parse(r.stdout.trim().split('\n')[0]) as { diagnostics: Array<{ code: string; message: string }> };
    return block.diagnostics.filter((d) => d.code === OVERFULL);
  };
  const capped = overfull([]);
  assert.equal(capped.length, 201);
  assert.equal(capped.filter((d) => /… and 100 more sites/.test(d.message)).length, 1);
  assert.equal(overfull(['--all']).length, 300);
  fs.rmSync(dir, { recursive: true, force: true });
});
