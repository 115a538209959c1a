// The `cells` critic preset and the CN + EB training-list filter of the composition GAN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../src/ml/backend';
import { runJob } from '../src/cli/jobRunner';
import { trainCompositionGanJob } from '../src/jobs/compositionGanJob';
import { latestCheckpoint, readRun } from '../src/runs/store';
import { loadTensors, MODEL_FILE } from '../src/ml/io';
import { filterFormulaCounts, loadFormulaCounts, rowComposition } from '../src/ml/compositionGan/data';
import { Critic } from '../src/ml/compositionGan/model';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { compositionGanParams } from '../src/cli/commands/trainCompositionGan';
import { MATRIX_SIZE, MAX_COUNT } from '../src/core/features/encoding';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cgancritic-'));
const quietIO = () => ({ out: () => undefined, err: () => undefined });

/** NaCl, Na2O, LiCl, MgO pass CN + EB; NaCl2 and Na2Cl are not charge-neutral as written. */
function mixedData(dir: string): string {
  const file = path.join(dir, 'formulas.csv');
  fs.writeFileSync(file, 'formula\nNaCl\nNaCl2\nNa2O\nNa2Cl\nLiCl\nMgO\n');
  return file;
}

/** Scores and input gradients of a critic on a fixed random batch. */
function inputGradient(critic: Critic, x: tf.Tensor3D): Float32Array {
  return tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(critic.apply(input)))(x).dataSync() as Float32Array);
}

test('the filter keeps exactly the rows a predicate accepts, in order, and counts the dropped ones', () => {
  const data = loadFormulaCounts(mixedData(tempDir()));
  assert.deepEqual(rowComposition(data, 1), { Na: 1, Cl: 2 });
  const filtered = filterFormulaCounts(data, (c) => !('Cl' in c && c.Cl === 2));
  assert.equal(filtered.dropped, 1);
  assert.deepEqual(filtered.data.formulas, ['NaCl', 'Na2O', 'Na2Cl', 'LiCl', 'MgO']);
  assert.deepEqual(rowComposition(filtered.data, 2), { Na: 2, Cl: 1 });
  assert.equal(filtered.data.counts.length, 5 * 85);
});

test('a cn-eb run trains on the CN + EB rows only and records kept/dropped counts in run.json', async () => {
  const dir = tempDir();
  const params = { dataFile: mixedData(dir), trainingFilter: 'cn-eb' as const, batchSize: 2, maxSteps: 1, backend: 'wasm' as const, heldOutMax: 1 };
  const run = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(run.exitCode, 0);
  const info = readRun(run.runDir);
  assert.deepEqual(info.config.trainingFilterResult, { name: 'cn-eb', keptRows: 4, droppedRows: 2, of: 6 });
  assert.equal(Number(info.summary?.trainFormulas) + Number(info.summary?.heldOutFormulas), 4);
});

test('the cells critic keeps the paper variables (same start) and adds one [680, 128] kernel', async () => {
  await initBackend('wasm');
  const paper = new Critic(new SeededRng(3));
  const cells = new Critic(new SeededRng(3), { cellPath: true });
  try {
    const shapes = (c: Critic) => Object.fromEntries([...c.params.all()].map(([name, v]) => [name, v.shape.join('x')]));
    assert.deepEqual(shapes(cells), { ...shapes(paper), 'cells/kernel': `${MATRIX_SIZE}x128` });
    for (const [name, variable] of paper.params.all()) assert.deepEqual(cells.params.all().get(name)!.dataSync(), variable.dataSync(), name);
    // With the extra kernel at zero the cells critic is the paper critic.
    cells.cellKernel!.assign(tf.zerosLike(cells.cellKernel!));
    const x = tf.randomUniform([4, 85, MAX_COUNT], 0, 1, 'float32', 5) as tf.Tensor3D;
    assert.deepEqual(tf.tidy(() => cells.apply(x).dataSync()), tf.tidy(() => paper.apply(x).dataSync()));
    x.dispose();
  } finally {
    paper.dispose();
    cells.dispose();
  }
});

test('the paper critic sees a cell only through n · (its element\'s weight); the cells critic sees each cell', async () => {
  await initBackend('wasm');
  const paper = new Critic(new SeededRng(4));
  const cells = new Critic(new SeededRng(4), { cellPath: true });
  const x = tf.randomUniform([2, 85, MAX_COUNT], 0, 0.3, 'float32', 6) as tf.Tensor3D;
  try {
    // d D / d x[e, n-1] = n · g_e for the pooled critic: dividing by n leaves one value per element.
    const perElementSpread = (gradient: Float32Array) => {
      let spread = 0;
      for (let row = 0; row < gradient.length / MAX_COUNT; row++) {
        const scaled = Array.from({ length: MAX_COUNT }, (_, n) => gradient[row * MAX_COUNT + n] / (n + 1));
        spread = Math.max(spread, Math.max(...scaled) - Math.min(...scaled));
      }
      return spread;
    };
    assert.ok(perElementSpread(inputGradient(paper, x)) < 1e-5, 'pooled critic: slot gradients ∝ n');
    assert.ok(perElementSpread(inputGradient(cells, x)) > 1e-3, 'cells critic: slot gradients differ');
  } finally {
    x.dispose();
    paper.dispose();
    cells.dispose();
  }
});

