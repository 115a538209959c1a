// Augmentations that describe the same crystal in another way (method-crystal-gan.md lesson 3):
// a global origin shift taken mod 1, a reordering of the atoms, and a cyclic relabelling of the
// cell axes (a,b,c) → (b,c,a) with the angles and coordinates permuted to match. Cyclic
// permutations keep the cell right-handed, so no mirror image is ever produced (a chiral
// structure stays itself). Web-safe.
import { determinant, latticeFromParameters, parametersFromLattice, wrapCoordinate, wrapFrac } from '../../core/structure/lattice';
import { fracAfterTransform, niggliReduce } from '../../core/structure/niggli';
import type { CellParameters, Mat3, Structure, Vec3 } from '../../core/structure/types';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): seeded runs repeat exactly. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  return statefulRandom(seed).random;
}

/** A seeded generator whose state can be saved in a checkpoint and restored exactly. */
export function statefulRandom(initialState: number): { random: Random; state: () => number } {
  let state = initialState >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { random, state: () => state };
}

/** Standard normal sample (Box–Muller). */
export function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * The same crystal in its Niggli-reduced cell, kept right-handed: when the reduction flips
 * handedness all three vectors are negated, which keeps lengths and angles (primitive.ts's
 * niggliStructure does not, and a mirror image is another crystal when it is chiral). Reduced
 * cells have all three angles in [60°, 120°], where every angle triple forms a cell, so the
 * generator's bounded angles can never describe an impossible lattice.
 */
export function rightHandedNiggli(structure: Structure): Structure {
  const { lattice, transform } = niggliReduce(structure.lattice);
  const flip = determinant(lattice) < 0 ? -1 : 1;
  const cell = lattice.map((row) => row.map((x) => x * flip)) as Mat3;
  const t = transform.map((row) => row.map((x) => x * flip)) as Mat3;
  const frac = fracAfterTransform(structure.sites.map((s) => s.frac), t);
  return { ...structure, lattice: cell, sites: structure.sites.map((site, i) => ({ ...site, frac: wrapFrac(frac[i]) })) };
}

/** Moves every atom by the same fractional vector, wrapping into [0, 1). */
export function shiftOrigin(structure: Structure, shift: Vec3): Structure {
  return {
    ...structure,
    sites: structure.sites.map((site) => ({
      ...site,
      frac: [wrapCoordinate(site.frac[0] + shift[0]), wrapCoordinate(site.frac[1] + shift[1]), wrapCoordinate(site.frac[2] + shift[2])],
    })),
  };
}

/** Reorders the atoms: result site i is input site order[i]. */
export function permuteAtoms(structure: Structure, order: number[]): Structure {
  if (order.length !== structure.sites.length) throw new RangeError(`permutation of ${order.length} for ${structure.sites.length} atoms`);
  return { ...structure, sites: order.map((i) => structure.sites[i]) };
}

/**
 * Relabels the axes cyclically `turns` times: (a,b,c) → (b,c,a) once. Lengths, the angles
 * opposite them and the coordinates move together, so the crystal is unchanged. The cell is
 * rebuilt in the standard orientation (a along x), which is a rotation of the same crystal.
 */
export function rotateAxes(structure: Structure, turns: number): Structure {
  const k = ((turns % 3) + 3) % 3;
  if (k === 0) return structure;
  const p = parametersFromLattice(structure.lattice);
  const lengths = [p.a, p.b, p.c];
  const angles = [p.alpha, p.beta, p.gamma];
  const pick = (i: number): number => (i + k) % 3;
  const params: CellParameters = {
    a: lengths[pick(0)], b: lengths[pick(1)], c: lengths[pick(2)],
    alpha: angles[pick(0)], beta: angles[pick(1)], gamma: angles[pick(2)],
  };
  return {
    ...structure,
    lattice: latticeFromParameters(params),
    sites: structure.sites.map((site) => ({ ...site, frac: [site.frac[pick(0)], site.frac[pick(1)], site.frac[pick(2)]] })),
  };
}

export function randomPermutation(n: number, random: Random): number[] {
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** One random equivalent description of the structure (all three augmentations). */
export function augment(structure: Structure, random: Random): Structure {
  const shifted = shiftOrigin(structure, [random(), random(), random()]);
  const permuted = permuteAtoms(shifted, randomPermutation(structure.sites.length, random));
  return rotateAxes(permuted, Math.floor(random() * 3));
}
