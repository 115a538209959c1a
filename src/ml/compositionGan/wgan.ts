// WGAN-GP training of the composition GAN (method-composition-gan.md §4): critic loss
// E[D(G(z))] − E[D(x)] + λ·E[(‖∇D(x̂)‖₂ − 1)²] with x̂ = x + ε(G(z) − x), ε ~ U(0,1) per sample and
// the norm over the whole 85×8 input; generator loss −E[D(G(z))]; n_critic critic steps per
// generator step; Adam(1e-4, β 0.5/0.9) for both. All randomness comes from one seeded RNG whose
// state is checkpointed, so a resumed run repeats an uninterrupted one.
import { tf } from '../backend';
import { adamState, assignVariables, loadTensors, restoreAdamState, saveTensors, type NamedTensor } from '../io';
import { ELEMENT_COUNT, MAX_COUNT } from '../../core/features/encoding';
import { Critic, Generator, GUMBEL_DRAWS_PER_SAMPLE, gumbelNoise, NOISE_DIM, type CriticOptions, type GeneratorInit } from './model';
import { SeededRng, type SavedRngState } from './rng';

export interface WganSettings {
  batchSize: number;
  nCritic: number;
  gradientPenaltyWeight: number;
  learningRate: number;
  beta1: number;
  beta2: number;
}

export const PAPER_SETTINGS: WganSettings = { batchSize: 256, nCritic: 5, gradientPenaltyWeight: 10, learningRate: 1e-4, beta1: 0.5, beta2: 0.9 };

export interface CriticStepResult {
  criticLoss: number;
  gradientPenalty: number;
  /** E[D(x)] − E[D(G(z))] on this batch. */
  wassersteinEstimate: number;
}

/** The critic's WGAN-GP loss terms as tensors (shared by training and held-out evaluation). */
function criticTerms(critic: Critic, real: tf.Tensor3D, fake: tf.Tensor3D, epsilon: tf.Tensor3D, lambda: number) {
  const dReal = tf.mean(critic.apply(real));
  const dFake = tf.mean(critic.apply(fake));
  const mixed = tf.add(real, tf.mul(epsilon, tf.sub(fake, real)));
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic.apply(x)))(mixed);
  // The small constant keeps the norm's own gradient finite where the input gradient vanishes.
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2]), 1e-12));
  const penalty = tf.mean(tf.square(tf.sub(norm, 1)));
  const loss = tf.add(tf.sub(dFake, dReal), tf.mul(penalty, lambda)) as tf.Scalar;
  return { loss, penalty, wasserstein: tf.sub(dReal, dFake) };
}

/** How the generator starts and learns (presets.ts); defaults are the paper's. */
export interface WganOptions {
  generatorInit?: GeneratorInit;
  /** Generator Adam learning rate; default settings.learningRate (the critic's). */
  generatorLearningRate?: number;
  /** What the critic sees (presets.ts, CRITIC_PRESETS); default the paper's critic. */
  critic?: CriticOptions;
}

export class CompositionWgan {
  readonly generator: Generator;
  readonly critic: Critic;
  readonly generatorOptimizer: tf.AdamOptimizer;
  readonly criticOptimizer: tf.AdamOptimizer;
  rng: SeededRng;

  constructor(readonly settings: WganSettings, seed: number, options: WganOptions = {}) {
    const initRng = new SeededRng(seed ^ 0x5eed1e55);
    this.generator = new Generator(initRng, options.generatorInit);
    this.critic = new Critic(initRng, options.critic);
    this.generatorOptimizer = tf.train.adam(options.generatorLearningRate ?? settings.learningRate, settings.beta1, settings.beta2);
    this.criticOptimizer = tf.train.adam(settings.learningRate, settings.beta1, settings.beta2);
    this.rng = new SeededRng(seed);
  }

  private noise(batch: number, rng: SeededRng = this.rng): tf.Tensor2D {
    return tf.tensor2d(rng.fillNormal(new Float32Array(batch * NOISE_DIM)), [batch, NOISE_DIM]);
  }

  /** Generator output for `batch` noise vectors; the slot-gumbel output draws its Gumbel noise from `rng` too. */
  private generate(batch: number, rng: SeededRng, stats?: { mean: tf.Tensor; variance: tf.Tensor }[]): tf.Tensor3D {
    const z = this.noise(batch, rng);
    return this.generator.apply(z, true, stats, gumbelFor(this.generator, batch, rng));
  }

  private epsilon(batch: number, rng: SeededRng = this.rng): tf.Tensor3D {
    return tf.tensor3d(rng.fillUniform(new Float32Array(batch)), [batch, 1, 1]);
  }

