// The crystal WGAN-GP: a conditional generator and a permutation-invariant critic built from
// dense layers on tfjs-core ops (the wasm backend has no Conv2DBackpropFilter; see
// docs/ml-runtime.md). Pure functions of their weights: no global batch, any batch size.
//
// Generator: [z, condition] → MLP → lattice (sigmoid squeezed into the spec's length and angle
// ranges, so lengths are always positive and angles bounded), per-slot periodic coordinates
// (each sin/cos pair normalised onto the unit circle), species probabilities (softmax) and a
// present probability (sigmoid).
// Critic (no BatchNorm, lesson 7): every atom gets a message summed over all other atoms from a
// smooth periodic pair distance (radial basis) and the other atom's species, weighted by its
// present probability; per-atom features (message, own species, lattice) go through an MLP and
// are summed over atoms with the same weights (DeepSets pooling), then joined with the lattice,
// the condition and the structure's own soft composition for the score. Sums make the score
// exactly invariant under atom permutations; pair distances let it see overlapping atoms.
import { tf } from '../backend';
import { ANGLE_SCALE, COORD_FEATURES, LENGTH_SCALE, atomFeatures, type RepresentationSpec } from './representation';

export interface CrystalGanArchitecture {
  latentDim: number;
  generatorHidden: number;
  criticHidden: number;
  /** Å: centres of the radial basis on pair distances. */
  rbfCentres: number[];
  /** Å: width of each radial basis function. */
  rbfWidth: number;
  /**
   * How the generator sets the volume per atom from its sigmoid output: 'linear' spreads it
   * evenly over the spec's range (the first models; absent = 'linear', so their files still load
   * unchanged), 'log' evenly over log V, so the untrained generator starts at the range's
   * geometric mean instead of its far-too-sparse arithmetic mean and equal steps are equal ratios.
   */
  volumeHead?: 'linear' | 'log';
  /**
   * The critic also sees the spread of its pooled features across the batch (the minibatch
   * standard deviation of Karras et al. 2018), so a generator that collapses onto a few
   * structures is easy to tell from the data. Absent = false (the first models).
   */
  minibatchStd?: boolean;
}

export const DEFAULT_ARCHITECTURE: CrystalGanArchitecture = {
  latentDim: 64,
  generatorHidden: 256,
  criticHidden: 64,
  rbfCentres: [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5],
  rbfWidth: 0.5,
  volumeHead: 'log',
  minibatchStd: true,
};

/** The first models' architecture (files written before volumeHead and minibatchStd existed). */
export const LEGACY_ARCHITECTURE: CrystalGanArchitecture = { ...DEFAULT_ARCHITECTURE, volumeHead: 'linear', minibatchStd: false };

export interface DenseLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** Crystal batch as the networks see it. */
export interface CrystalBatch {
  /** [B, 6] normalised cell parameters. */
  lattice: tf.Tensor2D;
  /** [B, maxAtoms, F] atom features. */
  atoms: tf.Tensor3D;
}

function denseLayer(inputs: number, outputs: number, seed: number): DenseLayer {
  // He-style initialisation for LeakyReLU layers; seeded so a run repeats. Variables stay
  // unnamed: tfjs names are process-global, and several models may live side by side (tests).
  const std = Math.sqrt(2 / inputs);
  return {
    kernel: tf.variable(tf.randomNormal([inputs, outputs], 0, std, 'float32', seed), true),
    bias: tf.variable(tf.zeros([outputs]), true),
  };
}

/** x · W + b over the last axis of a tensor of any rank ≥ 2. */
function applyDense(layer: DenseLayer, x: tf.Tensor): tf.Tensor {
  const shape = x.shape as number[];
  const [inputs, outputs] = layer.kernel.shape as [number, number];
  const flat = x.reshape([-1, inputs]);
  const out = tf.add(tf.matMul(flat, layer.kernel), layer.bias);
  return out.reshape([...shape.slice(0, -1), outputs]);
}

const leaky = (x: tf.Tensor): tf.Tensor => tf.leakyRelu(x, 0.2);

/**
 * Clips to [lo, hi] on the way forward but passes the gradient through unchanged: with a plain
 * clip, a length that hits the bound gets zero gradient and stays there for good (the first
 * default model had 99.9 % of its shortest edges stuck at the lower bound).
 */
function clipStraightThrough(x: tf.Tensor, lo: number, hi: number): tf.Tensor {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.clipByValue(inputs[0] as tf.Tensor, lo, hi),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return op(x);
}

export class CrystalGenerator {
  readonly layers: Record<string, DenseLayer>;

