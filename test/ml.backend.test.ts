import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf, wasmDirCandidates } from '../src/ml/backend';
import { patchWasmBatchMatMul, registerComparisonGradients } from '../src/ml/tfKernels';

test('auto picks a working backend and says why native ones were skipped', async () => {
  const choice = await initBackend('auto');
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(choice.name), choice.name);
  assert.equal(tf.getBackend(), choice.name);
  assert.ok(choice.notes.length >= 1);
  if (choice.name !== 'tensorflow') assert.ok(choice.notes.some((n) => /tensorflow.*skipped/.test(n)), choice.notes.join('\n'));
});

test('cpu can be asked for by name', async () => {
  const choice = await initBackend('cpu');
  assert.equal(choice.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('a wasm folder without binaries falls back to the next candidate and is named in the notes', async () => {
  const choice = await initBackend('wasm', { wasmDir: '/nonexistent/wasm' });
  assert.equal(choice.name, 'wasm');
  assert.ok(wasmDirCandidates('/nonexistent/wasm').includes('/nonexistent/wasm'));
});

function transposedProducts(): number[][] {
  const rng = (i: number) => Math.sin(i * 12.9898) * 0.5;
  const a = tf.tensor2d(Array.from({ length: 37 * 19 }, (_, i) => rng(i)), [37, 19]);
  const b = tf.tensor2d(Array.from({ length: 23 * 19 }, (_, i) => rng(i + 1000)), [23, 19]);
  const batchA = tf.tensor3d(Array.from({ length: 3 * 19 * 5 }, (_, i) => rng(i + 7)), [3, 19, 5]);
  const batchB = tf.tensor3d(Array.from({ length: 3 * 4 * 19 }, (_, i) => rng(i + 77)), [3, 4, 19]);
  const out = [
    tf.matMul(a, b, false, true), // [37, 23]
    tf.matMul(a, a, true, false), // [19, 19]
    tf.matMul(b.transpose(), a, true, true), // [23, 37]
    tf.matMul(a, b.transpose()), // no transpose flags: untouched path
    tf.matMul(batchA, batchB, true, true), // [3, 5, 4]
  ].map((t) => Array.from(t.dataSync()));
  return out;
}

test('the wasm BatchMatMul reroute gives the same numbers as the unpatched kernel', async () => {
  await initBackend('wasm');
  const patched = tf.getKernel('BatchMatMul', 'wasm');
  assert.ok(patched);
  // Compare against the kernel as shipped: re-register the original for one computation.
  const original = (patched as unknown as { __original?: tf.KernelConfig }).__original;
  assert.ok(original, 'the patched kernel keeps a handle on the original');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(original);
  const reference = transposedProducts();
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(patched);
  assert.equal(patchWasmBatchMatMul(), true, 'patching twice is harmless');
  const rerouted = transposedProducts();
  assert.equal(rerouted.length, reference.length);
  for (let k = 0; k < reference.length; k++) {
    assert.equal(rerouted[k].length, reference[k].length);
    for (let i = 0; i < reference[k].length; i++) assert.ok(Math.abs(rerouted[k][i] - reference[k][i]) < 1e-5, `product ${k}[${i}]`);
  }
});

test('second-order gradients through relu work once comparison ops have zero gradients', async () => {
  registerComparisonGradients();
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend(backend);
    const w = tf.tensor2d([[1, -2], [0.5, 3]]);
    // f(x) = sum(relu(x W)); ‖∇f‖² has a gradient wrt x that flows through Greater/Step.
    const penalty = (x: tf.Tensor) => {
      const g = tf.grad((xi: tf.Tensor) => tf.relu(tf.leakyRelu(tf.matMul(xi, w), 0.2)).sum())(x);
      return g.square().sum();
    };
    const x = tf.tensor2d([[0.3, 0.7]]);
    const g2 = tf.grad(penalty)(x);
    assert.deepEqual(g2.shape, [1, 2]);
    for (const v of g2.dataSync()) assert.ok(Number.isFinite(v));
  }
});
