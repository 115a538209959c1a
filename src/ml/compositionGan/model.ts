// The composition GAN of Hu et al. 2020 (method-composition-gan.md §3), in tfjs-core ops.
//
// Generator: z ∈ R¹²⁸ → Linear 3072, BN, ReLU → 6×4×128 → ConvT 5×5 s(2,2) 11×8×64, BN, ReLU →
// ConvT 3×3 s(2,1) 22×8×32, BN, ReLU → ConvT 3×3 s(2,1) 43×8×16, BN, ReLU → ConvT 3×3 s(2,1)
// 85×8×1, sigmoid. Same layer sizes and parameter counts as the paper; the transposed
// convolutions are computed with matrix products (layers.ts) because wasm lacks the kernel for
// their filter gradient. TF SAME padding with explicit output shapes, as the original.
// Critic (DeepSets): A = tanh(W_e + b_e) (85×128), h = Σ_e n_e · A_e with n_e = Σ_n n · X[e, n-1],
// then MLP 128→128→64→32→1 with ReLU and a linear output. The `cells` critic option (presets.ts)
// adds a second input to the MLP's first layer: a dense map of the flattened 680 cells, i.e. the first
// layer sees h ‖ x (concatenation) while the paper's variables keep their names and shapes.
// Deviation (documented): weights start from He-normal / Glorot-uniform, not N(0, 1).
import { tf } from '../backend';
import { ELEMENT_COUNT, ELEMENTS_85, MATRIX_SIZE, MAX_COUNT } from '../../core/features/encoding';
import { BatchNorm, ConvTranspose, Dense, glorotUniform, heNormal, ParameterSet, type BatchStats } from './layers';
import type { SeededRng } from './rng';

export const NOISE_DIM = 128;
export const EMBEDDING_DIM = 128;

/** How the generator starts (presets.ts); the variables and their shapes never change. */
export interface GeneratorInit {
  /**
   * Initial value of the final transposed convolution's bias (the output logit). 0 is the
   * paper's zero bias; logit(mean cell occupancy of the training data) is the usual prior init,
   * which starts the sigmoid outputs near the data's sparsity instead of at 0.5.
   */
  outputBiasLogit?: number;
  /** How the output layer's logits become cells (default `sigmoid`, the paper's). */
  output?: GeneratorOutput;
}

/**
 * `sigmoid`: the paper's 680 independent sigmoid cells. `slot-argmax` / `slot-gumbel`: crisp by
 * construction. Each element row is a choice among 9 options, "absent" (a fixed logit 0) and the 8
 * count slots (the output layer's 8 logits); the cells are the one-hot of the chosen option (argmax of
 * the logits, or of the logits plus Gumbel noise, i.e. a sample of the softmax), and the gradient flows
 * through the softmax (straight-through estimator). The variables are the same in every mode.
 */
export const GENERATOR_OUTPUTS = ['sigmoid', 'slot-argmax', 'slot-gumbel'] as const;
export type GeneratorOutput = (typeof GENERATOR_OUTPUTS)[number];

export function isGeneratorOutput(value: string): value is GeneratorOutput {
  return (GENERATOR_OUTPUTS as readonly string[]).includes(value);
}

/** Options per element row in the slot outputs: absent + MAX_COUNT slots. */
const SLOT_OPTIONS = MAX_COUNT + 1;

/** Forward: the one-hot of each row's largest entry; backward: the identity (straight-through). */
const straightThroughOneHot = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.cast(tf.oneHot(tf.argMax(inputs[0] as tf.Tensor, -1), SLOT_OPTIONS), 'float32'),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => dy as tf.Tensor,
}));

/** Gumbel(0, 1) noise −log(−log u) for the `slot-gumbel` output, [batch, 85, 9] from uniform draws. */
export function gumbelNoise(uniform: Float32Array, batch: number): tf.Tensor3D {
  return tf.tidy(() => {
    const u = tf.clipByValue(tf.tensor3d(uniform, [batch, ELEMENT_COUNT, SLOT_OPTIONS]), 1e-7, 1 - 1e-7);
    return tf.neg(tf.log(tf.neg(tf.log(u)))) as tf.Tensor3D;
  });
}

/** Uniform draws per batch that gumbelNoise needs. */
export const GUMBEL_DRAWS_PER_SAMPLE = ELEMENT_COUNT * SLOT_OPTIONS;

