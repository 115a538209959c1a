// The optional native kernels (native/, src/ml/native*.ts) must compute what the plain wasm
// kernels compute, to 1e-5 relative, and the backend must fall back cleanly without them. Tests
// that need the addon skip (with the reason) where it is not built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend, tf } from '../src/ml/backend';
import { loadNativeKernels, nativeThreadsFrom, type NativeKernels } from '../src/ml/native';
import { nativeWasmKernelsInstalled } from '../src/ml/nativeKernels';
import { imageToTaps, imageToTapsTransposed, tapsToImage, type TapGeometry } from '../src/ml/tfKernels';
import { CompositionWgan, PAPER_SETTINGS } from '../src/ml/compositionGan/wgan';
import { BatchNorm, ConvTranspose, ParameterSet, type BatchStats } from '../src/ml/compositionGan/layers';
import { SeededRng } from '../src/ml/compositionGan/rng';
import { hasFusedLayerKernels, installNativeWasmKernels } from '../src/ml/nativeKernels';
import { ELEMENT_COUNT, MAX_COUNT } from '../src/core/features/encoding';

const load = loadNativeKernels();
const skipReason = load.kernels ? false : `native kernels not available: ${load.reason}`;

/** max |a − b| / max |b| over two flat arrays. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let difference = 0;
  let scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return difference / scale;
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

function randomArray(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => ((state = (state * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

/** Runs `compute` on wasm with the native kernels and without; returns both results. */
async function bothPaths<T>(compute: () => T): Promise<{ native: T; plain: T }> {
  await initBackend('wasm', { native: true });
  assert.ok(nativeWasmKernelsInstalled(), 'native kernels installed');
  const native = compute();
  await initBackend('wasm', { native: false });
  assert.ok(!nativeWasmKernelsInstalled(), 'native kernels taken out');
  const plain = compute();
  await initBackend('wasm');
  return { native, plain };
}

test('sgemm: every transpose combination and a broadcast batch equal a plain triple loop', { skip: skipReason }, () => {
  const native = load.kernels!;
  const [batch, m, n, k] = [3, 7, 5, 9];
  const a = randomArray(batch * m * k, 1);
  const b = randomArray(k * n, 2);
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const c = new Float32Array(batch * m * n);
      native.sgemm(a, b, c, batch, m, n, k, transposeA, transposeB, m * k, 0);
      const expected = new Float32Array(batch * m * n);
      for (let i = 0; i < batch; i++) {
        for (let r = 0; r < m; r++) {
          for (let col = 0; col < n; col++) {
            let sum = 0;
            for (let j = 0; j < k; j++) sum += a[i * m * k + (transposeA ? j * m + r : r * k + j)] * b[transposeB ? col * k + j : j * n + col];
            expected[(i * m + r) * n + col] = sum;
          }
        }
      }
      assert.ok(relativeDifference(c, expected) < 1e-5, `transposeA ${transposeA}, transposeB ${transposeB}`);
    }
  }
});

test('the addon refuses arrays shorter than the shapes need, with a clear message', { skip: skipReason }, () => {
  const native = load.kernels!;
  assert.throws(() => native.sgemm(new Float32Array(4), new Float32Array(4), new Float32Array(3), 1, 2, 2, 2, false, false, 0, 0), /argument 2 has 3 elements, the shapes need 4/);
  assert.throws(() => native.sgemm(new Float64Array(4) as unknown as Float32Array, new Float32Array(4), new Float32Array(4), 1, 2, 2, 2, false, false, 0, 0), /argument 0 must be a Float32Array/);
  assert.throws(() => native.sumRows(new Float32Array(5), new Float32Array(2), 3, 2, 1), /argument 0 has 5 elements, the shapes need 6/);
  assert.throws(() => native.broadcastBinary(2, new Float32Array(2), new Float32Array(3), new Float32Array(6), 2, 3, 1, 1), /no full operand/);
  assert.throws(() => native.tapsToImage(new Float32Array(3), new Float32Array(3), 1, 1, 1, 1, 1, 1, 1, 1, 0), /every size must be positive/);
});

