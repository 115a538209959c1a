import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';
import { parseCsv } from '../src/core/data/csv';

const env = { CRYSTAL_GAN_DATA: sharedData };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-featurize-'));
}

function writeInput(dir: string, formulas: string[]): string {
  const file = path.join(dir, 'in.csv');
  fs.writeFileSync(file, ['formula,target', ...formulas.map((f) => `"${f}",1`)].join('\n') + '\n');
  return file;
}

test('featurize onehot: header, rows in input order, error rows, exit 1 when a row fails', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.csv');
  const r = runCli(['featurize', '--featurizer', 'onehot', '--input', writeInput(dir, ['Fe2O3', 'Xx2', 'NaCl', 'KrF2']), '--out', out], { env });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /2 of 4 rows featurized/);
  const table = parseCsv(fs.readFileSync(out, 'utf8'));
  assert.equal(table.columns.length, 1 + 85 + 1);
  assert.equal(table.columns[0], 'formula');
  assert.equal(table.columns[86], 'error');
  assert.deepEqual(table.records.map((rec) => rec.values.formula), ['Fe2O3', 'Xx2', 'NaCl', 'KrF2']);
  const [fe2o3, xx, , krf2] = table.records.map((rec) => rec.values);
  assert.equal(fe2o3['amount Fe'], '2');
  assert.equal(fe2o3['amount O'], '3');
  assert.equal(fe2o3.error, '');
  assert.match(xx.error, /unknown element symbol 'Xx'/);
  assert.equal(xx['amount H'], '');
  assert.match(krf2.error, /element Kr/);
});

test('featurize magpie: 132 labelled features, exit 0 when every row works', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.csv');
  const r = runCli(['featurize', '--featurizer', 'magpie', '--input', writeInput(dir, ['SiO2', 'Ba0.4K0.6Fe2As2']), '--out', out], { env });
  assert.equal(r.code, 0, r.stderr);
  const table = parseCsv(fs.readFileSync(out, 'utf8'));
  assert.equal(table.columns.length, 134);
  assert.equal(table.columns[1], 'MagpieData minimum Number');
  assert.equal(Number(table.records[0].values['MagpieData maximum Number']), 14);
  assert.equal(Number(table.records[0].values['MagpieData mode Number']), 8);
});

test('featurize gan and gan-frac read embeddings.json from the run folder', () => {
  const dir = tempDir();
  const run = path.join(dir, 'run');
  fs.mkdirSync(run);
  fs.writeFileSync(path.join(run, 'embeddings.json'), JSON.stringify({ elements: ['Fe', 'O'], dim: 2, vectors: [[1, 2], [0.5, -1]] }));
  const out = path.join(dir, 'out.csv');
  const input = writeInput(dir, ['Fe2O3']);
  assert.equal(runCli(['featurize', '--featurizer', 'gan', '--model', run, '--input', input, '--out', out], { env }).code, 0);
  assert.equal(fs.readFileSync(out, 'utf8').split('\n')[1], 'Fe2O3,3.5,1,');
  assert.equal(runCli(['featurize', '--featurizer', 'gan-frac', '--model', run, '--input', input, '--out', out], { env }).code, 0);
  const [formula, f0, f1, error] = fs.readFileSync(out, 'utf8').split('\n')[1].split(',');
  assert.deepEqual([formula, error], ['Fe2O3', '']);
  assert.ok(Math.abs(Number(f0) - 0.7) < 1e-12 && Math.abs(Number(f1) - 0.2) < 1e-12, `${f0}, ${f1}`);
});

test('featurize usage and input errors: exit 2 for a bad featurizer, 1 for a missing column or run folder', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.csv');
  assert.equal(runCli(['featurize', '--featurizer', 'magpie999', '--input', 'x.csv', '--out', out], { env }).code, 2);
  const noColumn = path.join(dir, 'nocol.csv');
  fs.writeFileSync(noColumn, 'composition\nFe2O3\n');
  const r = runCli(['featurize', '--featurizer', 'magpie', '--input', noColumn, '--out', out], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no 'formula' column/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  const g = runCli(['featurize', '--featurizer', 'gan', '--input', writeInput(dir, ['Fe2O3']), '--out', out], { env });
  assert.equal(g.code, 1);
  assert.match(g.stderr, /--model RUN_DIR/);
});
