// The paper's MLP (method §7) in tfjs-core: Dense → BatchNorm → activation blocks, then Dense → 1.
// BatchNorm uses batch statistics while training; for inference the statistics are measured once
// over a sample of the training set with the earlier layers already in inference mode ("precise
// BN"), which is deterministic and needs no moving averages inside the gradient step.
import * as tf from '@tensorflow/tfjs-core';
import { createRandom, type Random } from '../../core/data/compositionDatasets';
import type { NetworkWeights } from './format';
import type { Activation } from './presets';

const BN_EPSILON = 1e-3;

interface Block {
  w: tf.Variable;
  b: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  activation: Activation;
  /** Inference statistics (set by calibrate). */
  mean?: Float32Array;
  variance?: Float32Array;
}

export interface MlpSnapshot {
  values: Float32Array[];
  stats: { mean: Float32Array; variance: Float32Array }[];
}

export class Mlp {
  readonly blocks: Block[];
  readonly outW: tf.Variable;
  readonly outB: tf.Variable;

  constructor(readonly inDim: number, hidden: number[], activations: Activation[], seed: number) {
    const random = createRandom(seed);
    let width = inDim;
    this.blocks = hidden.map((units, k) => {
      const block: Block = {
        w: tf.variable(heNormal(random, width, units)),
        b: tf.variable(tf.zeros([units])),
        gamma: tf.variable(tf.ones([units])),
        beta: tf.variable(tf.zeros([units])),
        activation: activations[k],
      };
      width = units;
      return block;
    });
    this.outW = tf.variable(heNormal(random, width, 1, 1));
    this.outB = tf.variable(tf.zeros([1]));
  }

  get trainable(): tf.Variable[] {
    return [...this.blocks.flatMap((b) => [b.w, b.b, b.gamma, b.beta]), this.outW, this.outB];
  }

  /** Training-mode forward pass (batch statistics). Returns [batch, 1]. */
  forwardTrain(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    for (const block of this.blocks) {
      const z = tf.add(tf.matMul(h, block.w), block.b) as tf.Tensor2D;
      const { mean, variance } = tf.moments(z, 0);
      h = activate(tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), block.gamma), block.beta) as tf.Tensor2D, block.activation);
    }
    return tf.add(tf.matMul(h, this.outW), this.outB) as tf.Tensor2D;
  }

  /** Inference-mode forward pass with the calibrated statistics. Returns [batch, 1]. */
  forwardInfer(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x;
      for (const block of this.blocks) {
        if (!block.mean || !block.variance) throw new Error('call calibrate() before inference');
        const z = tf.add(tf.matMul(h, block.w), block.b);
        h = activate(tf.add(tf.mul(tf.div(tf.sub(z, block.mean), tf.sqrt(tf.add(block.variance, BN_EPSILON))), block.gamma), block.beta) as tf.Tensor2D, block.activation);
      }
      return tf.add(tf.matMul(h, this.outW), this.outB) as tf.Tensor2D;
    });
  }

  /** Measures each BatchNorm's inference statistics on `x` (a sample of the training inputs). */
  calibrate(x: tf.Tensor2D): void {
    tf.tidy(() => {
      let h = x;
      for (const block of this.blocks) {
        const z = tf.add(tf.matMul(h, block.w), block.b);
        const { mean, variance } = tf.moments(z, 0);
        block.mean = mean.dataSync() as Float32Array;
        block.variance = variance.dataSync() as Float32Array;
        h = activate(tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), block.gamma), block.beta) as tf.Tensor2D, block.activation);
      }
    });
  }

  snapshot(): MlpSnapshot {
    return {
      values: this.trainable.map((v) => v.dataSync().slice() as Float32Array),
      stats: this.blocks.map((b) => ({ mean: (b.mean ?? new Float32Array()).slice(), variance: (b.variance ?? new Float32Array()).slice() })),
    };
  }

  restore(s: MlpSnapshot): void {
    this.trainable.forEach((v, i) => v.assign(tf.tensor(s.values[i], v.shape)));
    this.blocks.forEach((b, i) => {
      b.mean = s.stats[i].mean;
      b.variance = s.stats[i].variance;
    });
  }

  /** Dense layers with BatchNorm folded in: W' = W·γ/σ, b' = (b − μ)·γ/σ + β. */
  exportFolded(): NetworkWeights {
    const layers: NetworkWeights['layers'] = this.blocks.map((block) => {
      if (!block.mean || !block.variance) throw new Error('call calibrate() before export');
      const w = block.w.dataSync();
      const b = block.b.dataSync();
      const gamma = block.gamma.dataSync();
      const beta = block.beta.dataSync();
      const [inDim, outDim] = block.w.shape;
      const scale = Array.from({ length: outDim }, (_, j) => gamma[j] / Math.sqrt(block.variance![j] + BN_EPSILON));
      return {
        inDim,
        outDim,
        weights: Array.from(w, (value, k) => value * scale[k % outDim]),
        bias: scale.map((s, j) => (b[j] - block.mean![j]) * s + beta[j]),
        activation: block.activation,
      };
    });
    layers.push({ inDim: this.outW.shape[0], outDim: 1, weights: Array.from(this.outW.dataSync()), bias: Array.from(this.outB.dataSync()), activation: 'linear' });
    return { layers };
  }

  dispose(): void {
    for (const v of this.trainable) v.dispose();
  }
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return activation === 'relu' ? tf.relu(x) : x;
}

/** He-normal initial weights from our own seeded generator (tfjs's seeds differ across backends). */
function heNormal(random: Random, fanIn: number, fanOut: number, gain = 2): tf.Tensor2D {
  const std = Math.sqrt(gain / fanIn);
  const values = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
  return tf.tensor2d(values, [fanIn, fanOut]);
}