test('the gradient penalty of the cells critic reaches the cell kernel (second-order gradient)', async () => {
  await initBackend('wasm');
  const critic = new Critic(new SeededRng(5), { cellPath: true });
  const x = tf.randomUniform([3, 85, MAX_COUNT], 0, 1, 'float32', 8) as tf.Tensor3D;
  try {
    const { grads } = tf.variableGrads(() => {
      const gradient = tf.grad((input: tf.Tensor) => tf.sum(critic.apply(input)))(x);
      return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(gradient), [1, 2])), 1))) as tf.Scalar;
    }, [critic.cellKernel!]);
    const gradient = Object.values(grads)[0];
    const largest = tf.tidy(() => tf.max(tf.abs(gradient)).dataSync()[0]);
    tf.dispose(Object.values(grads));
    assert.ok(largest > 0, 'the penalty depends on the cell kernel');
  } finally {
    x.dispose();
    critic.dispose();
  }
});

test('a cells run records its critic in run.json and checkpoints, and a resume keeps it', async () => {
  const dir = tempDir();
  const base = { dataFile: mixedData(dir), batchSize: 2, maxSteps: 1, backend: 'wasm' as const, heldOutMax: 1, seed: 3, learningRate: 5e-4 };
  const first = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { ...base, criticPreset: 'cells' }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(first.exitCode, 0);
  assert.equal(readRun(first.runDir).config.criticPreset, 'cells');
  assert.equal(readRun(first.runDir).config.learningRate, 5e-4);
  const { metadata, tensors } = loadTensors(latestCheckpoint(first.runDir)!);
  assert.ok(tensors.has('critic/cells/kernel'));
  tf.dispose([...tensors.values()]);
  assert.equal((metadata.criticPreset as { name: string }).name, 'cells');
  assert.equal((metadata.settings as { learningRate: number }).learningRate, 5e-4);
  const resumed = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { maxSteps: 2, criticPreset: 'paper' }, io: quietIO(), resume: first.runDir });
  assert.equal(resumed.exitCode, 0);
  assert.equal(readRun(first.runDir).config.criticPreset, 'cells');
  assert.equal(readRun(first.runDir).summary?.steps, 2);
});

test('a new run defaults to the paper critic, the tuned generator and the paper\'s Adam 1e-4', async () => {
  const dir = tempDir();
  const run = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { dataFile: mixedData(dir), batchSize: 2, maxSteps: 1, backend: 'wasm' as const, heldOutMax: 1 }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(run.exitCode, 0);
  const config = readRun(run.runDir).config;
  assert.equal(config.criticPreset, 'paper');
  assert.equal(config.generatorPreset, 'tuned');
  assert.equal(config.learningRate, 1e-4);
  assert.equal((config.generatorStart as { generatorLearningRate: number }).generatorLearningRate, 1e-4);
});

test('a checkpoint written before critic presets existed resumes as the paper critic at its own learning rate', async () => {
  const dir = tempDir();
  const run = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { dataFile: mixedData(dir), criticPreset: 'paper', batchSize: 2, maxSteps: 1, backend: 'wasm' as const, heldOutMax: 1 }, io: quietIO(), runsRoot: path.join(dir, 'runs') });
  assert.equal(run.exitCode, 0);
  // Strip the record the way an old checkpoint lacks it.
  const manifestFile = path.join(latestCheckpoint(run.runDir)!, MODEL_FILE);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { userDefinedMetadata: Record<string, unknown> };
  delete manifest.userDefinedMetadata.criticPreset;
  (manifest.userDefinedMetadata.settings as { learningRate: number }).learningRate = 1e-4;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const resumed = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { maxSteps: 2, criticPreset: 'cells', learningRate: 0.01 }, io: quietIO(), resume: run.runDir });
  assert.equal(resumed.exitCode, 0);
  assert.equal(readRun(run.runDir).config.criticPreset, 'paper');
  assert.equal(readRun(run.runDir).config.learningRate, 1e-4, 'the checkpoint\'s learning rate, not the new parameter');
});

test('the CLI flags map to job parameters and reject bad values', () => {
  assert.deepEqual(
    (({ criticPreset, trainingFilter, learningRate }) => ({ criticPreset, trainingFilter, learningRate }))(compositionGanParams({ criticPreset: 'cells', filter: 'cn-eb', learningRate: '3e-4' })),
    { criticPreset: 'cells', trainingFilter: 'cn-eb', learningRate: 3e-4 },
  );
  assert.throws(() => compositionGanParams({ criticPreset: 'conv' }), /--critic-preset must be paper or cells/);
  assert.throws(() => compositionGanParams({ filter: 'valid' }), /--filter must be none or cn-eb/);
  assert.throws(() => compositionGanParams({ learningRate: 'fast' }), /--learning-rate must be a number in \(0, 1\]/);
  assert.throws(() => compositionGanParams({ learningRate: '0' }), /--learning-rate/);
});
