// Layers written with tfjs-core ops and variables (no tfjs-layers), so every kernel they need
// exists on the wasm backend, including for gradients. The transposed convolution is one matrix
// product (x·W, the taps of every input pixel) and a scatter-add of the taps onto the output
// (the wasm backend has no Conv2DBackpropFilter kernel, which the gradient of
// tf.conv2dTranspose needs): it is the same function as TensorFlow's conv2d_transpose with SAME
// padding and an explicit output shape, checked against it in tests.
import { tf } from '../backend';
import { hasConvTransposeKernels, IMAGE_TO_TAPS, IMAGE_TO_TAPS_TRANSPOSED, registerConvTransposeKernels, TAPS_TO_IMAGE, type ConvTransposeShape, type TapGeometry } from '../tfKernels';
import { FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD, FUSED_CONV_TRANSPOSE, FUSED_CONV_TRANSPOSE_BACKWARD, hasFusedKernel } from '../nativeKernels';
import type { SeededRng } from './rng';

let uniqueId = 0;

/** A model's parameters by logical name (what checkpoints store), trainable or not. */
export class ParameterSet {
  readonly trainable = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();

  constructor(readonly prefix: string) {}

  add(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    const variable = tf.variable(initial, trainable, `${this.prefix}/${name}#${uniqueId++}`);
    initial.dispose();
    (trainable ? this.trainable : this.state).set(name, variable);
    return variable;
  }

  /** Every variable, trainable first, by logical name. */
  all(): Map<string, tf.Variable> {
    return new Map([...this.trainable, ...this.state]);
  }

  dispose(): void {
    for (const v of this.all().values()) v.dispose();
  }
}

/** Glorot-uniform weights (our documented deviation from the reference code's N(0, 1)). */
export function glorotUniform(rng: SeededRng, shape: number[], fanIn: number, fanOut: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillUniform(new Float32Array(size), -limit, limit), shape);
}

/** He-normal weights for layers followed by ReLU. */
export function heNormal(rng: SeededRng, shape: number[], fanIn: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormal(new Float32Array(size), Math.sqrt(2 / fanIn)), shape);
}

export class Dense {
  readonly w: tf.Variable;
  readonly b: tf.Variable;

  constructor(params: ParameterSet, name: string, rng: SeededRng, readonly inputs: number, readonly outputs: number, init: 'he' | 'glorot') {
    const w = init === 'he' ? heNormal(rng, [inputs, outputs], inputs) : glorotUniform(rng, [inputs, outputs], inputs, outputs);
    this.w = params.add(`${name}/kernel`, w);
    this.b = params.add(`${name}/bias`, tf.zeros([outputs]));
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w), this.b);
  }
}

/** Batch statistics of one forward pass in training mode, to update the moving averages. */
export interface BatchStats {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * Batch normalisation over every axis but the last. Training mode uses the batch's statistics;
 * inference mode the moving averages (moving = momentum · moving + (1 − momentum) · batch,
 * updated by `updateMoving` after a generator step, as TensorFlow's update ops do).
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;

  constructor(params: ParameterSet, name: string, channels: number, readonly momentum = 0.9, readonly epsilon = 1e-5) {
    this.gamma = params.add(`${name}/gamma`, tf.ones([channels]));
    this.beta = params.add(`${name}/beta`, tf.zeros([channels]));
    this.movingMean = params.add(`${name}/moving_mean`, tf.zeros([channels]), false);
    this.movingVariance = params.add(`${name}/moving_variance`, tf.ones([channels]), false);
  }

  apply(x: tf.Tensor, training: boolean, stats?: BatchStats[]): tf.Tensor {
    return training ? this.applyTraining(x, stats) : this.applyWithOps(x, false);
  }

  /**
   * Training mode: one fused kernel each way where the native addon's kernels run (wasm +
   * OpenBLAS), else the closed form in tfjs ops. Same values to 1e-5 (test/ml.native.test.ts).
   */
  applyTraining(x: tf.Tensor, stats?: BatchStats[]): tf.Tensor {
    return hasFusedKernel(FUSED_BATCH_NORM) ? this.applyTrainingFused(x, stats) : this.applyTrainingClosedForm(x, stats);
  }

  /**
   * Statistics, normalisation and the closed-form gradient below each as one native pass over
   * the data (two passes each way) instead of ~8 tfjs ops forward and ~6 backward.
   */
  applyTrainingFused(x: tf.Tensor, stats?: BatchStats[]): tf.Tensor {
    const attrs = { epsilon: this.epsilon };
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const [value, mean, variance] = tf.engine().runKernel(FUSED_BATCH_NORM, { x: input, gamma, beta }, attrs) as tf.Tensor[];
      stats?.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
      save([input, mean, variance, gamma]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const [savedInput, savedMean, savedVariance, savedGamma] = saved;
        const inputs = { dy, x: savedInput, mean: savedMean, variance: savedVariance, gamma: savedGamma };
        return tf.engine().runKernel(FUSED_BATCH_NORM_BACKWARD, inputs, attrs) as tf.Tensor[];
      };
      return { value, gradFunc };
    });
    return op(x, this.gamma, this.beta);
  }

  /**
   * Training mode with the gradient written out (the standard closed form):
   * dx = γ·rstd/N · (N·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy. Autodiff through
   * tf.moments took five reductions and ~20 elementwise ops per layer; this takes two and six.
   * Same values as applyWithOps to 1e-5 (test/ml.fastpath.test.ts).
   */
  applyTrainingClosedForm(x: tf.Tensor, stats?: BatchStats[]): tf.Tensor {
    const axes = [...Array(x.rank - 1).keys()];
    const count = x.size / x.shape[x.rank - 1];
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { mean, variance } = tf.moments(input, axes);
      stats?.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
      const rstd = tf.rsqrt(tf.add(variance, this.epsilon));
      const normalized = tf.mul(tf.sub(input, mean), rstd);
      save([normalized, rstd, gamma]);
      const value = tf.add(tf.mul(normalized, gamma), beta);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const [savedNormalized, savedRstd, savedGamma] = saved;
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, savedNormalized), axes);
        const centred = tf.sub(tf.sub(tf.mul(dy, count), dBeta), tf.mul(savedNormalized, dGamma));
        const dx = tf.mul(centred, tf.mul(tf.mul(savedGamma, savedRstd), 1 / count));
        return [dx, dGamma, dBeta];
      };
      return { value, gradFunc };
    });
    return op(x, this.gamma, this.beta);
  }

  /** Batch norm with tfjs ops only (inference mode, and the reference for applyTraining). */
  applyWithOps(x: tf.Tensor, training: boolean, stats?: BatchStats[]): tf.Tensor {
    let mean: tf.Tensor = this.movingMean;
    let variance: tf.Tensor = this.movingVariance;
    if (training) {
      const axes = [...Array(x.rank - 1).keys()];
      ({ mean, variance } = tf.moments(x, axes));
      stats?.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
    }
    return tf.add(tf.mul(tf.sub(x, mean), tf.mul(tf.rsqrt(tf.add(variance, this.epsilon)), this.gamma)), this.beta);
  }

  updateMoving(stats: BatchStats): void {
    tf.tidy(() => {
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, this.momentum), tf.mul(stats.mean, 1 - this.momentum)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, this.momentum), tf.mul(stats.variance, 1 - this.momentum)));
    });
  }
}

