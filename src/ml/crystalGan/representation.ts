// The tensor form of a crystal for the crystal GAN, and its exact inverse. Web-safe (no Node
// imports) so a viewer could decode generator output too.
//
// Layout of one structure (method-crystal-gan.md §2, lessons 1, 4, 6):
//   lattice   6 numbers: a/L, b/L, c/L (L = LENGTH_SCALE = 30 Å) and α/180°, β/180°, γ/180°;
//   atoms     maxAtoms slots × ATOM_FEATURES(E): sin 2πx, cos 2πx, sin 2πy, cos 2πy, sin 2πz,
//             cos 2πz (periodic: x and x+1 encode the same), one-hot species over the dataset's
//             E elements, and an explicit "present" flag. An empty slot is all zeros including
//             its present flag, so padding can never be mistaken for an atom at the origin;
//   condition E numbers: the count of each element divided by maxAtoms (the composition the
//             conditional generator is asked for, also shown to the critic).
import { checkCellParameters, latticeFromParameters, parametersFromLattice, volume, wrapCoordinate } from '../../core/structure/lattice';
import type { CellParameters, Site, Structure, Vec3 } from '../../core/structure/types';

/** Å: lengths are divided by this (the scale Kim et al. use). */
export const LENGTH_SCALE = 30;
/** Degrees: angles are divided by this. */
export const ANGLE_SCALE = 180;
/** Periodic coordinate channels per atom (sin and cos of 2π·x for x, y, z). */
export const COORD_FEATURES = 6;

export interface RepresentationSpec {
  /** Species vocabulary, in one-hot order. */
  elements: string[];
  /** Atom slots per structure. */
  maxAtoms: number;
  /** Å: the generator's lengths are squeezed into this range (from the training data, with margin). */
  lengthRange: [number, number];
  /** Degrees: the generator's angles are squeezed into this range. */
  angleRange: [number, number];
  /** Å³ per atom: the generator sets the cell volume from this range and the atom count. */
  volumePerAtomRange: [number, number];
  /** Range of each length divided by the geometric mean of the three (the cell's shape). */
  lengthRatioRange: [number, number];
}

export interface EncodedCrystal {
  /** 6 normalised cell parameters. */
  lattice: number[];
  /** maxAtoms × atomFeatures(spec), row-major. */
  atoms: number[];
  /** E composition fractions (count / maxAtoms). */
  condition: number[];
}

export function atomFeatures(spec: RepresentationSpec): number {
  return COORD_FEATURES + spec.elements.length + 1;
}

/** Index of the "present" flag within one atom's features. */
export function presentIndex(spec: RepresentationSpec): number {
  return COORD_FEATURES + spec.elements.length;
}

/** The single element on a site; mixed or partial sites cannot be encoded (the loader skips them). */
export function siteElement(site: Site): string {
  if (site.species.length !== 1 || Math.abs(site.species[0].occupancy - 1) > 1e-6) {
    throw new RangeError(`site ${site.label ?? ''} is disordered (${site.species.map((s) => `${s.element}:${s.occupancy}`).join(', ')}); only ordered structures can be encoded`);
  }
  return site.species[0].element;
}

/** Per-element counts in the spec's element order. */
export function compositionCounts(structure: Structure, spec: RepresentationSpec): number[] {
  const counts = spec.elements.map(() => 0);
  for (const site of structure.sites) {
    const index = spec.elements.indexOf(siteElement(site));
    if (index < 0) throw new RangeError(`element ${siteElement(site)} is not in this model's element set (${spec.elements.join(' ')})`);
    counts[index] += 1;
  }
  return counts;
}

export function encodeCellParameters(p: CellParameters): number[] {
  return [p.a / LENGTH_SCALE, p.b / LENGTH_SCALE, p.c / LENGTH_SCALE, p.alpha / ANGLE_SCALE, p.beta / ANGLE_SCALE, p.gamma / ANGLE_SCALE];
}