export class Generator {
  readonly params = new ParameterSet('generator');
  private readonly dense: Dense;
  private readonly norms: BatchNorm[];
  private readonly convs: ConvTranspose[];
  readonly output: GeneratorOutput;

  constructor(rng: SeededRng, init: GeneratorInit = {}) {
    this.output = init.output ?? 'sigmoid';
    this.dense = new Dense(this.params, 'dense1', rng, NOISE_DIM, 6 * 4 * 128, 'he');
    this.convs = [
      new ConvTranspose(this.params, 'convt2', rng, { inH: 6, inW: 4, inC: 128, outH: 11, outW: 8, outC: 64, kernel: 5, strideH: 2, strideW: 2 }, 'he'),
      new ConvTranspose(this.params, 'convt3', rng, { inH: 11, inW: 8, inC: 64, outH: 22, outW: 8, outC: 32, kernel: 3, strideH: 2, strideW: 1 }, 'he'),
      new ConvTranspose(this.params, 'convt4', rng, { inH: 22, inW: 8, inC: 32, outH: 43, outW: 8, outC: 16, kernel: 3, strideH: 2, strideW: 1 }, 'he'),
      new ConvTranspose(this.params, 'convt5', rng, { inH: 43, inW: 8, inC: 16, outH: 85, outW: 8, outC: 1, kernel: 3, strideH: 2, strideW: 1 }, 'glorot'),
    ];
    this.norms = [
      new BatchNorm(this.params, 'bn1', 6 * 4 * 128),
      new BatchNorm(this.params, 'bn2', 64),
      new BatchNorm(this.params, 'bn3', 32),
      new BatchNorm(this.params, 'bn4', 16),
    ];
    if (init.outputBiasLogit !== undefined) this.setOutputBias(init.outputBiasLogit);
  }

  /** Sets every entry of the output layer's bias (the logit added to every cell). */
  setOutputBias(logit: number): void {
    const bias = this.convs[3].b;
    tf.tidy(() => bias.assign(tf.fill(bias.shape, logit)));
  }

  /** The output layer's bias values (for tests and run records). */
  outputBias(): Float32Array {
    return this.convs[3].b.dataSync() as Float32Array;
  }

  /**
   * z [B, 128] → cells [B, 85, 8]. Training mode pushes each BN's batch statistics to `stats`.
   * `gumbel` ([B, 85, 9], gumbelNoise) is required by the `slot-gumbel` output and ignored otherwise.
   */
  apply(z: tf.Tensor2D, training: boolean, stats?: BatchStats[], gumbel?: tf.Tensor3D): tf.Tensor3D {
    const batch = z.shape[0];
    let h: tf.Tensor = tf.relu(this.norms[0].apply(this.dense.apply(z), training, stats));
    h = tf.reshape(h, [batch, 6, 4, 128]);
    for (let i = 0; i < 3; i++) h = tf.relu(this.norms[i + 1].apply(this.convs[i].apply(h as tf.Tensor4D), training, stats));
    const logits = tf.reshape(this.convs[3].apply(h as tf.Tensor4D), [batch, ELEMENT_COUNT, MAX_COUNT]);
    if (this.output === 'sigmoid') return tf.sigmoid(logits) as tf.Tensor3D;
    let options = tf.concat([tf.zeros([batch, ELEMENT_COUNT, 1]), logits], 2);
    if (this.output === 'slot-gumbel') {
      if (!gumbel) throw new Error('the slot-gumbel output needs Gumbel noise');
      options = tf.add(options, gumbel);
    }
    const crisp = straightThroughOneHot(tf.softmax(options));
    return tf.slice(crisp, [0, 0, 1], [batch, ELEMENT_COUNT, MAX_COUNT]) as tf.Tensor3D;
  }

  /** Moves each BN's moving averages towards the statistics of one training-mode pass. */
  updateMovingAverages(stats: BatchStats[]): void {
    if (stats.length !== this.norms.length) throw new Error(`expected ${this.norms.length} batch statistics, got ${stats.length}`);
    this.norms.forEach((norm, i) => norm.updateMoving(stats[i]));
  }

  dispose(): void {
    this.params.dispose();
    for (const c of this.convs) c.dispose();
  }
}