  /** One critic update on a real batch (row-major [B, 85, 8] one-hot matrices). */
  criticStep(realValues: Float32Array): CriticStepResult {
    const batch = realValues.length / (ELEMENT_COUNT * MAX_COUNT);
    return tf.tidy(() => {
      const real = tf.tensor3d(realValues, [batch, ELEMENT_COUNT, MAX_COUNT]);
      const fake = this.generate(batch, this.rng);
      const epsilon = this.epsilon(batch);
      let penalty: tf.Tensor | undefined;
      let wasserstein: tf.Tensor | undefined;
      const loss = this.criticOptimizer.minimize(
        () => {
          const terms = criticTerms(this.critic, real, fake, epsilon, this.settings.gradientPenaltyWeight);
          penalty = tf.keep(terms.penalty);
          wasserstein = tf.keep(terms.wasserstein);
          return terms.loss;
        },
        true,
        [...this.critic.params.trainable.values()],
      ) as tf.Scalar;
      const result = { criticLoss: loss.dataSync()[0], gradientPenalty: (penalty as tf.Tensor).dataSync()[0], wassersteinEstimate: (wasserstein as tf.Tensor).dataSync()[0] };
      // Kept to leave minimize()'s inner scope, so tidy does not free them: two tensors a step leaked.
      tf.dispose([penalty as tf.Tensor, wasserstein as tf.Tensor]);
      return result;
    });
  }

  /** One generator update; the generator's BN moving averages follow its batch statistics. */
  generatorStep(batch: number): number {
    return tf.tidy(() => {
      const stats: { mean: tf.Tensor; variance: tf.Tensor }[] = [];
      const loss = this.generatorOptimizer.minimize(
        () => tf.neg(tf.mean(this.critic.apply(this.generate(batch, this.rng, stats)))) as tf.Scalar,
        true,
        [...this.generator.params.trainable.values()],
      ) as tf.Scalar;
      this.generator.updateMovingAverages(stats);
      tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));
      return loss.dataSync()[0];
    });
  }

  /**
   * Mean critic loss (with penalty) and Wasserstein estimate over held-out batches. Uses its own
   * RNG seeded by `seed`, so evaluation does not move the training stream and is comparable over time.
   */
  evaluate(batches: Float32Array[], seed: number): { heldOutCriticLoss: number; heldOutWasserstein: number } {
    const rng = new SeededRng(seed);
    let loss = 0;
    let wasserstein = 0;
    let count = 0;
    for (const values of batches) {
      const batch = values.length / (ELEMENT_COUNT * MAX_COUNT);
      tf.tidy(() => {
        const real = tf.tensor3d(values, [batch, ELEMENT_COUNT, MAX_COUNT]);
        const fake = this.generate(batch, rng);
        const terms = criticTerms(this.critic, real, fake, this.epsilon(batch, rng), this.settings.gradientPenaltyWeight);
        loss += terms.loss.dataSync()[0] * batch;
        wasserstein += terms.wasserstein.dataSync()[0] * batch;
        count += batch;
      });
    }
    return { heldOutCriticLoss: count ? loss / count : Number.NaN, heldOutWasserstein: count ? wasserstein / count : Number.NaN };
  }

  /** Every tensor of the training state under stable names (for checkpoints). */
  async stateTensors(): Promise<NamedTensor[]> {
    const named = (prefix: string, vars: Map<string, tf.Variable>) => [...vars].map(([name, tensor]) => ({ name: `${prefix}/${name}`, tensor }));
    return [
      ...named('generator', this.generator.params.all()),
      ...named('critic', this.critic.params.all()),
      ...(await adamState(this.generatorOptimizer, 'optimizer/generator')),
      ...(await adamState(this.criticOptimizer, 'optimizer/critic')),
    ];
  }

  /** Writes the full training state (weights, both optimizers, RNG) plus `extra` metadata to `dir`. */
  async save(dir: string, extra: Record<string, unknown>, extraTensors: NamedTensor[] = []): Promise<void> {
    saveTensors(dir, [...(await this.stateTensors()), ...extraTensors], { ...extra, settings: this.settings, rng: this.rng.getState() });
  }

  /** Restores what save() wrote; returns its metadata and the tensors it did not consume (caller disposes). */
  async restore(dir: string): Promise<{ metadata: Record<string, unknown>; tensors: Map<string, tf.Tensor> }> {
    const { tensors, metadata } = loadTensors(dir);
    const prefixed = (prefix: string, vars: Map<string, tf.Variable>) => new Map([...vars].map(([name, v]) => [`${prefix}/${name}`, v] as const));
    assignVariables(prefixed('generator', this.generator.params.all()), tensors, dir);
    assignVariables(prefixed('critic', this.critic.params.all()), tensors, dir);
    await restoreAdamState(this.generatorOptimizer, tensors, 'optimizer/generator', dir);
    await restoreAdamState(this.criticOptimizer, tensors, 'optimizer/critic', dir);
    this.rng = SeededRng.fromState(metadata.rng as SavedRngState);
    return { metadata, tensors };
  }

  dispose(): void {
    this.generator.dispose();
    this.critic.dispose();
    this.generatorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}

/** Gumbel noise for the slot-gumbel output (drawn from `rng`), undefined for the other outputs (no draws). */
export function gumbelFor(generator: Generator, batch: number, rng: SeededRng): tf.Tensor3D | undefined {
  if (generator.output !== 'slot-gumbel') return undefined;
  return gumbelNoise(rng.fillUniform(new Float32Array(batch * GUMBEL_DRAWS_PER_SAMPLE)), batch);
}

/** Saves only the generator (weights + BN moving averages) and its output mode, for sampling. */
export function saveGenerator(generator: Generator, dir: string, metadata: Record<string, unknown>): void {
  saveTensors(dir, [...generator.params.all()].map(([name, tensor]) => ({ name, tensor })), { ...metadata, architecture: 'hu2020-composition-generator/1', output: generator.output });
}