export function decodeCellParameters(lattice: ArrayLike<number>): CellParameters {
  return {
    a: lattice[0] * LENGTH_SCALE,
    b: lattice[1] * LENGTH_SCALE,
    c: lattice[2] * LENGTH_SCALE,
    alpha: lattice[3] * ANGLE_SCALE,
    beta: lattice[4] * ANGLE_SCALE,
    gamma: lattice[5] * ANGLE_SCALE,
  };
}

/** Encodes a structure; throws when it has too many atoms or an unknown element. */
export function encodeCrystal(structure: Structure, spec: RepresentationSpec): EncodedCrystal {
  if (structure.sites.length > spec.maxAtoms) {
    throw new RangeError(`structure has ${structure.sites.length} atoms, more than the ${spec.maxAtoms} slots of this representation`);
  }
  const width = atomFeatures(spec);
  const atoms = new Array<number>(spec.maxAtoms * width).fill(0);
  structure.sites.forEach((site, slot) => {
    const row = slot * width;
    for (let axis = 0; axis < 3; axis++) {
      const angle = 2 * Math.PI * site.frac[axis];
      atoms[row + 2 * axis] = Math.sin(angle);
      atoms[row + 2 * axis + 1] = Math.cos(angle);
    }
    atoms[row + COORD_FEATURES + spec.elements.indexOf(siteElement(site))] = 1;
    atoms[row + presentIndex(spec)] = 1;
  });
  const condition = compositionCounts(structure, spec).map((n) => n / spec.maxAtoms);
  return { lattice: encodeCellParameters(parametersFromLattice(structure.lattice)), atoms, condition };
}

/** Fractional coordinate in [0, 1) from its sin/cos pair (which need not be normalised). */
export function coordinateFromCircle(sine: number, cosine: number): number {
  return wrapCoordinate(Math.atan2(sine, cosine) / (2 * Math.PI));
}

function argmax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[start + i] > values[start + best]) best = i;
  return best;
}

/** One decoded slot: where it is, its most likely element and how sure the model is of each. */
export interface DecodedSlot {
  frac: Vec3;
  element: string;
  /** The present score (a probability for generator output, 0/1 for encoded data). */
  present: number;
  /** Score of each element (probabilities or one-hot). */
  speciesScores: number[];
}

export function decodeSlots(encoded: EncodedCrystal, spec: RepresentationSpec): DecodedSlot[] {
  const width = atomFeatures(spec);
  const slots: DecodedSlot[] = [];
  for (let slot = 0; slot < spec.maxAtoms; slot++) {
    const row = slot * width;
    const a = encoded.atoms;
    const frac: Vec3 = [coordinateFromCircle(a[row], a[row + 1]), coordinateFromCircle(a[row + 2], a[row + 3]), coordinateFromCircle(a[row + 4], a[row + 5])];
    const speciesScores = Array.from({ length: spec.elements.length }, (_, e) => a[row + COORD_FEATURES + e]);
    const element = spec.elements[argmax(a, row + COORD_FEATURES, spec.elements.length)];
    slots.push({ frac, element, present: a[row + presentIndex(spec)], speciesScores });
  }
  return slots;
}

/**
 * Decodes to a structure: wraps coordinates into [0, 1), keeps slots whose present score
 * exceeds 0.5 and gives each its most likely element. Throws when the cell cannot be built.
 */
export function decodeCrystal(encoded: EncodedCrystal, spec: RepresentationSpec, source?: string): Structure {
  const params = decodeCellParameters(encoded.lattice);
  checkCellParameters(params);
  const sites: Site[] = decodeSlots(encoded, spec)
    .filter((slot) => slot.present > 0.5)
    .map((slot) => ({ frac: slot.frac, species: [{ element: slot.element, occupancy: 1 }] }));
  return { lattice: latticeFromParameters(params), sites, ...(source ? { source } : {}) };
}

