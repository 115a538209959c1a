// One WGAN-GP training step for the crystal GAN, sampling, and the weight/optimizer state that a
// checkpoint needs. Hyperparameters follow Gulrajani et al. (2017): λ = 10, n_critic = 5,
// Adam β = (0.5, 0.9), with lr 2e-4 (the seed's rate; twice theirs, because our step budget on
// shared CPUs is small). A small auxiliary term pulls the generator's soft composition
// (Σ present · species) towards its condition, the role of Kim et al.'s Q-net (lesson 5), and a
// physical prior penalises generated atoms closer than 1 Å through their coordinates only (a
// training loss, not a repair of the output: decoding never moves atoms).
import { tf } from '../backend';
import { gaussian, type Random } from './augmentation';
import { CrystalCritic, CrystalGenerator, DEFAULT_ARCHITECTURE, overlapPenalty, softCounts, type CrystalBatch, type CrystalGanArchitecture, type DenseLayer } from './model';
import { atomFeatures, type EncodedCrystal, type RepresentationSpec } from './representation';
import type { WganSettings } from '../compositionGan/wgan';

/** The WGAN-GP settings both GANs share (batch, n_critic, λ, Adam), plus the crystal terms. */
export interface CrystalGanHyperparameters extends WganSettings {
  /** Weight of the generator's composition-matching term (mean squared error on counts). */
  compositionWeight: number;
  /** Weight of the generator's overlap term: Σ over atom pairs closer than overlapRadius of (r₀ − d)². */
  overlapWeight: number;
  /** Å: pairs closer than this are penalised (below every real Nb–O or perovskite contact). */
  overlapRadius: number;
  /**
   * The gradient penalty measures the critic's slope in (K · lattice, atoms) instead of
   * (lattice, atoms). With K = 1 (absent: the first models) a unit slope over the normalised
   * cell (lengths ÷ 30 Å) lets the critic score a cell twice too large only ≈ 0.05 worse than
   * the right one, while moving one atom half a cell costs up to 2: the cell scale, and so the
   * density, was almost invisible to it. K = 10 weighs a 3 Å length change like moving one atom
   * a sixth of the cell along one axis (docs/results/crystal-gan.md §2: density EMD 5.6 → 0.6).
   */
  latticeGradientScale?: number;
}

export const DEFAULT_HYPERPARAMETERS: CrystalGanHyperparameters = {
  batchSize: 32,
  nCritic: 5,
  gradientPenaltyWeight: 10,
  learningRate: 2e-4,
  beta1: 0.5,
  beta2: 0.9,
  compositionWeight: 1,
  overlapWeight: 1,
  overlapRadius: 1,
  latticeGradientScale: 10,
};

export interface StepLosses {
  criticLoss: number;
  generatorLoss: number;
  /** Mean critic(real) − critic(fake) on the last critic batch: the Wasserstein estimate. */
  wassersteinEstimate: number;
  gradientPenalty: number;
  compositionError: number;
  overlap: number;
}

/** Stacks encoded crystals into the tensors the networks take. */
export function toBatch(items: EncodedCrystal[], spec: RepresentationSpec): { batch: CrystalBatch; condition: tf.Tensor2D } {
  const width = atomFeatures(spec);
  return {
    batch: {
      lattice: tf.tensor2d(items.flatMap((x) => x.lattice), [items.length, 6]),
      atoms: tf.tensor3d(items.flatMap((x) => x.atoms), [items.length, spec.maxAtoms, width]),
    },
    condition: tf.tensor2d(items.flatMap((x) => x.condition), [items.length, spec.elements.length]),
  };
}

export class CrystalGanModel {
  readonly generator: CrystalGenerator;
  readonly critic: CrystalCritic;
  readonly generatorOptimizer: tf.AdamOptimizer;
  readonly criticOptimizer: tf.AdamOptimizer;

  constructor(
    readonly spec: RepresentationSpec,
    readonly hyper: CrystalGanHyperparameters = DEFAULT_HYPERPARAMETERS,
    readonly arch: CrystalGanArchitecture = DEFAULT_ARCHITECTURE,
    seed = 0,
  ) {
    this.generator = new CrystalGenerator(spec, arch, seed * 100);
    this.critic = new CrystalCritic(spec, arch, seed * 100);
    this.generatorOptimizer = tf.train.adam(hyper.learningRate, hyper.beta1, hyper.beta2);
    this.criticOptimizer = tf.train.adam(hyper.learningRate, hyper.beta1, hyper.beta2);
  }

  latent(count: number, random: Random): tf.Tensor2D {
    return latentBatch(count, this.arch.latentDim, random);
  }

  /** One generator step preceded by nCritic critic steps; `sampleReal` returns a fresh real batch. */
  trainStep(sampleReal: () => EncodedCrystal[], random: Random): StepLosses {
    let criticLoss = 0;
    let wassersteinEstimate = 0;
    let gradientPenalty = 0;
    for (let k = 0; k < this.hyper.nCritic; k++) {
      const items = sampleReal();
      [criticLoss, wassersteinEstimate, gradientPenalty] = this.criticStep(items, random);
    }
    const [generatorLoss, compositionError, overlap] = this.generatorStep(sampleReal(), random);
    return { criticLoss, generatorLoss, wassersteinEstimate, gradientPenalty, compositionError, overlap };
  }