test('the C col2im/im2col loops equal the JS ones exactly', { skip: skipReason }, () => {
  const native = load.kernels!;
  const g: TapGeometry = { batch: 2, inH: 6, inW: 4, outH: 11, outW: 8, outC: 3, kernel: 5, strideH: 2, strideW: 2 };
  const geometry = [g.batch, g.inH, g.inW, g.outH, g.outW, g.outC, g.kernel, g.strideH, g.strideW];
  const tapCount = g.batch * g.inH * g.inW * g.kernel * g.outC * g.kernel;
  const imageCount = g.batch * g.outH * g.outW * g.outC;
  const taps = randomArray(tapCount, 3);
  const image = randomArray(imageCount, 4);
  const [jsImage, cImage] = [new Float32Array(imageCount), new Float32Array(imageCount)];
  tapsToImage(taps, jsImage, g);
  native.tapsToImage(taps, cImage, ...geometry);
  assert.deepEqual(cImage, jsImage);
  const [jsTaps, cTaps] = [new Float32Array(tapCount), new Float32Array(tapCount).fill(7)];
  imageToTaps(image, jsTaps, g);
  native.imageToTaps(cTaps, image, ...geometry);
  assert.deepEqual(cTaps, jsTaps);
  const [jsTransposed, cTransposed] = [new Float32Array(tapCount), new Float32Array(tapCount)];
  imageToTapsTransposed(image, jsTransposed, g);
  native.imageToTapsTransposed(cTransposed, image, ...geometry);
  assert.deepEqual(cTransposed, jsTransposed);
});

test('wasm with native kernels: products, reductions and broadcast arithmetic equal plain wasm to 1e-5', { skip: skipReason }, async () => {
  const compute = () =>
    tf.tidy(() => {
      const a = tf.randomNormal([3, 37, 19], 0, 1, 'float32', 1);
      const b = tf.randomNormal([19, 23], 0, 1, 'float32', 2);
      const wide = tf.randomNormal([64, 5, 3, 16], 0.5, 2, 'float32', 3);
      const channel = tf.randomNormal([16], 0, 1, 'float32', 4);
      const outputs = [
        tf.matMul(a, b),
        tf.matMul(a, tf.randomNormal([3, 23, 19], 0, 1, 'float32', 5), false, true),
        tf.matMul(tf.reshape(a, [111, 19]), tf.reshape(a, [111, 19]), true, false),
        tf.sum(wide, [0, 1, 2]),
        tf.mean(wide, [0, 1, 2], true),
        tf.sum(wide, 0),
        tf.mean(wide, [1, 2]), // not leading axes: wasm's own kernel
        tf.add(wide, channel),
        tf.sub(channel, wide),
        tf.mul(wide, channel),
        tf.mul(wide, 0.25),
        tf.sub(tf.scalar(1), wide),
        tf.add(wide, wide),
        tf.mul(tf.randomNormal([4, 1, 6], 0, 1, 'float32', 6), tf.randomNormal([5, 1], 0, 1, 'float32', 7)), // two-sided broadcast: wasm's own
      ];
      return outputs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    });
  const { native, plain } = await bothPaths(compute);
  native.forEach((result, i) => {
    assert.deepEqual(result.shape, plain[i].shape, `output ${i} shape`);
    assert.ok(relativeDifference(result.values, plain[i].values) < 1e-5, `output ${i}: ${relativeDifference(result.values, plain[i].values)}`);
  });
});

// The paper generator's transposed convolutions (model.ts).
const PAPER_CONVS = [
  { inH: 6, inW: 4, inC: 128, outH: 11, outW: 8, outC: 64, kernel: 5, strideH: 2, strideW: 2 },
  { inH: 11, inW: 8, inC: 64, outH: 22, outW: 8, outC: 32, kernel: 3, strideH: 2, strideW: 1 },
  { inH: 22, inW: 8, inC: 32, outH: 43, outW: 8, outC: 16, kernel: 3, strideH: 2, strideW: 1 },
  { inH: 43, inW: 8, inC: 16, outH: 85, outW: 8, outC: 1, kernel: 3, strideH: 2, strideW: 1 },
];