/**
 * Decodes with a prescribed composition (the generator's condition): the n = Σ counts slots
 * with the highest present scores become atoms, and elements are handed out greedily to the
 * most confident (slot, element) pairs until each element's count is used up. The composition
 * therefore equals the condition by construction; the model's scores only choose which slot
 * gets which element. Generation reports how often this differs from the plain decoding.
 */
export function decodeCrystalWithComposition(encoded: EncodedCrystal, spec: RepresentationSpec, counts: number[], source?: string): Structure {
  const params = decodeCellParameters(encoded.lattice);
  checkCellParameters(params);
  const total = counts.reduce((s, n) => s + n, 0);
  if (total > spec.maxAtoms) throw new RangeError(`composition has ${total} atoms, more than ${spec.maxAtoms} slots`);
  const slots = decodeSlots(encoded, spec);
  const chosen = slots
    .map((slot, index) => ({ slot, index }))
    .sort((x, y) => y.slot.present - x.slot.present || x.index - y.index)
    .slice(0, total);
  const left = [...counts];
  const pairs = chosen
    .flatMap(({ index, slot }) => slot.speciesScores.map((score, e) => ({ index, e, score })))
    .sort((x, y) => y.score - x.score || x.index - y.index || x.e - y.e);
  const assigned = new Map<number, number>();
  for (const { index, e } of pairs) {
    if (assigned.has(index) || left[e] === 0) continue;
    assigned.set(index, e);
    left[e] -= 1;
  }
  const sites: Site[] = [...assigned.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([index, e]) => ({ frac: slots[index].frac, species: [{ element: spec.elements[e], occupancy: 1 }] }));
  return { lattice: latticeFromParameters(params), sites, ...(source ? { source } : {}) };
}

/** Smallest sensible spec for a set of structures: their elements, their largest cell, ranges with margin. */
export function specForStructures(structures: Structure[], options: { maxAtoms?: number } = {}): RepresentationSpec {
  const elements = new Set<string>();
  let maxAtoms = 1;
  let [minLength, maxLength, minAngle, maxAngle] = [Infinity, 0, 180, 0];
  let [minVolume, maxVolume, minRatio, maxRatio] = [Infinity, 0, Infinity, 0];
  for (const s of structures) {
    for (const site of s.sites) elements.add(siteElement(site));
    maxAtoms = Math.max(maxAtoms, s.sites.length);
    const p = parametersFromLattice(s.lattice);
    minLength = Math.min(minLength, p.a, p.b, p.c);
    maxLength = Math.max(maxLength, p.a, p.b, p.c);
    minAngle = Math.min(minAngle, p.alpha, p.beta, p.gamma);
    maxAngle = Math.max(maxAngle, p.alpha, p.beta, p.gamma);
    const perAtom = volume(s.lattice) / Math.max(1, s.sites.length);
    [minVolume, maxVolume] = [Math.min(minVolume, perAtom), Math.max(maxVolume, perAtom)];
    const mean = Math.cbrt(p.a * p.b * p.c);
    minRatio = Math.min(minRatio, p.a / mean, p.b / mean, p.c / mean);
    maxRatio = Math.max(maxRatio, p.a / mean, p.b / mean, p.c / mean);
  }
  if (structures.length === 0) throw new RangeError('no structures to build a representation from');
  return {
    elements: [...elements].sort(),
    maxAtoms: options.maxAtoms ?? maxAtoms,
    lengthRange: [Math.max(0.5, minLength * 0.9), Math.min(LENGTH_SCALE, maxLength * 1.1)],
    // Within [60°, 120°] every angle triple forms a cell (each angle < the sum of the others,
    // sum < 360°); Niggli-reduced training cells always lie there.
    angleRange: [Math.max(60, minAngle - 5), Math.min(120, maxAngle + 5)],
    volumePerAtomRange: [minVolume * 0.8, maxVolume * 1.25],
    lengthRatioRange: [minRatio * 0.9, maxRatio * 1.1],
  };
}
