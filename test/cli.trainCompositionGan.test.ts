import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-cgan-'));

function tinyData(dir: string): string {
  const file = path.join(dir, 'formulas.csv');
  const rows = ['Li', 'Na', 'K', 'Mg', 'Ca', 'Fe'].flatMap((c, i) => ['O', 'S', 'F', 'Cl'].map((a, j) => `${c}${1 + ((i + j) % 3)}${a}${1 + (j % 2)}`));
  fs.writeFileSync(file, ['formula', ...rows, 'Ba0.5Sr0.5TiO3'].join('\n') + '\n');
  return file;
}

test('train-composition-gan runs, prints only the run folder on stdout and reports progress on stderr', () => {
  const dir = tempDir();
  const out = path.join(dir, 'run');
  const r = runCli(['train-composition-gan', '--data', tinyData(dir), '--out', out, '--batch-size', '8', '--max-steps', '2', '--log-every', '1', '--backend', 'wasm', '--seed', '4']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  assert.match(r.stderr, /backend: wasm/);
  assert.match(r.stderr, /skipped 1 of 25 rows .*line 26/);
  const info = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8'));
  assert.equal(info.status, 'completed');
  assert.equal(info.kind, 'composition-gan');
  assert.equal(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 2);
  assert.ok(fs.existsSync(path.join(out, 'embeddings.json')));
  assert.ok(fs.existsSync(path.join(out, 'generator', 'model.json')));
});

test('the default runs root is $CRYSTAL_GAN_RUNS', () => {
  const dir = tempDir();
  const runs = path.join(dir, 'my-runs');
  const r = runCli(['train-composition-gan', '--data', tinyData(dir), '--batch-size', '8', '--max-steps', '1', '--backend', 'wasm'], { env: { CRYSTAL_GAN_RUNS: runs } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(path.dirname(r.stdout.trim()), runs);
  assert.match(path.basename(r.stdout.trim()), /^composition-gan-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
});

test('bad flags are usage errors (exit 2) and bad input is exit 1, both without a stack trace', () => {
  const dir = tempDir();
  const usage = runCli(['train-composition-gan', '--batch-size', 'many']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--batch-size must be a whole number/);
  const backend = runCli(['train-composition-gan', '--backend', 'gpu']);
  assert.equal(backend.code, 2);
  assert.match(backend.stderr, /--backend must be auto, tensorflow-gpu, tensorflow, wasm or cpu/);
  const both = runCli(['train-composition-gan', '--out', dir, '--resume', dir]);
  assert.equal(both.code, 2);
  const missing = runCli(['train-composition-gan', '--data', path.join(dir, 'none.csv'), '--out', path.join(dir, 'r1'), '--backend', 'cpu']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /none\.csv does not exist/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'name\nFe2O3\n');
  const noColumn = runCli(['train-composition-gan', '--data', bad, '--out', path.join(dir, 'r2'), '--backend', 'cpu']);
  assert.equal(noColumn.code, 1);
  assert.match(noColumn.stderr, /bad\.csv:1: no `formula` column/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'r2', 'run.json'), 'utf8')).status, 'failed');
  const notARun = runCli(['train-composition-gan', '--resume', path.join(dir, 'nothing-here')]);
  assert.equal(notARun.code, 1);
  assert.match(notARun.stderr, /--resume .*nothing-here/);
});