/** What the critic sees besides the paper's pooled vector (presets.ts, CRITIC_PRESETS). */
export interface CriticOptions {
  /**
   * Adds `cells/kernel` [680, 128], a dense map of the flattened cells into the first MLP layer's
   * pre-activation. The pooled h is linear in the 85 counts n_e, so faint mass spread over many cells
   * looks like one crisp cell to the paper critic; the cell path sees each cell on its own.
   */
  cellPath?: boolean;
}

export class Critic {
  readonly params = new ParameterSet('critic');
  readonly embeddingWeight: tf.Variable;
  readonly embeddingBias: tf.Variable;
  private readonly mlp: Dense[];
  /** [680, 85]: sums n · X[e, n-1] over the slots of each element (the pooling weights n_e). */
  private readonly slotCounts: tf.Tensor2D;
  /** [680, 128] when the cell path is on. */
  readonly cellKernel?: tf.Variable;

  constructor(rng: SeededRng, options: CriticOptions = {}) {
    this.embeddingWeight = this.params.add('embedding/kernel', glorotUniform(rng, [ELEMENT_COUNT, EMBEDDING_DIM], ELEMENT_COUNT, EMBEDDING_DIM));
    this.embeddingBias = this.params.add('embedding/bias', tf.zeros([EMBEDDING_DIM]));
    this.mlp = [
      new Dense(this.params, 'dense1', rng, EMBEDDING_DIM, 128, 'he'),
      new Dense(this.params, 'dense2', rng, 128, 64, 'he'),
      new Dense(this.params, 'dense3', rng, 64, 32, 'he'),
      new Dense(this.params, 'out', rng, 32, 1, 'glorot'),
    ];
    const pooling = new Float32Array(ELEMENT_COUNT * MAX_COUNT * ELEMENT_COUNT);
    for (let e = 0; e < ELEMENT_COUNT; e++) {
      for (let n = 0; n < MAX_COUNT; n++) pooling[(e * MAX_COUNT + n) * ELEMENT_COUNT + e] = n + 1;
    }
    this.slotCounts = tf.keep(tf.tensor2d(pooling, [ELEMENT_COUNT * MAX_COUNT, ELEMENT_COUNT]));
    // Drawn after the paper's variables, so they start as in a paper critic of the same seed.
    if (options.cellPath) this.cellKernel = this.params.add('cells/kernel', heNormal(rng, [MATRIX_SIZE, 128], MATRIX_SIZE));
  }

  /** The element embeddings A = tanh(W_e + b_e), [85, 128]. */
  embeddings(): tf.Tensor2D {
    return tf.tanh(tf.add(this.embeddingWeight, this.embeddingBias)) as tf.Tensor2D;
  }

  /** x [B, 85, 8] → scores [B, 1]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    const batch = x.shape[0];
    const cells = tf.reshape(x, [batch, MATRIX_SIZE]) as tf.Tensor2D;
    const pooled: tf.Tensor2D = tf.matMul(tf.matMul(cells, this.slotCounts), this.embeddings());
    let firstLayer = this.mlp[0].apply(pooled);
    if (this.cellKernel) firstLayer = tf.add(firstLayer, tf.matMul(cells, this.cellKernel));
    let h: tf.Tensor2D = tf.relu(firstLayer);
    for (let i = 1; i < this.mlp.length - 1; i++) h = tf.relu(this.mlp[i].apply(h));
    return this.mlp[this.mlp.length - 1].apply(h);
  }

  dispose(): void {
    this.params.dispose();
    this.slotCounts.dispose();
  }
}

/** The `embeddings.json` content of a run (read by the `gan` featurizers). */
export interface EmbeddingsFile {
  elements: string[];
  dim: number;
  vectors: number[][];
  notes: string[];
  source: { runId: string; step: number };
}

export function exportEmbeddings(critic: Critic, source: { runId: string; step: number }): EmbeddingsFile {
  const table = tf.tidy(() => critic.embeddings().arraySync());
  return {
    elements: [...ELEMENTS_85],
    dim: EMBEDDING_DIM,
    vectors: table,
    notes: [
      'vectors[e] = tanh(W_e + b_e), row e of the critic\'s element-embedding table (Hu et al. 2020).',
      'Feature of a formula: raw mode f = Σ_e n_e · vectors[e] with amounts as written (paper-faithful, Fe4O6 = 2 × Fe2O3); fraction mode uses atomic fractions instead of n_e.',
    ],
    source,
  };
}