/** 0/1 matrix [inSize·k, outSize] adding kernel tap t of input i into output i·stride + t − padBefore. */
function scatterMatrix(inSize: number, kernel: number, stride: number, outSize: number): tf.Tensor2D {
  // TensorFlow's SAME padding for a transposed conv with an explicit output size.
  const padBefore = Math.floor(Math.max((inSize - 1) * stride + kernel - outSize, 0) / 2);
  const values = new Float32Array(inSize * kernel * outSize);
  for (let i = 0; i < inSize; i++) {
    for (let t = 0; t < kernel; t++) {
      const o = i * stride + t - padBefore;
      if (o >= 0 && o < outSize) values[(i * kernel + t) * outSize + o] = 1;
    }
  }
  return tf.tensor2d(values, [inSize * kernel, outSize]);
}

/**
 * Transposed 2-D convolution, NHWC, as three matrix products: every input pixel's contribution
 * x·W (one product with the [inC, kw·outC·kh] kernel), then the scatter-add onto output rows and
 * columns, which factorises into a fixed 0/1 matrix per axis. Only rank ≤ 4 transposes are used
 * (wasm's generic rank-6 transpose is about 20× slower). Parameter count, receptive field and
 * output equal tf.conv2dTranspose(x, filter[k, k, outC, inC], [B, outH, outW, outC], stride, 'same').
 */
export class ConvTranspose {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  private readonly scatterH: tf.Tensor2D;
  private readonly scatterW: tf.Tensor2D;

  constructor(params: ParameterSet, name: string, rng: SeededRng, readonly shape: ConvTransposeShape, init: 'he' | 'glorot') {
    const { inC, outC, kernel: k } = shape;
    const fanIn = inC * k * k;
    const w = init === 'he' ? heNormal(rng, [inC, k * outC * k], fanIn) : glorotUniform(rng, [inC, k * outC * k], fanIn, outC * k * k);
    this.w = params.add(`${name}/kernel`, w);
    this.b = params.add(`${name}/bias`, tf.zeros([outC]));
    this.scatterH = tf.keep(scatterMatrix(shape.inH, k, shape.strideH, shape.outH));
    this.scatterW = tf.keep(scatterMatrix(shape.inW, k, shape.strideW, shape.outW));
    registerConvTransposeKernels();
  }

  /** Copies a TensorFlow filter [kh, kw, outC, inC] into this layer's kernel (tests, imports). */
  setFromFilter(filter: tf.Tensor4D): void {
    const { inC, outC, kernel: k } = this.shape;
    tf.tidy(() => this.w.assign(tf.reshape(tf.transpose(filter, [3, 1, 2, 0]), [inC, k * outC * k])));
  }

