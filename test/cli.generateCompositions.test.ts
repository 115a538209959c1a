import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';
import { parseCsv } from '../src/core/data/csv';
import { loadSmactTables } from '../src/core/data/smactTables';
import { initBackend } from '../src/ml/backend';
import { Generator } from '../src/ml/compositionGan/model';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { saveGenerator } from '../src/ml/compositionGan/wgan';
import { tallyGenerated, GENERATED_HEADER } from '../src/cli/commands/generateCompositions';

const env = { CRYSTAL_GAN_DATA: sharedData };
let runDir = '';
let trainingCsv = '';

before(async () => {
  await initBackend('wasm');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-generate-'));
  runDir = path.join(dir, 'run');
  // A tiny "run": an untrained generator saved the way a composition-GAN run saves it.
  const generator = new Generator(new SeededRng(3));
  saveGenerator(generator, path.join(runDir, 'generator'), { note: 'untrained, made by the test' });
  generator.dispose();
  trainingCsv = path.join(dir, 'train.csv');
  fs.writeFileSync(trainingCsv, 'formula\nNaCl\nFe2O3\n');
});

test('metrics: CN, CN+EB, uniqueness and novelty with their denominators', () => {
  const tables = loadSmactTables(sharedData);
  const training = new Set(['Cl0.5Na0.5']);
  const samples: (Record<string, number> | null)[] = [{ Na: 1, Cl: 1 }, { Na: 2, Cl: 2 }, { Fe: 2, O: 3 }, { Fe: 2, O: 3 }, { Na: 1, O: 5 }, null];
  const { formulas, metrics } = tallyGenerated(samples, tables, training);
  assert.equal(metrics.samples, 6);
  assert.equal(metrics.decoded, 5);
  assert.equal(metrics.validSamples, 4); // NaCl, Na2Cl2, Fe2O3 ×2 are CN+EB; NaO5 is not
  assert.equal(metrics.chargeNeutralSamples, 4);
  assert.equal(metrics.distinctValid, 2); // NaCl ≡ Na2Cl2 reduced, Fe2O3
  assert.equal(metrics.distinct, 3);
  assert.equal(metrics.distinctNovel, 2); // Fe2O3 and NaO5 are not in training
  assert.equal(formulas.find((f) => f.formula === 'Fe2O3')?.count, 2);
  assert.equal(formulas.find((f) => f.formula === 'ClNa')?.novel, false);
});

test('generate-compositions samples a run, writes flagged formulas and prints the metrics', () => {
  const out = path.join(path.dirname(runDir), 'generated.csv');
  const r = runCli(['generate-compositions', '--model', runDir, '--n', '300', '--seed', '5', '--out', out, '--training', trainingCsv], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /samples drawn: 300/);
  assert.match(r.stdout, /CN \+ electronegativity-balanced \(MatGAN valid\), of decoded samples: .*\(\d+ \/ \d+\)/);
  assert.match(r.stdout, /novelty, distinct reduced compositions not in training \/ distinct: /);
  const text = fs.readFileSync(out, 'utf8');
  assert.equal(text.split('\n')[0], GENERATED_HEADER);
  const table = parseCsv(text);
  for (const row of table.records) {
    assert.ok(['true', 'false'].includes(row.values.novel));
    assert.ok(Number(row.values.count) >= 1);
  }
  // Same seed, same samples.
  const again = runCli(['generate-compositions', '--model', runDir, '--n', '300', '--seed', '5', '--out', out + '2', '--training', trainingCsv], { env });
  assert.equal(fs.readFileSync(out + '2', 'utf8'), text);
  assert.equal(again.stdout, r.stdout.replace(out, out + '2'));
});

test('generate-compositions --formulas scores an existing list with the same metrics', () => {
  const dir = path.dirname(runDir);
  const list = path.join(dir, 'list.csv');
  fs.writeFileSync(list, 'formula\nNaCl\nNa2Cl2\nFe2O3\nNaO5\nFe\nXx2O\n');
  const out = path.join(dir, 'scored.csv');
  const r = runCli(['generate-compositions', '--formulas', list, '--out', out, '--training', trainingCsv], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /samples drawn: 6; decoded to 2–8 elements: 66.67 % \(4 \/ 6\)/);
  assert.match(r.stdout, /MatGAN valid\), of decoded samples: 75.00 % \(3 \/ 4\)/);
  assert.match(r.stdout, /novelty, distinct reduced compositions not in training \/ distinct: 33.33 % \(1 \/ 3\)/); // only NaO5: NaCl and Fe2O3 are in training
  assert.equal(runCli(['generate-compositions', '--formulas', list, '--model', runDir, '--n', '5', '--out', out], { env }).code, 2);
});

test('generate-compositions: exit 2 for a bad --n, 1 for a folder without a generator', () => {
  const out = path.join(os.tmpdir(), 'cg-never.csv');
  assert.equal(runCli(['generate-compositions', '--model', runDir, '--n', 'ten', '--out', out], { env }).code, 2);
  const r = runCli(['generate-compositions', '--model', os.tmpdir(), '--n', '10', '--out', out, '--training', trainingCsv], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot sample/);
});
