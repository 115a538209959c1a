import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/ml/backend';
import { createRandom } from '../src/core/data/compositionDatasets';
import { Mlp } from '../src/ml/regressor/mlp';
import { compileNetwork, forwardOne } from '../src/ml/regressor/format';
import { TUNED, FAITHFUL } from '../src/ml/regressor/presets';
import { trainEnsemble, type Matrix } from '../src/ml/regressor/train';
import { regressionMetrics } from '../src/ml/regressor/metrics';

before(async () => {
  await initBackend('wasm');
});

function linearData(n: number, dim: number, seed: number): Matrix {
  const random = createRandom(seed);
  const coefficients = Array.from({ length: dim }, (_, j) => (j % 2 ? -1 : 1) * (j + 1) * 0.3);
  const x = new Float32Array(n * dim);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let t = 2;
    for (let j = 0; j < dim; j++) {
      const v = random.normal() * (j + 1) + j; // unscaled, offset features: standardisation matters
      x[r * dim + j] = v;
      t += coefficients[j] * v;
    }
    y[r] = t;
  }
  return { x, y, dim };
}

test('metrics: MAE, RMSE and R² = 1 − MSE/Var', () => {
  const m = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
  assert.equal(m.mae, 0.5);
  assert.equal(m.rmse, 1);
  assert.equal(m.r2, 1 - 1 / 1.25);
});

test('the regressor learns a synthetic linear target (val R² > 0.98)', async () => {
  const train = linearData(3000, 6, 1);
  const val = linearData(500, 6, 2);
  const result = await trainEnsemble(train, val, { preset: TUNED, seed: 3, members: 2, epochs: 25 });
  assert.equal(result.weights.members.length, 2);
  assert.ok(result.validation.r2 > 0.98, `R² ${result.validation.r2}`);
  const spread = val.y.reduce((s, v) => s + Math.abs(v), 0) / val.y.length;
  assert.ok(result.validation.mae < 0.1 * spread, `MAE ${result.validation.mae} vs mean |y| ${spread}`);
  assert.ok(result.memberReports.every((r) => r.bestEpoch >= 0 && r.epochsRun >= r.bestEpoch + 1));
});

test('the plain-TS forward pass with folded BatchNorm equals the tfjs forward pass to 1e-6', () => {
  for (const preset of [FAITHFUL, TUNED]) {
    const dim = 12;
    const mlp = new Mlp(dim, preset.hidden, preset.activations, 42);
    const random = createRandom(5);
    // Non-trivial BatchNorm parameters, so folding has something to fold.
    for (const block of mlp.blocks) {
      const units = block.gamma.shape[0];
      block.gamma.assign(tf.tensor1d(Array.from({ length: units }, () => 0.5 + random.next())));
      block.beta.assign(tf.tensor1d(Array.from({ length: units }, () => random.normal() * 0.3)));
      block.b.assign(tf.tensor1d(Array.from({ length: units }, () => random.normal() * 0.1)));
    }
    const sample = Float32Array.from({ length: 512 * dim }, () => random.normal() * 2 + 0.5);
    const calibration = tf.tensor2d(sample, [512, dim]);
    mlp.calibrate(calibration);
    const inputs = Float32Array.from({ length: 50 * dim }, () => random.normal());
    const expected = mlp.forwardInfer(tf.tensor2d(inputs, [50, dim])).dataSync();
    const net = compileNetwork(mlp.exportFolded(), dim);
    const scratch = new Float64Array(2 * net.maxWidth);
    for (let r = 0; r < 50; r++) {
      const got = forwardOne(net, Float64Array.from(inputs.subarray(r * dim, (r + 1) * dim)), scratch);
      assert.ok(Math.abs(got - expected[r]) <= 1e-6 * Math.max(1, Math.abs(expected[r])), `${preset.name} row ${r}: ${got} vs ${expected[r]}`);
    }
    calibration.dispose();
    mlp.dispose();
  }
});

/** Targets independent of the features: 0 for 80 % of rows, 5 for the rest (median 0, mean 1). */
function zeroInflated(n: number, seed: number): Matrix {
  const random = createRandom(seed);
  const x = Float32Array.from({ length: n * 3 }, () => random.normal());
  const y = Float32Array.from({ length: n }, () => (random.next() < 0.8 ? 0 : 5));
  return { x, y, dim: 3 };
}

test('the L1 loss fits the median of a zero-inflated target, the MSE loss its mean', async () => {
  const train = zeroInflated(2000, 4);
  const val = zeroInflated(400, 5);
  const l1 = await trainEnsemble(train, val, { preset: TUNED, seed: 1, epochs: 8, loss: 'l1' });
  const mse = await trainEnsemble(train, val, { preset: TUNED, seed: 1, epochs: 8 });
  // Median prediction (0) gives MAE ≈ 1.0 (0.2 × 5); mean prediction (1) gives ≈ 1.6.
  assert.ok(l1.validation.mae < 1.2, `L1 MAE ${l1.validation.mae}`);
  assert.ok(mse.validation.mae > 1.3, `MSE MAE ${mse.validation.mae}`);
});
