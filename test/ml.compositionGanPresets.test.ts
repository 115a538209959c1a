import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../src/ml/backend';
import { runJob } from '../src/cli/jobRunner';
import { trainCompositionGanJob } from '../src/jobs/compositionGanJob';
import { latestCheckpoint, readRun } from '../src/runs/store';
import { loadTensors } from '../src/ml/io';
import { loadFormulaCounts } from '../src/ml/compositionGan/data';
import { Generator } from '../src/ml/compositionGan/model';
import { GENERATOR_PRESETS, logit, meanCellOccupancy, resolveGeneratorPreset } from '../src/ml/compositionGan/presets';
import { loadGenerator } from '../src/ml/compositionGan/sample';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { saveGenerator } from '../src/ml/compositionGan/wgan';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cganpreset-'));
const quietIO = () => ({ out: () => undefined, err: () => undefined });

/** 2 binary + 2 ternary formulas: 10 on-cells over 4 × 680 cells. */
function smallData(dir: string): string {
  const file = path.join(dir, 'formulas.csv');
  fs.writeFileSync(file, 'formula\nNaCl\nFe2O3\nLiCoO2\nBaTiO3\n');
  return file;
}

test('mean cell occupancy counts one on-cell per element present, and logit inverts the sigmoid', () => {
  const data = loadFormulaCounts(smallData(tempDir()));
  assert.equal(meanCellOccupancy(data, [0, 1, 2, 3]), 10 / (4 * 680));
  assert.equal(meanCellOccupancy(data, [0]), 2 / 680);
  assert.equal(meanCellOccupancy(data, []), 0);
  assert.ok(Math.abs(1 / (1 + Math.exp(-logit(0.0046))) - 0.0046) < 1e-12);
  assert.ok(Number.isFinite(logit(0)) && Number.isFinite(logit(1)), 'clamped at the ends');
});

test('the tuned preset starts the output bias at the data prior; paper keeps zero', () => {
  const data = loadFormulaCounts(smallData(tempDir()));
  const tuned = resolveGeneratorPreset(GENERATOR_PRESETS.tuned, data, [0, 1, 2, 3], 1e-4);
  assert.equal(tuned.outputBiasLogit, logit(10 / 2720));
  assert.equal(tuned.dataMeanCellOccupancy, 10 / 2720);
  const paper = resolveGeneratorPreset(GENERATOR_PRESETS.paper, data, [0, 1, 2, 3], 1e-4);
  assert.equal(paper.outputBiasLogit, 0);
  assert.equal(paper.generatorLearningRate, 1e-4);
});

test('a generator built with an output bias starts with sparse outputs and keeps the paper variables', async () => {
  await initBackend('wasm');
  const biased = new Generator(new SeededRng(1), { outputBiasLogit: -5 });
  const plain = new Generator(new SeededRng(1));
  try {
    assert.deepEqual(Array.from(biased.outputBias()), [-5]);
    assert.deepEqual(Array.from(plain.outputBias()), [0]);
    const names = (g: Generator) => [...g.params.all()].map(([name, v]) => `${name}:${v.shape.join('x')}`);
    assert.deepEqual(names(biased), names(plain), 'same variables and shapes, so old checkpoints load');
    const meanOutput = (g: Generator) => tf.tidy(() => g.apply(tf.randomNormal([64, 128], 0, 1, 'float32', 7) as tf.Tensor2D, true).mean().dataSync()[0]);
    assert.ok(meanOutput(biased) < 0.05, `biased mean ${meanOutput(biased)}`);
    assert.ok(meanOutput(plain) > 0.3, `plain mean ${meanOutput(plain)}`);
    // A generator saved without a preset (the old format) loads into the current class.
    const dir = tempDir();
    saveGenerator(plain, dir, { runId: 'old', step: 1 });
    const loaded = loadGenerator(dir);
    assert.deepEqual(Array.from(loaded.outputBias()), [0]);
    loaded.dispose();
  } finally {
    biased.dispose();
    plain.dispose();
  }
});

test('a run records its generator preset in run.json and in its checkpoints', async () => {
  const dir = tempDir();
  const dataFile = smallData(dir);
  const base = { dataFile, batchSize: 2, maxSteps: 1, logEvery: 1, backend: 'wasm' as const, seed: 2, heldOutMax: 1 };
  const tuned = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { ...base, generatorPreset: 'tuned' }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(tuned.exitCode, 0);
  const info = readRun(tuned.runDir);
  assert.equal(info.config.generatorPreset, 'tuned');
  const start = info.config.generatorStart as { outputBiasLogit: number; dataMeanCellOccupancy: number };
  // The training rows are the seeded 90 % of the 4 formulas; whichever they are, the bias is their prior.
  assert.ok(start.outputBiasLogit < -5 && start.outputBiasLogit > -6, String(start.outputBiasLogit));
  assert.equal(start.outputBiasLogit, logit(start.dataMeanCellOccupancy));
  const { metadata, tensors } = loadTensors(latestCheckpoint(tuned.runDir)!);
  tf.dispose([...tensors.values()]);
  assert.equal((metadata.generatorPreset as { name: string }).name, 'tuned');

  // A resumed run keeps the preset of its checkpoint, whatever the new parameters say.
  const resumed = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { maxSteps: 2, generatorPreset: 'paper' }, io: quietIO(), resume: tuned.runDir });
  assert.equal(resumed.exitCode, 0);
  assert.equal(readRun(tuned.runDir).config.generatorPreset, 'tuned');

  const paper = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { ...base, generatorPreset: 'paper' }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(readRun(paper.runDir).config.generatorPreset, 'paper');
  assert.equal((readRun(paper.runDir).config.generatorStart as { outputBiasLogit: number }).outputBiasLogit, 0);
});