  constructor(readonly spec: RepresentationSpec, readonly arch: CrystalGanArchitecture, seed: number) {
    const E = spec.elements.length;
    const H = arch.generatorHidden;
    this.layers = {
      hidden1: denseLayer(arch.latentDim + E, H, seed + 1),
      hidden2: denseLayer(H, H, seed + 2),
      lattice: denseLayer(H, 7, seed + 3),
      atoms: denseLayer(H, spec.maxAtoms * atomFeatures(spec), seed + 4),
    };
  }

  variables(): tf.Variable[] {
    return Object.values(this.layers).flatMap((l) => [l.kernel, l.bias]);
  }

  /** z: [B, latentDim], condition: [B, E] → a batch in the representation's ranges. */
  apply(z: tf.Tensor2D, condition: tf.Tensor2D): CrystalBatch {
    return tf.tidy(() => {
      const { spec } = this;
      const hidden = leaky(applyDense(this.layers.hidden2, leaky(applyDense(this.layers.hidden1, tf.concat([z, condition], 1)))));
      const lattice = this.latticeHead(hidden, condition);
      const batch = z.shape[0];
      const E = spec.elements.length;
      const raw = applyDense(this.layers.atoms, hidden).reshape([batch, spec.maxAtoms, atomFeatures(spec)]);
      const circle = raw.slice([0, 0, 0], [batch, spec.maxAtoms, COORD_FEATURES]).reshape([batch, spec.maxAtoms, 3, 2]);
      const unit = tf.div(circle, tf.sqrt(tf.add(tf.sum(tf.square(circle), -1, true), 1e-6))).reshape([batch, spec.maxAtoms, COORD_FEATURES]);
      const species = tf.softmax(raw.slice([0, 0, COORD_FEATURES], [batch, spec.maxAtoms, E]));
      const present = tf.sigmoid(raw.slice([0, 0, COORD_FEATURES + E], [batch, spec.maxAtoms, 1]));
      const atoms = tf.concat([unit, species, present], -1) as tf.Tensor3D;
      return { lattice, atoms };
    });
  }

  /**
   * Cell from seven bounded outputs: three shape ratios, the volume per atom and three angles,
   * each a sigmoid squeezed into the spec's range. Lengths are r_k·g with g chosen so that the
   * cell volume is (atom count of the condition) × (volume per atom): the density is learnt
   * directly instead of emerging from three independent lengths. Lengths are finally clipped to
   * the spec's length range (straight-through gradient), so every output is bounded.
   */
  private latticeHead(hidden: tf.Tensor, condition: tf.Tensor2D): tf.Tensor2D {
    const { spec } = this;
    const squeezed = tf.sigmoid(applyDense(this.layers.lattice, hidden));
    const B = condition.shape[0];
    const range = (start: number, size: number, [lo, hi]: [number, number]): tf.Tensor => tf.add(tf.mul(squeezed.slice([0, start], [B, size]), hi - lo), lo);
    const ratios = range(0, 3, spec.lengthRatioRange);
    const [vLo, vHi] = spec.volumePerAtomRange;
    const volumePerAtom = this.arch.volumeHead === 'log' ? tf.exp(range(3, 1, [Math.log(vLo), Math.log(vHi)])) : range(3, 1, spec.volumePerAtomRange);
    const angles = range(4, 3, spec.angleRange); // degrees
    const cosines = tf.cos(tf.mul(angles, Math.PI / 180));
    const [ca, cb, cg] = tf.split(cosines, 3, 1);
    // V = abc·sqrt(1 − cos²α − cos²β − cos²γ + 2 cosα cosβ cosγ); floored away from flat cells.
    const shape = tf.sqrt(tf.maximum(tf.add(tf.sub(1, tf.sum(tf.square(cosines), 1, true)), tf.mul(tf.mul(tf.mul(ca, cb), cg), 2)), 0.01));
    const atomCount = tf.maximum(tf.mul(tf.sum(condition, 1, true), spec.maxAtoms), 1);
    const scale = tf.pow(tf.div(tf.mul(atomCount, volumePerAtom), tf.mul(shape, tf.prod(ratios, 1, true))), 1 / 3);
    const lengths = clipStraightThrough(tf.mul(ratios, scale), spec.lengthRange[0], spec.lengthRange[1]);
    return tf.concat([tf.div(lengths, LENGTH_SCALE), tf.div(angles, ANGLE_SCALE)], 1) as tf.Tensor2D;
  }
}

export class CrystalCritic {
  readonly layers: Record<string, DenseLayer>;

  constructor(readonly spec: RepresentationSpec, readonly arch: CrystalGanArchitecture, seed: number) {
    const E = spec.elements.length;
    const H = arch.criticHidden;
    const R = arch.rbfCentres.length;
    this.layers = {
      pair: denseLayer(R + E, H, seed + 11),
      atom1: denseLayer(H + E + 1 + 6, H, seed + 12),
      atom2: denseLayer(H, H, seed + 13),
      global1: denseLayer(H + 6 + 2 * E + 2 + (arch.minibatchStd ? 1 : 0), H, seed + 14),
      score: denseLayer(H, 1, seed + 15),
    };
  }