  /**
   * The layer's output. On wasm and cpu the scatter-add runs as one JS kernel (tfKernels.ts,
   * about a third of a training step faster on wasm); elsewhere as tfjs products and transposes.
   */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    if (hasFusedKernel(FUSED_CONV_TRANSPOSE)) return this.applyFused(x);
    return hasConvTransposeKernels() ? this.applyWithScatterKernel(x) : this.applyWithProducts(x);
  }

  /**
   * The whole layer, bias included, as one native kernel (wasm + the addon's kernels only) that
   * computes the taps of a few samples at a time and scatters them while they are in cache; its
   * gradient is one kernel too (dx, dW and db per block). Same function as the other two paths
   * to 1e-5 (test/ml.native.test.ts); not bit-identical (blocked products, bias added first).
   */
  applyFused(x: tf.Tensor4D): tf.Tensor4D {
    return this.fusedOp(x, this.w as tf.Tensor2D, this.b as tf.Tensor1D) as tf.Tensor4D;
  }

  private readonly fusedOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, bias, save] = args as [tf.Tensor4D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const { inH, inW, inC, outH, outW, outC, kernel, strideH, strideW } = this.shape;
    const attrs = { inH, inW, inC, outH, outW, outC, kernel, strideH, strideW } satisfies ConvTransposeShape as unknown as tf.NamedAttrMap;
    save([x, w]);
    const value = tf.engine().runKernel(FUSED_CONV_TRANSPOSE, { x, w, bias }, attrs) as tf.Tensor4D;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedX, savedW] = saved;
      return tf.engine().runKernel(FUSED_CONV_TRANSPOSE_BACKWARD, { dy, x: savedX, w: savedW }, attrs) as tf.Tensor[];
    };
    return { value, gradFunc };
  });

  /**
   * x·W, then the taps scattered onto the output by the TAPS_TO_IMAGE kernel. The gradient is
   * written out (customGrad) so the kernel's gradient takes the fast orientation on wasm:
   * dW = (dTapsᵀ·x)ᵀ with dTapsᵀ gathered directly, about 2× faster than xᵀ·dTaps (NOTES.md).
   */
  applyWithScatterKernel(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(this.scatterOp(x, this.w as tf.Tensor2D), this.b) as tf.Tensor4D;
  }

  private readonly scatterOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor2D, tf.GradSaveFunc];
    const { inH, inW, inC, outH, outW, outC, kernel, strideH, strideW } = this.shape;
    const batch = x.shape[0];
    const attrs = { batch, inH, inW, outH, outW, outC, kernel, strideH, strideW } satisfies TapGeometry as unknown as tf.NamedAttrMap;
    const pixels = tf.reshape(x, [batch * inH * inW, inC]);
    save([pixels, w]);
    const value = tf.engine().runKernel(TAPS_TO_IMAGE, { taps: tf.matMul(pixels, w) }, attrs) as tf.Tensor4D;
    const gradFunc = (dy: tf.Tensor4D, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedPixels, savedW] = saved as tf.Tensor2D[];
      const dTaps = tf.engine().runKernel(IMAGE_TO_TAPS, { image: dy }, attrs) as tf.Tensor2D;
      const dTapsTransposed = tf.engine().runKernel(IMAGE_TO_TAPS_TRANSPOSED, { image: dy }, attrs) as tf.Tensor2D;
      const dx = tf.reshape(tf.matMul(dTaps, savedW, false, true), [batch, inH, inW, inC]);
      const dw = tf.transpose(tf.matMul(dTapsTransposed, savedPixels));
      return [dx, dw];
    };
    return { value, gradFunc };
  });

  /** The same function with tfjs ops only: products with fixed 0/1 scatter matrices (any backend). */
  applyWithProducts(x: tf.Tensor4D): tf.Tensor4D {
    const { inH, inW, inC, outH, outW, outC, kernel: k } = this.shape;
    const batch = x.shape[0];
    // Taps per input pixel: [B·inH·inW, inC] × [inC, kw·outC·kh] → [B, inH, inW·kw·outC, kh].
    const taps = tf.reshape(tf.matMul(tf.reshape(x, [batch * inH * inW, inC]), this.w), [batch, inH, inW * k * outC, k]);
    // Rows: (inH, kh) last, scatter onto outH → [B, inW·kw, outC·outH].
    const byRow = tf.reshape(tf.transpose(taps, [0, 2, 1, 3]), [batch * inW * k * outC, inH * k]);
    const rows = tf.reshape(tf.matMul(byRow, this.scatterH), [batch, inW * k, outC * outH]);
    // Columns: (inW, kw) last, scatter onto outW → [B, outC, outH·outW].
    const byColumn = tf.reshape(tf.transpose(rows, [0, 2, 1]), [batch * outC * outH, inW * k]);
    const columns = tf.reshape(tf.matMul(byColumn, this.scatterW), [batch, outC, outH * outW]);
    const nhwc = tf.reshape(tf.transpose(columns, [0, 2, 1]), [batch, outH, outW, outC]);
    return tf.add(nhwc, this.b) as tf.Tensor4D;
  }

  dispose(): void {
    this.scatterH.dispose();
    this.scatterW.dispose();
  }
}
