// The fast CPU path (NOTES.md, "Fast CPU path") must compute the same function as before: the
// transposed convolution through the col2im kernel equals the product formulation, in outputs
// and in gradients, on both backends that have the kernel; checkpoints keep their variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../src/ml/backend';
import { BatchNorm, ConvTranspose, ParameterSet, type BatchStats } from '../src/ml/compositionGan/layers';
import { Generator } from '../src/ml/compositionGan/model';
import { CompositionWgan, PAPER_SETTINGS } from '../src/ml/compositionGan/wgan';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { hasConvTransposeKernels, imageToTaps, imageToTapsTransposed, tapsToImage, type TapGeometry } from '../src/ml/tfKernels';

// The paper generator's four transposed convolutions, with fewer channels to keep the test fast.
const SHAPES = [
  { inH: 6, inW: 4, inC: 12, outH: 11, outW: 8, outC: 6, kernel: 5, strideH: 2, strideW: 2 },
  { inH: 11, inW: 8, inC: 6, outH: 22, outW: 8, outC: 4, kernel: 3, strideH: 2, strideW: 1 },
  { inH: 22, inW: 8, inC: 4, outH: 43, outW: 8, outC: 3, kernel: 3, strideH: 2, strideW: 1 },
  { inH: 43, inW: 8, inC: 3, outH: 85, outW: 8, outC: 1, kernel: 3, strideH: 2, strideW: 1 },
];

/** max |a − b| / max |b|: the relative difference the brief bounds by 1e-5. */
function relativeDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-30));
}

// 'wasm' runs the native OpenBLAS kernels where the addon loads (test/ml.native.test.ts), 'wasm-plain' never.
const PATHS = [
  { label: 'wasm', backendName: 'wasm', native: true },
  { label: 'wasm-plain', backendName: 'wasm', native: false },
  { label: 'cpu', backendName: 'cpu', native: false },
] as const;

for (const { label, backendName, native } of PATHS) {
  test(`${label}: the col2im transposed convolution equals the product one, outputs and gradients to 1e-5`, async () => {
    await initBackend(backendName, { native });
    const rng = new SeededRng(11);
    for (const shape of SHAPES) {
      const params = new ParameterSet('t');
      const layer = new ConvTranspose(params, 'c', rng, shape, 'he');
      assert.ok(hasConvTransposeKernels(), `col2im kernel missing on ${tf.getBackend()}`);
      tf.tidy(() => {
        layer.b.assign(tf.randomNormal([shape.outC], 0, 1, 'float32', 5));
        const x = tf.randomNormal([3, shape.inH, shape.inW, shape.inC], 0, 1, 'float32', 3) as tf.Tensor4D;
        const upstream = tf.randomNormal([3, shape.outH, shape.outW, shape.outC], 0, 1, 'float32', 4);
        const inputGradient = (apply: (x: tf.Tensor4D) => tf.Tensor4D) => tf.grad((input: tf.Tensor) => tf.sum(tf.mul(apply(input as tf.Tensor4D), upstream)))(x);
        const fast = layer.applyWithScatterKernel(x);
        const slow = layer.applyWithProducts(x);
        assert.deepEqual(fast.shape, slow.shape);
        assert.ok(relativeDifference(fast, slow) < 1e-5, `${shape.outH}×${shape.outW} output: ${relativeDifference(fast, slow)}`);
        // Gradients with respect to the input, the kernel and the bias (the layer's variables are read inside apply).
        const fastGrads = tf.variableGrads(() => tf.sum(tf.mul(layer.applyWithScatterKernel(x), upstream)) as tf.Scalar, [layer.w, layer.b]);
        const slowGrads = tf.variableGrads(() => tf.sum(tf.mul(layer.applyWithProducts(x), upstream)) as tf.Scalar, [layer.w, layer.b]);
        for (const name of Object.keys(slowGrads.grads)) {
          const d = relativeDifference(fastGrads.grads[name], slowGrads.grads[name]);
          assert.ok(d < 1e-5, `${shape.outH}×${shape.outW} gradient ${name}: ${d}`);
        }
        const fastDx = inputGradient((input) => layer.applyWithScatterKernel(input));
        const slowDx = inputGradient((input) => layer.applyWithProducts(input));
        assert.ok(relativeDifference(fastDx, slowDx) < 1e-5, `${shape.outH}×${shape.outW} input gradient: ${relativeDifference(fastDx, slowDx)}`);
      });
      params.dispose();
      layer.dispose();
    }
  });
}

