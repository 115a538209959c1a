import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../src/ml/backend';
import { adamState, assignVariables, loadTensors, ModelFileError, restoreAdamState, saveTensors, WEIGHTS_FILE } from '../src/ml/io';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-io-'));

for (const backend of ['cpu', 'wasm'] as const) {
  test(`tensors round-trip exactly on ${backend}`, async () => {
    await initBackend(backend);
    const dir = tempDir();
    const a = tf.randomNormal([17, 5], 0, 1, 'float32', 3);
    const b = tf.tensor1d([1, -2, 2147483647], 'int32');
    const scalar = tf.scalar(Math.PI);
    saveTensors(dir, [{ name: 'layer/a', tensor: a }, { name: 'count', tensor: b }, { name: 'pi', tensor: scalar }], { note: 'x' });
    const loaded = loadTensors(dir);
    assert.deepEqual(loaded.metadata, { note: 'x' });
    assert.deepEqual(Array.from(loaded.tensors.get('layer/a')!.dataSync()), Array.from(a.dataSync()));
    assert.deepEqual(loaded.tensors.get('layer/a')!.shape, [17, 5]);
    assert.equal(loaded.tensors.get('count')!.dtype, 'int32');
    assert.deepEqual(Array.from(loaded.tensors.get('count')!.dataSync()), [1, -2, 2147483647]);
    assert.deepEqual(loaded.tensors.get('pi')!.shape, []);
  });
}

test('a truncated weights file is refused with the file named', async () => {
  await initBackend('cpu');
  const dir = tempDir();
  saveTensors(dir, [{ name: 'w', tensor: tf.ones([10]) }]);
  fs.truncateSync(path.join(dir, WEIGHTS_FILE), 12);
  assert.throws(() => loadTensors(dir), (e: unknown) => e instanceof ModelFileError && e.message.includes(WEIGHTS_FILE) && /truncated/.test(e.message));
});

test('a shape mismatch on assignment names the tensor', async () => {
  await initBackend('cpu');
  const v = tf.variable(tf.zeros([2, 3]));
  assert.throws(() => assignVariables(new Map([['w', v]]), new Map([['w', tf.zeros([3, 2])]]), 'ckpt'), /tensor w has shape \[3,2\]/);
});

/** Runs `steps` Adam steps of a tiny least-squares problem and returns the weights. */
function adamSteps(optimizer: tf.AdamOptimizer, w: tf.Variable, steps: number): void {
  const x = tf.tensor2d([[1, 2], [3, 4], [5, -6]]);
  const y = tf.tensor2d([[1], [0], [2]]);
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.matMul(x, w).sub(y).square().mean() as tf.Scalar, false, [w]);
  }
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`restored Adam state continues the same trajectory bit for bit on ${backend}`, async () => {
    await initBackend(backend);
    const dir = tempDir();
    const w = tf.variable(tf.tensor2d([[0.1], [-0.2]]));
    const opt = tf.train.adam(0.05, 0.5, 0.9);
    adamSteps(opt, w, 7);
    saveTensors(dir, [{ name: 'w', tensor: w }, ...(await adamState(opt, 'opt'))]);
    adamSteps(opt, w, 5);
    const uninterrupted = Array.from(w.dataSync());

    const loaded = loadTensors(dir);
    const w2 = tf.variable(tf.zeros([2, 1]));
    assignVariables(new Map([['w', w2]]), loaded.tensors, dir);
    const opt2 = tf.train.adam(0.05, 0.5, 0.9);
    await restoreAdamState(opt2, loaded.tensors, 'opt', dir);
    adamSteps(opt2, w2, 5);
    assert.deepEqual(Array.from(w2.dataSync()), uninterrupted);
    assert.equal(opt2.iterations, 12);
  });
}
