import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../src/ml/backend';
import { ConvTranspose, ParameterSet } from '../src/ml/compositionGan/layers';
import { Critic, Generator } from '../src/ml/compositionGan/model';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { BatchStream, loadFormulaCounts, matricesFor, splitIndices } from '../src/ml/compositionGan/data';
import { CompositionWgan, PAPER_SETTINGS, saveGenerator } from '../src/ml/compositionGan/wgan';
import { sampleCompositions } from '../src/ml/compositionGan/sample';
import { ELEMENTS_85, encodeCountVector } from '../src/core/features/encoding';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cgan-'));

test('the matmul transposed convolution equals tf.conv2dTranspose (TF SAME padding, explicit output shape)', async () => {
  await initBackend('cpu');
  const rng = new SeededRng(7);
  const shapes = [
    { inH: 6, inW: 4, inC: 5, outH: 11, outW: 8, outC: 3, kernel: 5, strideH: 2, strideW: 2 },
    { inH: 11, inW: 8, inC: 3, outH: 22, outW: 8, outC: 2, kernel: 3, strideH: 2, strideW: 1 },
    { inH: 43, inW: 8, inC: 2, outH: 85, outW: 8, outC: 1, kernel: 3, strideH: 2, strideW: 1 },
  ];
  for (const s of shapes) {
    const layer = new ConvTranspose(new ParameterSet('t'), 'c', rng, s, 'he');
    const filter = tf.randomNormal([s.kernel, s.kernel, s.outC, s.inC], 0, 1, 'float32', 2) as tf.Tensor4D;
    layer.setFromFilter(filter);
    const x = tf.randomNormal([3, s.inH, s.inW, s.inC], 0, 1, 'float32', 3) as tf.Tensor4D;
    const expected = tf.conv2dTranspose(x, filter, [3, s.outH, s.outW, s.outC], [s.strideH, s.strideW], 'same');
    const actual = layer.apply(x);
    assert.deepEqual(actual.shape, expected.shape);
    const diff = tf.max(tf.abs(tf.sub(expected, actual))).dataSync()[0];
    assert.ok(diff < 1e-4, `${s.outH}×${s.outW}: max difference ${diff}`);
  }
});

test('the generator maps z to 85×8 probabilities with the paper\'s parameter count', async () => {
  await initBackend('wasm');
  const g = new Generator(new SeededRng(1));
  const out = g.apply(tf.randomNormal([4, 128]) as tf.Tensor2D, true);
  assert.deepEqual(out.shape, [4, 85, 8]);
  const values = out.dataSync();
  assert.ok(values.every((v) => v >= 0 && v <= 1));
  const trainable = [...g.params.trainable.values()].reduce((s, v) => s + v.size, 0);
  // Linear 128→3072 (+BN), ConvT 5×5 128→64, 3×3 64→32, 3×3 32→16, 3×3 16→1, biases and BN scales.
  const expected = 128 * 3072 + 3072 + 2 * 3072 + 25 * 128 * 64 + 64 + 2 * 64 + 9 * 64 * 32 + 32 + 2 * 32 + 9 * 32 * 16 + 16 + 2 * 16 + 9 * 16 + 1;
  assert.equal(trainable, expected);
  g.dispose();
});

test('the critic pools element embeddings weighted by the counts: h = Σ n_e tanh(W_e + b_e)', async () => {
  await initBackend('wasm');
  const critic = new Critic(new SeededRng(2));
  const counts = encodeCountVector({ Fe: 2, O: 3 });
  assert.ok(counts.ok);
  const x = tf.tensor3d(matricesFor({ counts: counts.value, n: 1, formulas: ['Fe2O3'], skipped: [] }, [0]), [1, 85, 8]);
  const table = critic.embeddings().arraySync();
  const pooled = table[ELEMENTS_85.indexOf('Fe')].map((v, k) => 2 * v + 3 * table[ELEMENTS_85.indexOf('O')][k]);
  // Score through the MLP from the hand-pooled vector must equal the critic's score.
  const viaPooled = tf.tidy(() => {
    let h: tf.Tensor2D = tf.tensor2d([pooled]);
    const names = ['dense1', 'dense2', 'dense3', 'out'];
    names.forEach((name, i) => {
      h = tf.add(tf.matMul(h, critic.params.trainable.get(`${name}/kernel`)!), critic.params.trainable.get(`${name}/bias`)!) as tf.Tensor2D;
      if (i < names.length - 1) h = tf.relu(h);
    });
    return h.dataSync()[0];
  });
  assert.ok(Math.abs(critic.apply(x).dataSync()[0] - viaPooled) < 1e-4);
  critic.dispose();
});