  variables(): tf.Variable[] {
    return Object.values(this.layers).flatMap((l) => [l.kernel, l.bias]);
  }

  /** Scores a batch: [B] (higher = more like the training data). */
  apply(batch: CrystalBatch, condition: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { spec, arch } = this;
      const [B, N] = [batch.atoms.shape[0], spec.maxAtoms];
      const E = spec.elements.length;
      const coords = batch.atoms.slice([0, 0, 0], [B, N, COORD_FEATURES]).reshape([B, N, 3, 2]) as tf.Tensor4D;
      const species = batch.atoms.slice([0, 0, COORD_FEATURES], [B, N, E]);
      const present = batch.atoms.slice([0, 0, COORD_FEATURES + E], [B, N, 1]);

      const distance = pairDistances(batch.lattice, coords); // [B, N, N]
      const centres = tf.tensor1d(arch.rbfCentres);
      const rbf = tf.exp(tf.neg(tf.div(tf.square(tf.sub(distance.expandDims(-1), centres)), arch.rbfWidth ** 2))); // [B,N,N,R]
      // Dense layer on [rbf_ij, species_j], split so the species part is computed once per atom
      // and broadcast over i instead of tiling an [B,N,N,E] tensor.
      const R = arch.rbfCentres.length;
      const pairKernel = this.layers.pair.kernel;
      const fromDistance = tf.matMul(rbf.reshape([-1, R]), pairKernel.slice([0, 0], [R, -1])).reshape([B, N, N, -1]);
      const fromSpecies = tf.add(tf.matMul(species.reshape([-1, E]), pairKernel.slice([R, 0], [E, -1])), this.layers.pair.bias).reshape([B, 1, N, -1]);
      const pairHidden = leaky(tf.add(fromDistance, fromSpecies));
      // Weight of pair (i, j): j's present probability, and zero on the diagonal (no self pair).
      const offDiagonal = tf.sub(1, tf.eye(N)).reshape([1, N, N, 1]);
      const pairWeight = tf.mul(present.reshape([B, 1, N, 1]), offDiagonal);
      const message = tf.div(tf.sum(tf.mul(pairHidden, pairWeight), 2), N); // [B,N,H]

      const latticeEach = tf.tile(batch.lattice.reshape([B, 1, 6]), [1, N, 1]);
      const atomHidden = leaky(applyDense(this.layers.atom2, leaky(applyDense(this.layers.atom1, tf.concat([message, species, present, latticeEach], -1)))));
      const pooled = tf.div(tf.sum(tf.mul(atomHidden, present), 1), N); // [B,H]
      const ownComposition = tf.div(tf.sum(tf.mul(species, present), 1), N); // [B,E]
      const atomCount = tf.div(tf.sum(present, 1), N); // [B,1]
      // Volume per atom (÷ 20 Å³) as a direct feature: density is what an untrained generator
      // gets most wrong, and it is hard to read off six separate cell parameters.
      const perAtom = tf.div(cellVolume(batch.lattice), tf.add(tf.mul(tf.sum(present, 1), 20), 1e-3));
      const features = [pooled, batch.lattice, condition, ownComposition, atomCount, perAtom];
      if (arch.minibatchStd) features.push(minibatchSpread(tf.concat(features, -1)));
      const globalIn = tf.concat(features, -1);
      return applyDense(this.layers.score, leaky(applyDense(this.layers.global1, globalIn))).reshape([B]) as tf.Tensor1D;
    });
  }
}

/**
 * Mean over features of their standard deviation across the batch, repeated for every sample
 * ([B,1]): near zero when the samples are nearly identical (mode collapse), as large as the
 * data's own spread otherwise.
 */
export function minibatchSpread(features: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const B = features.shape[0];
    const { variance } = tf.moments(features, 0);
    return tf.tile(tf.mean(tf.sqrt(tf.add(variance, 1e-8))).reshape([1, 1]), [B, 1]) as tf.Tensor2D;
  });
}

/** Cell volume (Å³, [B,1]) from normalised parameters; flat or impossible cells give a small floor. */
export function cellVolume(lattice: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const B = lattice.shape[0];
    const lengths = tf.mul(lattice.slice([0, 0], [B, 3]), LENGTH_SCALE);
    const cosines = tf.cos(tf.mul(lattice.slice([0, 3], [B, 3]), Math.PI));
    const [ca, cb, cg] = tf.split(cosines, 3, 1);
    const shape = tf.sqrt(tf.maximum(tf.add(tf.sub(1, tf.sum(tf.square(cosines), 1, true)), tf.mul(tf.mul(tf.mul(ca, cb), cg), 2)), 1e-4));
    return tf.mul(tf.prod(lengths, 1, true), shape) as tf.Tensor2D;
  });
}

