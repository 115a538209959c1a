import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, projectRoot } from './helpers/cli';
import { parseCsv } from '../src/core/data/csv';
import { loadPredictor } from '../src/ml/predictor';

const HEADER = 'formula,prediction,uncertainty,error';
// No data directory: the committed models carry their element table.
const env = { CRYSTAL_GAN_DATA: '/nonexistent-data-dir' };

function rows(stdout: string) {
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines[0], HEADER);
  return parseCsv(stdout).records.map((r) => r.values);
}

test('predict band-gap from arguments: exact header, input order, numbers, exit 0', () => {
  const r = runCli(['predict', '--property', 'band-gap', 'NaCl', 'Fe', 'SiO2'], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = rows(r.stdout);
  assert.deepEqual(out.map((v) => v.formula), ['NaCl', 'Fe', 'SiO2']);
  for (const v of out) {
    assert.ok(Number.isFinite(Number(v.prediction)) && v.prediction !== '', `prediction of ${v.formula}`);
    assert.ok(Number(v.uncertainty) >= 0 && v.uncertainty !== '');
    assert.equal(v.error, '');
  }
  // A wide-gap insulator above a metal: the model has learned something.
  assert.ok(Number(out[0].prediction) > Number(out[1].prediction) + 1, `NaCl ${out[0].prediction} vs Fe ${out[1].prediction}`);
});

test('predict from a CSV: every row kept in order, bad rows get the reason, exit 1', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-predict-'));
  const input = path.join(dir, 'in.csv');
  fs.writeFileSync(input, 'id,formula\n1,Fe2O3\n2,Xx2O\n3,\n4,"Al2O3"\n5,Fe2(O3\n6,Og2\n');
  const out = path.join(dir, 'out.csv');
  const r = runCli(['predict', '--property', 'formation-energy', '--input', input, '--out', out], { env });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /2 of 6 rows predicted/);
  const v = rows(fs.readFileSync(out, 'utf8'));
  assert.deepEqual(v.map((x) => x.formula), ['Fe2O3', 'Xx2O', '', 'Al2O3', 'Fe2(O3', 'Og2']);
  assert.ok(Number(v[0].prediction) < 0, 'Fe2O3 forms exothermically');
  assert.match(v[1].error, /unknown element symbol 'Xx'/);
  assert.equal(v[1].prediction, '');
  assert.match(v[2].error, /empty formula/);
  assert.equal(v[3].error, '');
  assert.match(v[4].error, /column/);
  assert.match(v[5].error, /element Og is not in the Magpie element table/);
});

test('predict usage errors exit 2; a bad model folder exits 1 without a stack trace', () => {
  assert.equal(runCli(['predict', '--property', 'bulk-modulus', 'NaCl'], { env }).code, 2);
  assert.equal(runCli(['predict', '--property', 'band-gap'], { env }).code, 2);
  assert.equal(runCli(['predict', 'NaCl'], { env }).code, 2);
  const r = runCli(['predict', '--property', 'band-gap', '--model', os.tmpdir(), 'NaCl'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot load the band-gap model/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('the committed models record their val MAE and stay small', () => {
  let total = 0;
  for (const folder of ['bandgap', 'formation-energy']) {
    const file = path.join(projectRoot, 'models', folder, 'model.json');
    total += fs.statSync(file).size;
    const predictor = loadPredictor(path.dirname(file));
    assert.ok(predictor.model.validation.mae > 0 && predictor.model.validation.n > 1000);
    assert.ok(['magpie', 'magpie145'].includes(predictor.model.featurizer.name), predictor.model.featurizer.name);
    assert.ok(predictor.model.ensemble.members.length >= 2, 'an ensemble gives the uncertainty');
  }
  assert.ok(total < 10e6, `${total} bytes`);
});