test('the seeded RNG restarts exactly from a saved state', () => {
  for (const pending of [true, false]) {
    const a = new SeededRng(42);
    a.normal(); // leaves a spare normal pending
    if (!pending) a.normal();
    const saved = a.getState();
    const next = [a.normal(), a.uniform(), a.normal()];
    const b = SeededRng.fromState(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual([b.normal(), b.uniform(), b.normal()], next, `spare pending: ${pending}`);
  }
  assert.notDeepEqual(new SeededRng(1).uniform(), new SeededRng(2).uniform());
});

test('the loader skips dirty rows with their line and reason; the split is seeded', () => {
  const dir = tempDir();
  const file = path.join(dir, 'f.csv');
  fs.writeFileSync(file, 'formula\nFe2O3\nBa0.4K0.6Fe2As2\nNaCl\nFe9O\nKrF2\nLi)O\nMgO\n');
  const data = loadFormulaCounts(file);
  assert.equal(data.n, 3);
  assert.deepEqual(data.formulas, ['Fe2O3', 'NaCl', 'MgO']);
  assert.deepEqual(data.skipped.map((s) => [s.line, s.reason]), [
    [3, 'fractional count'],
    [5, 'count above 8'],
    [6, 'element outside the 85-element vocabulary'],
    [7, 'formula does not parse'],
  ]);
  const s1 = splitIndices(100, 5);
  assert.equal(s1.heldOut.length, 10);
  assert.equal(s1.train.length, 90);
  assert.deepEqual(splitIndices(100, 5), s1);
  assert.notDeepEqual(splitIndices(100, 6).heldOut, s1.heldOut);
  fs.writeFileSync(file, 'name\nFe2O3\n');
  assert.throws(() => loadFormulaCounts(file), /f\.csv:1: no `formula` column/);
});

test('a WGAN-GP step gives finite losses and a resumed trainer repeats the uninterrupted one exactly', async () => {
  await initBackend('wasm');
  const dir = tempDir();
  const file = path.join(dir, 'f.csv');
  fs.writeFileSync(file, 'formula\n' + ['Fe2O3', 'NaCl', 'MgO', 'LiFeO2', 'CaTiO3', 'ZnS', 'Cu2O', 'K2O', 'SiO2', 'Al2O3', 'GaN', 'BN'].join('\n') + '\n');
  const data = loadFormulaCounts(file);
  const rows = Int32Array.from({ length: data.n }, (_, i) => i);
  const settings = { ...PAPER_SETTINGS, batchSize: 4 };
  const run = (wgan: CompositionWgan, stream: BatchStream, steps: number) => {
    const out: number[] = [];
    for (let s = 0; s < steps; s++) {
      const c = wgan.criticStep(stream.next(wgan.rng));
      out.push(c.criticLoss, c.gradientPenalty, wgan.generatorStep(stream.batchSize));
    }
    return out;
  };
  const a = new CompositionWgan(settings, 3);
  const streamA = new BatchStream(data, rows, 4, a.rng);
  run(a, streamA, 2);
  const checkpoint = path.join(dir, 'ckpt');
  const order = tf.tensor1d(streamA.position.order, 'int32');
  await a.save(checkpoint, { epoch: streamA.position.epoch, cursor: streamA.position.cursor }, [{ name: 'stream/order', tensor: order }]);
  const expected = run(a, streamA, 3);
  assert.ok(expected.every(Number.isFinite));

  const b = new CompositionWgan(settings, 999); // different init: everything must come from the checkpoint
  const restored = await b.restore(checkpoint);
  const position = { epoch: restored.metadata.epoch as number, cursor: restored.metadata.cursor as number, order: Int32Array.from(restored.tensors.get('stream/order')!.dataSync()) };
  const streamB = new BatchStream(data, rows, 4, b.rng, position);
  assert.deepEqual(run(b, streamB, 3), expected);
  assert.equal(b.generatorOptimizer.iterations, 5);

  // The generator alone, saved for sampling, decodes into compositions.
  const runDir = path.join(dir, 'run');
  saveGenerator(b.generator, path.join(runDir, 'generator'), {});
  const sampled = sampleCompositions(runDir, 20, 11);
  assert.equal(sampled.compositions.length, 20);
  assert.equal(sampled.kept, sampled.compositions.filter(Boolean).length);
  for (const c of sampled.compositions.filter((x): x is Record<string, number> => x !== null)) {
    const n = Object.keys(c).length;
    assert.ok(n >= 2 && n <= 8);
    assert.ok(Object.values(c).every((v) => Number.isInteger(v) && v >= 1 && v <= 8));
  }
  assert.deepEqual(sampleCompositions(runDir, 20, 11).compositions, sampled.compositions, 'same seed, same samples');
  a.dispose();
  b.dispose();
});