test('the blocked transposed convolution equals sgemm + col2im over the whole batch, for any block size', { skip: skipReason }, () => {
  const native = load.kernels!;
  const s = PAPER_CONVS[0];
  const batch = 5;
  const geometry = [batch, s.inH, s.inW, s.outH, s.outW, s.outC, s.kernel, s.strideH, s.strideW];
  const g: TapGeometry = { batch, inH: s.inH, inW: s.inW, outH: s.outH, outW: s.outW, outC: s.outC, kernel: s.kernel, strideH: s.strideH, strideW: s.strideW };
  const pixels = batch * s.inH * s.inW;
  const tapsPerPixel = s.kernel * s.outC * s.kernel;
  const x = randomArray(pixels * s.inC, 11);
  const w = randomArray(s.inC * tapsPerPixel, 12);
  const bias = randomArray(s.outC, 13);
  const dy = randomArray(batch * s.outH * s.outW * s.outC, 14);
  // Reference: whole-batch taps, col2im, bias; dTaps = im2col(dy), dx = dTaps·Wᵀ, dW = xᵀ·dTaps, db = Σdy.
  const taps = new Float32Array(pixels * tapsPerPixel);
  native.sgemm(x, w, taps, 1, pixels, tapsPerPixel, s.inC, false, false, 0, 0);
  const expectedImage = new Float32Array(dy.length);
  tapsToImage(taps, expectedImage, g);
  expectedImage.forEach((v, i) => (expectedImage[i] = v + bias[i % s.outC]));
  const dTaps = new Float32Array(taps.length);
  imageToTaps(dy, dTaps, g);
  const expectedDx = new Float32Array(x.length);
  native.sgemm(dTaps, w, expectedDx, 1, pixels, s.inC, tapsPerPixel, false, true, 0, 0);
  const expectedDw = new Float32Array(w.length);
  native.sgemm(x, dTaps, expectedDw, 1, s.inC, tapsPerPixel, pixels, true, false, 0, 0);
  const expectedDb = new Float32Array(s.outC);
  dy.forEach((v, i) => (expectedDb[i % s.outC] += v));
  for (const blockSamples of [1, 2, 5, 64]) {
    const image = new Float32Array(dy.length).fill(Number.NaN);
    native.convTransposeForward(x, w, bias, image, s.inC, blockSamples, ...geometry);
    assert.ok(relativeDifference(image, expectedImage) < 1e-6, `block ${blockSamples}: image`);
    const [dx, dw, db] = [new Float32Array(x.length), new Float32Array(w.length).fill(Number.NaN), new Float32Array(s.outC)];
    native.convTransposeBackward(dy, x, w, dx, dw, db, s.inC, blockSamples, ...geometry);
    assert.ok(relativeDifference(dx, expectedDx) < 1e-6, `block ${blockSamples}: dx`);
    assert.ok(relativeDifference(dw, expectedDw) < 1e-5, `block ${blockSamples}: dW ${relativeDifference(dw, expectedDw)}`);
    assert.ok(relativeDifference(db, expectedDb) < 1e-6, `block ${blockSamples}: db`);
  }
  assert.throws(() => native.convTransposeForward(x, w, bias, new Float32Array(3), s.inC, 1, ...geometry), /argument 3 has 3 elements/);
  assert.throws(() => native.convTransposeBackward(dy, x, w, new Float32Array(x.length), new Float32Array(w.length), new Float32Array(s.outC), s.inC, 0, ...geometry), /block size must be positive/);
});

/** Output and every gradient (input and variables) of `apply` against a fixed upstream gradient. */
function outputAndGradients(apply: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, variables: tf.Variable[], upstream: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const output = apply(x);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(apply(input), upstream)))(x);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(apply(x), upstream)) as tf.Scalar, variables);
    return [output, dx, ...variables.map((v) => grads[v.name])].map((t) => t.dataSync() as Float32Array);
  });
}

test('fused transposed convolution (the paper\'s four layers, batch 16 in several blocks): output, dx, dW and db equal the col2im path to 1e-5', { skip: skipReason }, async () => {
  await initBackend('wasm', { native: true });
  assert.ok(hasFusedLayerKernels());
  const rng = new SeededRng(21);
  for (const shape of PAPER_CONVS) {
    const params = new ParameterSet('fused');
    const layer = new ConvTranspose(params, 'c', rng, shape, 'he');
    layer.b.assign(tf.randomNormal([shape.outC], 0, 1, 'float32', 22));
    const x = tf.randomNormal([16, shape.inH, shape.inW, shape.inC], 0, 1, 'float32', 23);
    const upstream = tf.randomNormal([16, shape.outH, shape.outW, shape.outC], 0, 1, 'float32', 24);
    const fused = outputAndGradients((input) => layer.applyFused(input as tf.Tensor4D), x, [layer.w, layer.b], upstream);
    const scatter = outputAndGradients((input) => layer.applyWithScatterKernel(input as tf.Tensor4D), x, [layer.w, layer.b], upstream);
    const products = outputAndGradients((input) => layer.applyWithProducts(input as tf.Tensor4D), x, [layer.w, layer.b], upstream);
    ['output', 'dx', 'dW', 'db'].forEach((name, i) => {
      assert.ok(relativeDifference(fused[i], scatter[i]) < 1e-5, `${shape.outH}×${shape.outW} ${name} vs col2im: ${relativeDifference(fused[i], scatter[i])}`);
      assert.ok(relativeDifference(fused[i], products[i]) < 1e-5, `${shape.outH}×${shape.outW} ${name} vs products: ${relativeDifference(fused[i], products[i])}`);
    });
    tf.dispose([x, upstream]);
    params.dispose();
    layer.dispose();
  }
});