  private criticStep(items: EncodedCrystal[], random: Random): [number, number, number] {
    const B = items.length;
    const epsilons = Array.from({ length: B }, () => random());
    const z = this.latent(B, random);
    const { batch: real, condition } = toBatch(items, this.spec);
    // The fake batch is an input here: the critic step must not backpropagate into the generator.
    const fake = this.generator.apply(z, condition);
    let parts: tf.Tensor[] = [];
    const loss = this.criticOptimizer.minimize(() => {
      const realScore = this.critic.apply(real, condition);
      const fakeScore = this.critic.apply(fake, condition);
      const eps = tf.tensor1d(epsilons);
      const mix = <T extends tf.Tensor>(r: T, f: T): T => {
        const e = eps.reshape([B, ...r.shape.slice(1).map(() => 1)]);
        return tf.add(tf.mul(r, e), tf.mul(f, tf.sub(1, e))) as T;
      };
      const scale = this.hyper.latticeGradientScale ?? 1;
      const gradients = tf.grads((scaledLattice: tf.Tensor, atoms: tf.Tensor) => tf.sum(this.critic.apply({ lattice: tf.div(scaledLattice, scale) as tf.Tensor2D, atoms: atoms as tf.Tensor3D }, condition)));
      const [gl, ga] = gradients([tf.mul(mix(real.lattice, fake.lattice), scale), mix(real.atoms, fake.atoms)]);
      const gradNorm = tf.sqrt(tf.add(tf.add(tf.sum(tf.square(gl), 1), tf.sum(tf.square(ga), [1, 2])), 1e-12));
      const penalty = tf.mean(tf.square(tf.sub(gradNorm, 1)));
      const wasserstein = tf.sub(tf.mean(realScore), tf.mean(fakeScore));
      parts = [tf.keep(wasserstein), tf.keep(penalty)];
      return tf.add(tf.neg(wasserstein), tf.mul(penalty, this.hyper.gradientPenaltyWeight)) as tf.Scalar;
    }, true, this.critic.variables());
    const values = [loss, ...parts].map((t) => (t ? (t.dataSync()[0] as number) : NaN));
    tf.dispose([loss, ...parts, z, real.lattice, real.atoms, fake.lattice, fake.atoms, condition].filter((t): t is tf.Tensor => t !== null));
    return [values[0], values[1], values[2]];
  }

  private generatorStep(items: EncodedCrystal[], random: Random): [number, number, number] {
    const B = items.length;
    const z = this.latent(B, random);
    const condition = tf.tensor2d(items.flatMap((x) => x.condition), [B, this.spec.elements.length]);
    let parts: tf.Tensor[] = [];
    const loss = this.generatorOptimizer.minimize(() => {
      const fake = this.generator.apply(z, condition);
      const adversarial = tf.neg(tf.mean(this.critic.apply(fake, condition)));
      const targetCounts = tf.mul(condition, this.spec.maxAtoms);
      const compositionError = tf.mean(tf.square(tf.sub(softCounts(fake, this.spec), targetCounts)));
      // The overlap prior may move atoms (and drop slots), never inflate the cell: it sees the
      // cell as a constant. Through the cell, the easiest way to separate atoms is a sparser
      // crystal, which is what a first version of this term taught the generator.
      const fixedLattice = tf.tensor2d(fake.lattice.dataSync(), fake.lattice.shape);
      const overlap = overlapPenalty({ lattice: fixedLattice, atoms: fake.atoms }, this.spec, this.hyper.overlapRadius);
      parts = [tf.keep(compositionError), tf.keep(overlap)];
      return tf.addN([adversarial, tf.mul(compositionError, this.hyper.compositionWeight), tf.mul(overlap, this.hyper.overlapWeight)]) as tf.Scalar;
    }, true, this.generator.variables());
    const values = [loss, ...parts].map((t) => (t ? (t.dataSync()[0] as number) : NaN));
    tf.dispose([loss, ...parts, z, condition].filter((t): t is tf.Tensor => t !== null));
    return [values[0], values[1], values[2]];
  }

  /** Generates one encoded crystal per condition (E composition fractions each). */
  generate(conditions: number[][], random: Random): EncodedCrystal[] {
    return sampleGenerator(this.generator, conditions, random);
  }

  /** Named weights of both networks, in a fixed order (checkpoint layout). */
  namedWeights(): { name: string; variable: tf.Variable }[] {
    const named = (prefix: string, layers: Record<string, DenseLayer>): { name: string; variable: tf.Variable }[] =>
      Object.entries(layers).flatMap(([key, l]) => [
        { name: `${prefix}/${key}/kernel`, variable: l.kernel },
        { name: `${prefix}/${key}/bias`, variable: l.bias },
      ]);
    return [...named('generator', this.generator.layers), ...named('critic', this.critic.layers)];
  }

  dispose(): void {
    tf.dispose(this.namedWeights().map((w) => w.variable));
    this.generatorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}

/** Standard normal latent vectors drawn from the seeded generator, [count, dim]. */
export function latentBatch(count: number, dim: number, random: Random): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: count * dim }, () => gaussian(random)), [count, dim]);
}

/** Runs the generator on one latent vector per condition (E composition fractions each). */
export function sampleGenerator(generator: CrystalGenerator, conditions: number[][], random: Random): EncodedCrystal[] {
  if (conditions.length === 0) return [];
  const { spec } = generator;
  const size = spec.maxAtoms * atomFeatures(spec);
  const z = latentBatch(conditions.length, generator.arch.latentDim, random);
  const condition = tf.tensor2d(conditions.flat(), [conditions.length, spec.elements.length]);
  const out = generator.apply(z, condition);
  const lattice = out.lattice.arraySync();
  const atoms = out.atoms.dataSync();
  tf.dispose([z, condition, out.lattice, out.atoms]);
  return conditions.map((c, i) => ({ lattice: lattice[i], atoms: Array.from(atoms.subarray(i * size, (i + 1) * size)), condition: c }));
}
