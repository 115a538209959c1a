// The crisp generator outputs (presets `crisp`, `crisp-gumbel`): one-hot cells per element row by
// construction, gradients through the softmax (straight-through), recorded and reloaded with the generator.
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
import { Generator, GUMBEL_DRAWS_PER_SAMPLE, gumbelNoise } from '../src/ml/compositionGan/model';
import { slotPriorLogit } from '../src/ml/compositionGan/presets';
import { loadGenerator, sampleCompositions, sampleFromGenerator } from '../src/ml/compositionGan/sample';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { saveGenerator } from '../src/ml/compositionGan/wgan';
import { MAX_COUNT } from '../src/core/features/encoding';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cgancrisp-'));
const quietIO = () => ({ out: () => undefined, err: () => undefined });

function noise(batch: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(new SeededRng(seed).fillNormal(new Float32Array(batch * 128)), [batch, 128]);
}

/** Every element row of every sample holds at most one 1 and otherwise 0s. */
function assertOneHotRows(values: Float32Array): void {
  for (let row = 0; row < values.length / MAX_COUNT; row++) {
    const cells = Array.from(values.subarray(row * MAX_COUNT, (row + 1) * MAX_COUNT));
    assert.ok(cells.every((v) => v === 0 || v === 1), `row ${row}: ${cells}`);
    assert.ok(cells.filter((v) => v === 1).length <= 1, `row ${row}: ${cells}`);
  }
}

test('the slot prior logit makes an element present with the data\'s probability', () => {
  const occupancy = 0.0044;
  const b = slotPriorLogit(occupancy);
  const present = (MAX_COUNT * Math.exp(b)) / (1 + MAX_COUNT * Math.exp(b));
  assert.ok(Math.abs(present - occupancy * MAX_COUNT) < 1e-12);
});

test('crisp outputs are one-hot per element row and keep the paper generator\'s variables', async () => {
  await initBackend('wasm');
  const argmax = new Generator(new SeededRng(1), { output: 'slot-argmax', outputBiasLogit: 1 });
  const gumbel = new Generator(new SeededRng(1), { output: 'slot-gumbel', outputBiasLogit: -3 });
  const paper = new Generator(new SeededRng(1));
  try {
    const names = (g: Generator) => [...g.params.all()].map(([name, v]) => `${name}:${v.shape.join('x')}`);
    assert.deepEqual(names(argmax), names(paper));
    const z = noise(4, 2);
    const hard = tf.tidy(() => argmax.apply(z, true).dataSync() as Float32Array);
    assertOneHotRows(hard);
    assert.ok(hard.some((v) => v === 1), 'a positive slot bias makes elements present');
    const g = gumbelNoise(new SeededRng(3).fillUniform(new Float32Array(4 * GUMBEL_DRAWS_PER_SAMPLE)), 4);
    assertOneHotRows(tf.tidy(() => gumbel.apply(z, true, undefined, g).dataSync() as Float32Array));
    assert.throws(() => tf.tidy(() => gumbel.apply(z, true)), /needs Gumbel noise/);
    tf.dispose([z, g]);
  } finally {
    argmax.dispose();
    gumbel.dispose();
    paper.dispose();
  }
});

test('the straight-through output passes the softmax gradient to the generator\'s weights', async () => {
  await initBackend('wasm');
  const generator = new Generator(new SeededRng(4), { output: 'slot-argmax', outputBiasLogit: 0 });
  const z = noise(2, 5);
  try {
    // A loss that rewards slot 3 of every row: its gradient must reach the output layer's bias.
    const target = tf.oneHot(tf.fill([2, 85], 2, 'int32'), MAX_COUNT);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(generator.apply(z, true), target)) as tf.Scalar, [...generator.params.trainable.values()]);
    const biasGrad = Object.entries(grads).find(([name]) => name.includes('convt5/bias'))![1];
    assert.ok(Math.abs(biasGrad.dataSync()[0]) > 0, 'nonzero gradient through the hard one-hot');
    tf.dispose([target, value, ...Object.values(grads)]);
  } finally {
    z.dispose();
    generator.dispose();
  }
});

test('a saved crisp generator reloads with its output mode and samples decode as one-hot', async () => {
  await initBackend('wasm');
  const dir = tempDir();
  const generator = new Generator(new SeededRng(6), { output: 'slot-gumbel', outputBiasLogit: -1 });
  saveGenerator(generator, dir, { runId: 't', step: 0 });
  const loaded = loadGenerator(dir);
  try {
    assert.equal(loaded.output, 'slot-gumbel');
    const direct = sampleFromGenerator(generator, 8, 9, { keepMatrices: true });
    const viaFile = sampleCompositions(dir, 8, 9);
    assert.deepEqual(viaFile.compositions, direct.compositions, 'same seed, same Gumbel draws');
    for (const m of direct.matrices!) assertOneHotRows(m);
  } finally {
    loaded.dispose();
    generator.dispose();
  }
});

test('a crisp run records its output in run.json and checkpoints; its generator/ samples as crisp', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'formulas.csv');
  fs.writeFileSync(file, 'formula\nNaCl\nNa2O\nLiCl\nMgO\n');
  const run = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { dataFile: file, generatorPreset: 'crisp-gumbel', batchSize: 2, maxSteps: 2, backend: 'wasm', heldOutMax: 1 }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(run.exitCode, 0);
  const start = readRun(run.runDir).config.generatorStart as { output: string; outputBiasLogit: number; dataMeanCellOccupancy: number };
  assert.equal(start.output, 'slot-gumbel');
  assert.equal(start.outputBiasLogit, slotPriorLogit(start.dataMeanCellOccupancy));
  const { metadata, tensors } = loadTensors(latestCheckpoint(run.runDir)!);
  tf.dispose([...tensors.values()]);
  assert.equal((metadata.generatorPreset as { output: string }).output, 'slot-gumbel');
  const generator = loadGenerator(run.runDir);
  assert.equal(generator.output, 'slot-gumbel');
  generator.dispose();
});