test('fused batch norm: output, batch statistics, dx, dγ and dβ equal the closed form and tf.moments autodiff to 1e-5', { skip: skipReason }, async () => {
  await initBackend('wasm', { native: true });
  for (const shape of [[64, 3072], [16, 11, 8, 64], [9, 43, 8, 16]]) {
    const params = new ParameterSet('bn');
    const channels = shape[shape.length - 1];
    const norm = new BatchNorm(params, 'bn', channels);
    norm.gamma.assign(tf.randomNormal([channels], 1, 0.5, 'float32', 31));
    norm.beta.assign(tf.randomNormal([channels], 0, 1, 'float32', 32));
    // An offset mean, as after a transposed convolution's bias: the one-pass variance must not lose it.
    const x = tf.randomNormal(shape, 3, 0.5, 'float32', 33);
    const upstream = tf.randomNormal(shape, 0, 1, 'float32', 34);
    const variables = [norm.gamma, norm.beta];
    const fused = outputAndGradients((input) => norm.applyTrainingFused(input), x, variables, upstream);
    const closedForm = outputAndGradients((input) => norm.applyTrainingClosedForm(input), x, variables, upstream);
    const autodiff = outputAndGradients((input) => norm.applyWithOps(input, true), x, variables, upstream);
    ['output', 'dx', 'dγ', 'dβ'].forEach((name, i) => {
      assert.ok(relativeDifference(fused[i], closedForm[i]) < 1e-5, `${shape} ${name} vs closed form: ${relativeDifference(fused[i], closedForm[i])}`);
      assert.ok(relativeDifference(fused[i], autodiff[i]) < 1e-5, `${shape} ${name} vs autodiff: ${relativeDifference(fused[i], autodiff[i])}`);
    });
    const [fusedStats, opsStats]: BatchStats[][] = [[], []];
    tf.tidy(() => {
      norm.applyTrainingFused(x, fusedStats);
      norm.applyWithOps(x, true, opsStats);
    });
    // 1e-5: the fused kernel sums in double, tf.moments in float32 (≈ 1e-6 apart over 3,000 rows).
    assert.ok(relativeDifference(fusedStats[0].mean.dataSync(), opsStats[0].mean.dataSync()) < 1e-5, `${shape} mean`);
    assert.ok(relativeDifference(fusedStats[0].variance.dataSync(), opsStats[0].variance.dataSync()) < 1e-5, `${shape} variance`);
    tf.dispose([x, upstream, ...[...fusedStats, ...opsStats].flatMap((st) => [st.mean, st.variance])]);
    params.dispose();
  }
});

function realBatch(batch: number): Float32Array {
  const values = new Float32Array(batch * ELEMENT_COUNT * MAX_COUNT);
  for (let b = 0; b < batch; b++) for (let k = 0; k < 3; k++) values[(b * ELEMENT_COUNT + ((b * 7 + k * 13) % ELEMENT_COUNT)) * MAX_COUNT + ((b + k) % 5)] = 1;
  return values;
}