/**
 * Smooth periodic pair distances (Å) for the critic: per axis, (1 − cos 2πΔ)/(2π²) and
 * sin 2πΔ/(2π) stand in for Δ² and Δ, so with the metric tensor G of the cell
 *   d² ≈ Σ_k G_kk (1 − cos 2πΔ_k)/(2π²) + Σ_{k≠l} G_kl sin 2πΔ_k sin 2πΔ_l/(4π²),
 * exact to second order for close atoms (which decide validity), periodic in every Δ, and
 * differentiable everywhere (no wrapping, no atan2 at the origin, unlike an exact minimum image).
 */
export function pairDistances(lattice: tf.Tensor2D, coords: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, N] = coords.shape;
    const sin = coords.slice([0, 0, 0, 0], [B, N, 3, 1]).reshape([B, N, 3]);
    const cos = coords.slice([0, 0, 0, 1], [B, N, 3, 1]).reshape([B, N, 3]);
    const [si, ci] = [sin.expandDims(2), cos.expandDims(2)]; // atom i: [B,N,1,3]
    const [sj, cj] = [sin.expandDims(1), cos.expandDims(1)]; // atom j: [B,1,N,3]
    const sinDelta = tf.sub(tf.mul(si, cj), tf.mul(ci, sj)); // sin 2π(x_i − x_j)
    const cosDelta = tf.add(tf.mul(ci, cj), tf.mul(si, sj));
    const lengths = tf.mul(lattice.slice([0, 0], [B, 3]), LENGTH_SCALE); // [B,3]
    const cosAngles = tf.cos(tf.mul(lattice.slice([0, 3], [B, 3]), Math.PI)); // cos α, cos β, cos γ
    const [a, b, c] = tf.split(lengths, 3, 1).map((t) => t.reshape([B, 1, 1]));
    const [ca, cb, cg] = tf.split(cosAngles, 3, 1).map((t) => t.reshape([B, 1, 1]));
    const along = (k: number, t: tf.Tensor): tf.Tensor => t.slice([0, 0, 0, k], [B, N, N, 1]).reshape([B, N, N]);
    const square = (k: number): tf.Tensor => tf.div(tf.sub(1, along(k, cosDelta)), 2 * Math.PI ** 2);
    const cross = (k: number, l: number): tf.Tensor => tf.div(tf.mul(along(k, sinDelta), along(l, sinDelta)), 2 * Math.PI ** 2);
    const d2 = tf.addN([
      tf.mul(tf.square(a), square(0)),
      tf.mul(tf.square(b), square(1)),
      tf.mul(tf.square(c), square(2)),
      tf.mul(tf.mul(tf.mul(a, b), cg), cross(0, 1)),
      tf.mul(tf.mul(tf.mul(a, c), cb), cross(0, 2)),
      tf.mul(tf.mul(tf.mul(b, c), ca), cross(1, 2)),
    ]);
    return tf.sqrt(tf.add(tf.relu(d2), 1e-4)) as tf.Tensor3D;
  });
}

/** Soft per-element counts of a generated batch: Σ_slots present · species, [B, E]. */
export function softCounts(batch: CrystalBatch, spec: RepresentationSpec): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, N, E] = [batch.atoms.shape[0], spec.maxAtoms, spec.elements.length];
    const species = batch.atoms.slice([0, 0, COORD_FEATURES], [B, N, E]);
    const present = batch.atoms.slice([0, 0, COORD_FEATURES + E], [B, N, 1]);
    return tf.sum(tf.mul(species, present), 1) as tf.Tensor2D;
  });
}

/**
 * Mean over the batch of Σ_{i≠j} present_i · present_j · relu(radius − d_ij)² (Å²), with the
 * smooth periodic distances above: zero for any structure whose atoms are all ≥ radius apart.
 */
export function overlapPenalty(batch: CrystalBatch, spec: RepresentationSpec, radius: number): tf.Scalar {
  return tf.tidy(() => {
    const [B, N, E] = [batch.atoms.shape[0], spec.maxAtoms, spec.elements.length];
    const coords = batch.atoms.slice([0, 0, 0], [B, N, COORD_FEATURES]).reshape([B, N, 3, 2]) as tf.Tensor4D;
    const present = batch.atoms.slice([0, 0, COORD_FEATURES + E], [B, N, 1]).reshape([B, N]);
    const weight = tf.mul(tf.mul(present.expandDims(2), present.expandDims(1)), tf.sub(1, tf.eye(N)).expandDims(0));
    const shortfall = tf.relu(tf.sub(radius, pairDistances(batch.lattice, coords)));
    return tf.div(tf.sum(tf.mul(weight, tf.square(shortfall))), B) as tf.Scalar;
  });
}