for (const { label, backendName, native } of PATHS) {
  test(`${label}: batch norm with the written-out gradient equals autodiff through tf.moments to 1e-5`, async () => {
    await initBackend(backendName, { native });
    for (const shape of [[7, 24], [4, 5, 3, 6]]) {
      const params = new ParameterSet('bn');
      const norm = new BatchNorm(params, 'bn', shape[shape.length - 1]);
      tf.tidy(() => {
        norm.gamma.assign(tf.randomNormal([norm.gamma.size], 1, 0.5, 'float32', 8));
        norm.beta.assign(tf.randomNormal([norm.beta.size], 0, 1, 'float32', 9));
        const x = tf.randomNormal(shape, 0.3, 2, 'float32', 10);
        const upstream = tf.randomNormal(shape, 0, 1, 'float32', 11);
        const fastStats: BatchStats[] = [];
        const slowStats: BatchStats[] = [];
        const fast = norm.applyTraining(x, fastStats);
        const slow = norm.applyWithOps(x, true, slowStats);
        assert.ok(relativeDifference(fast, slow) < 1e-5, `${shape} output`);
        assert.ok(relativeDifference(fastStats[0].variance, slowStats[0].variance) < 1e-6, `${shape} variance`);
        const loss = (apply: (input: tf.Tensor) => tf.Tensor) => (input: tf.Tensor) => tf.sum(tf.mul(apply(input), upstream));
        const fastDx = tf.grad(loss((input) => norm.applyTraining(input)))(x);
        const slowDx = tf.grad(loss((input) => norm.applyWithOps(input, true)))(x);
        assert.ok(relativeDifference(fastDx, slowDx) < 1e-5, `${shape} input gradient: ${relativeDifference(fastDx, slowDx)}`);
        const fastVars = tf.variableGrads(() => loss((input) => norm.applyTraining(input))(x) as tf.Scalar, [norm.gamma, norm.beta]);
        const slowVars = tf.variableGrads(() => loss((input) => norm.applyWithOps(input, true))(x) as tf.Scalar, [norm.gamma, norm.beta]);
        for (const name of Object.keys(slowVars.grads)) {
          assert.ok(relativeDifference(fastVars.grads[name], slowVars.grads[name]) < 1e-5, `${shape} gradient ${name}`);
        }
        tf.dispose([...fastStats, ...slowStats].flatMap((s) => [s.mean, s.variance]));
      });
      params.dispose();
    }
  });
}

test('imageToTaps is the adjoint of tapsToImage: <col2im(t), y> = <t, im2col(y)>', () => {
  const rng = new SeededRng(5);
  for (const s of SHAPES) {
    const g: TapGeometry = { batch: 2, inH: s.inH, inW: s.inW, outH: s.outH, outW: s.outW, outC: s.outC, kernel: s.kernel, strideH: s.strideH, strideW: s.strideW };
    const taps = rng.fillNormal(new Float32Array(g.batch * g.inH * g.inW * g.kernel * g.outC * g.kernel));
    const image = rng.fillNormal(new Float32Array(g.batch * g.outH * g.outW * g.outC));
    const scattered = new Float32Array(image.length);
    const gathered = new Float32Array(taps.length);
    tapsToImage(taps, scattered, g);
    imageToTaps(image, gathered, g);
    const left = scattered.reduce((sum, v, i) => sum + v * image[i], 0);
    const right = gathered.reduce((sum, v, i) => sum + v * taps[i], 0);
    assert.ok(Math.abs(left - right) <= 1e-4 * Math.max(1, Math.abs(left)), `${s.outH}×${s.outW}: ${left} vs ${right}`);
  }
});

test('imageToTapsTransposed writes exactly the transpose of imageToTaps (blocks of 16 pixels, ragged end included)', () => {
  const rng = new SeededRng(6);
  for (const s of SHAPES) {
    const g: TapGeometry = { batch: 3, inH: s.inH, inW: s.inW, outH: s.outH, outW: s.outW, outC: s.outC, kernel: s.kernel, strideH: s.strideH, strideW: s.strideW };
    const pixels = g.batch * g.inH * g.inW;
    const columns = g.kernel * g.outC * g.kernel;
    const image = rng.fillNormal(new Float32Array(g.batch * g.outH * g.outW * g.outC));
    const taps = new Float32Array(pixels * columns);
    const transposed = new Float32Array(pixels * columns).fill(Number.NaN);
    imageToTaps(image, taps, g);
    imageToTapsTransposed(image, transposed, g);
    let mismatches = 0;
    for (let p = 0; p < pixels; p++) for (let c = 0; c < columns; c++) if (taps[p * columns + c] !== transposed[c * pixels + p]) mismatches++;
    assert.equal(mismatches, 0, `${s.outH}×${s.outW}`);
  }
});

test('the generator keeps the variable names and shapes that earlier checkpoints store', async () => {
  await initBackend('cpu');
  const generator = new Generator(new SeededRng(1));
  const names = [...generator.params.all()].map(([name, v]) => `${name}:${v.shape.join('x')}`);
  assert.deepEqual(names.filter((n) => n.startsWith('convt')), [
    'convt2/kernel:128x1600', 'convt2/bias:64',
    'convt3/kernel:64x288', 'convt3/bias:32',
    'convt4/kernel:32x144', 'convt4/bias:16',
    'convt5/kernel:16x9', 'convt5/bias:1',
  ]);
  generator.dispose();
});

test('critic and generator updates on the fast path leave no tensors behind', async () => {
  await initBackend('wasm');
  const gan = new CompositionWgan({ ...PAPER_SETTINGS, batchSize: 8 }, 3);
  const real = new Float32Array(8 * 680);
  for (let b = 0; b < 8; b++) real[b * 680 + ((b * 37) % 680)] = 1;
  gan.criticStep(real);
  gan.generatorStep(8);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    gan.criticStep(real);
    gan.generatorStep(8);
  }
  assert.equal(tf.memory().numTensors, before);
  gan.dispose();
});