test('the composition GAN trains to the same losses, gradients and variables with and without native (and fused) kernels (1e-5)', { skip: skipReason }, async () => {
  const compute = () => {
    assert.equal(hasFusedLayerKernels(), nativeWasmKernelsInstalled(), 'the fused layer kernels run exactly when the native ones do');
    const gan = new CompositionWgan({ ...PAPER_SETTINGS, batchSize: 16 }, 3);
    const critic = gan.criticStep(realBatch(16));
    const gradients = tf.tidy(() => {
      const z = tf.randomNormal([16, 128], 0, 1, 'float32', 8) as tf.Tensor2D;
      const { grads } = tf.variableGrads(() => tf.neg(tf.mean(gan.critic.apply(gan.generator.apply(z, true)))) as tf.Scalar, [...gan.generator.params.trainable.values()]);
      return Object.values(grads).map((g) => Array.from(g.dataSync()));
    });
    const generatorLoss = gan.generatorStep(16);
    // Every variable after one critic and one generator update (weights and BN moving averages).
    const named = (prefix: string, all: Map<string, tf.Variable>) => [...all].map(([name, v]) => ({ name: `${prefix}/${name}`, values: Array.from(v.dataSync()) }));
    const variables = [...named('critic', gan.critic.params.all()), ...named('generator', gan.generator.params.all())];
    gan.dispose();
    return { losses: [critic.criticLoss, critic.gradientPenalty, critic.wassersteinEstimate, generatorLoss], gradients, variables };
  };
  const { native, plain } = await bothPaths(compute);
  assert.ok(relativeDifference(native.losses, plain.losses) < 1e-5, `losses ${native.losses} vs ${plain.losses}`);
  native.variables.forEach(({ name, values }, i) => {
    assert.equal(name, plain.variables[i].name);
    const other = plain.variables[i].values;
    if (name.startsWith('critic/') || /moving_/.test(name)) {
      assert.ok(relativeDifference(values, other) < 1e-5, `${name} after the updates: ${relativeDifference(values, other)}`);
      return;
    }
    // Adam's first step moves each element by about lr·g/|g|: it divides every gradient element
    // by its own size, so the float noise of the smallest elements shows up enlarged (measured
    // ≤ 0.06·lr), and the biases that feed a batch norm (gradient exactly zero in theory, float
    // noise on both paths) move by ±lr with the noise's sign.
    const feedsBatchNorm = /^generator\/(dense1|convt[234])\/bias$/.test(name);
    const bound = (feedsBatchNorm ? 2.01 : 0.25) * PAPER_SETTINGS.learningRate;
    const largest = values.reduce((max, v, j) => Math.max(max, Math.abs(v - other[j])), 0);
    assert.ok(largest <= bound, `${name} after the updates: differs by ${largest}, bound ${bound}`);
  });
  // The biases before each batch norm have a gradient of exactly zero in theory: both paths give
  // float noise there (≤ 4e-6 against gradients up to ~4), so those are compared to the largest gradient.
  const largest = Math.max(...plain.gradients.map(maxAbs));
  native.gradients.forEach((g, i) => {
    const own = maxAbs(plain.gradients[i]);
    const scale = own < 1e-4 * largest ? largest : own;
    const difference = relativeDifference(g, plain.gradients[i]) * Math.max(own, 1e-30) / scale;
    assert.ok(difference < 1e-5, `generator gradient ${i}: ${difference}`);
  });
});

test('an addon built before the fused functions existed keeps the op-by-op layers', { skip: skipReason }, async () => {
  await initBackend('wasm', { native: true });
  assert.ok(hasFusedLayerKernels());
  installNativeWasmKernels({ ...load.kernels!, convTransposeForward: undefined } as unknown as NativeKernels);
  assert.ok(!hasFusedLayerKernels());
  installNativeWasmKernels(load.kernels!);
  assert.ok(hasFusedLayerKernels());
});

test('without the addon (or with it turned off) wasm runs its own kernels and says so', async () => {
  const choice = await initBackend('wasm', { native: false });
  assert.equal(choice.kernels, 'wasm');
  assert.ok(choice.notes.some((n) => /native: skipped/.test(n)), choice.notes.join('\n'));
  assert.ok(!nativeWasmKernelsInstalled());
  const restored = await initBackend('wasm');
  assert.equal(restored.kernels, load.kernels ? 'wasm + native OpenBLAS kernels' : 'wasm');
  assert.equal(loadNativeKernels({ CRYSTAL_GAN_NATIVE: '0' }).kernels, undefined);
});

test('the OpenBLAS thread setting is read from the environment and checked', () => {
  assert.equal(nativeThreadsFrom({}), 1);
  assert.equal(nativeThreadsFrom({ CRYSTAL_GAN_NATIVE_THREADS: '2' }), 2);
  assert.throws(() => nativeThreadsFrom({ CRYSTAL_GAN_NATIVE_THREADS: 'two' }), /CRYSTAL_GAN_NATIVE_THREADS=two: expected a whole number/);
});
