// Structure matching, our own take on pymatgen's StructureMatcher (same idea, same tolerances):
//   1. equal reduced compositions (species must agree: no anonymous mapping);
//   2. both structures reduced to Niggli-reduced primitive cells (supercells of the same crystal
//      become identical cells), volumes scaled to each other (ratio^(1/6) each way);
//   3. every basis of structure 1's lattice whose lengths are within a factor (1 + ltol) and whose
//      angles are within angleTol degrees of structure 2's reduced cell is tried;
//   4. for each basis and each origin shift that puts an atom of the rarest element on one of
//      its kind, sites are paired by a minimum-cost assignment within each element, the mean
//      displacement is removed, and distances are normalised by (V/N)^{1/3} of the average
//      lattice. The pair matches when the largest normalised distance is ≤ stol.
// Published defaults (MatterGen's): ltol 0.2, stol 0.3, angleTol 5°. Web-safe.
import { solveAssignment } from './assignment';
import { composition, formulaString, reducedComposition } from './composition';
import { fracToCart, inverse, latticeFromParameters, norm, parametersFromLattice, reciprocal, volume } from './lattice';
import { DEFAULT_PRIMITIVE_TOLERANCE, niggliStructure, primitiveStructure } from './primitive';
import type { Mat3, Structure, Vec3 } from './types';

export interface MatcherOptions {
  /** Fractional tolerance on cell lengths: 1/(1+ltol) < l/l_target < 1+ltol. */
  ltol: number;
  /** Site tolerance in units of (V/N)^{1/3}. */
  stol: number;
  /** Angle tolerance in degrees. */
  angleTol: number;
  /** Reduce both structures to primitive cells first (finds supercell ↔ primitive matches). */
  primitive: boolean;
  /** Scale both cells to a common volume before comparing (compares shapes, not sizes). */
  scale: boolean;
  /** Cartesian tolerance (Å) of the primitive-cell search. */
  primitiveTolerance: number;
}

/** MatterGen's novelty/uniqueness settings (CDVAE's reconstruction metric uses 0.3/0.5/10). */
export const DEFAULT_MATCHER_OPTIONS: Readonly<MatcherOptions> = Object.freeze({
  ltol: 0.2,
  stol: 0.3,
  angleTol: 5,
  primitive: true,
  scale: true,
  primitiveTolerance: DEFAULT_PRIMITIVE_TOLERANCE,
});

/** A structure reduced once, for repeated comparisons. */
export interface PreparedStructure {
  /** Reduced formula + number of sites of the reduced cell: only equal keys can match. */
  key: string;
  reduced: Structure;
  elements: string[];
}

function siteElement(site: Structure['sites'][number]): string {
  // Disordered sites compare by their full species list.
  return site.species.length === 1 ? site.species[0].element : site.species.map((s) => `${s.element}${s.occupancy}`).join('+');
}

export function prepareStructure(structure: Structure, options: Partial<MatcherOptions> = {}): PreparedStructure {
  const o = { ...DEFAULT_MATCHER_OPTIONS, ...options };
  const reduced = o.primitive ? primitiveStructure(structure, o.primitiveTolerance) : niggliStructure(structure);
  const formula = formulaString(reducedComposition(composition(reduced)));
  return { key: `${formula}|${reduced.sites.length}`, reduced, elements: reduced.sites.map(siteElement) };
}

function scaled(m: Mat3, factor: number): Mat3 {
  return m.map((row) => row.map((x) => x * factor)) as Mat3;
}

function angleBetween(u: Vec3, v: Vec3): number {
  const c = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (norm(u) * norm(v));
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

function det3(m: number[][]): number {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/** Bases of `lattice` (same lattice: |det| = 1) whose shape is close to `target`. */
function* similarBases(lattice: Mat3, target: Mat3, o: MatcherOptions): Generator<Mat3> {
  const t = parametersFromLattice(target);
  const lengths = [t.a, t.b, t.c];
  const angles = [t.alpha, t.beta, t.gamma];
  const radius = Math.max(...lengths) * (1 + o.ltol);
  const rn = reciprocal(lattice).map((r) => norm(r as Vec3));
  const points: { n: Vec3; v: Vec3; len: number }[] = [];
  const reach = rn.map((x) => Math.ceil(radius * x));
  for (let i = -reach[0]; i <= reach[0]; i++) for (let j = -reach[1]; j <= reach[1]; j++) for (let k = -reach[2]; k <= reach[2]; k++) {
    const v = fracToCart(lattice, [i, j, k]);
    const len = norm(v);
    if (len > 1e-8 && len <= radius) points.push({ n: [i, j, k], v, len });
  }
  const near = lengths.map((l) => points.filter((p) => p.len / l < 1 + o.ltol && p.len / l > 1 / (1 + o.ltol)));
  for (const pa of near[0]) {
    for (const pb of near[1]) {
      if (Math.abs(angleBetween(pa.v, pb.v) - angles[2]) >= o.angleTol) continue;
      for (const pc of near[2]) {
        if (Math.abs(angleBetween(pb.v, pc.v) - angles[0]) >= o.angleTol) continue;
        if (Math.abs(angleBetween(pa.v, pc.v) - angles[1]) >= o.angleTol) continue;
        if (Math.abs(Math.abs(det3([pa.n, pb.n, pc.n])) - 1) > 0.5) continue;
        yield [pa.v, pb.v, pc.v];
      }
    }
  }
}

function averageLattice(l1: Mat3, l2: Mat3): Mat3 {
  const p = parametersFromLattice(l1);
  const q = parametersFromLattice(l2);
  return latticeFromParameters({ a: (p.a + q.a) / 2, b: (p.b + q.b) / 2, c: (p.c + q.c) / 2, alpha: (p.alpha + q.alpha) / 2, beta: (p.beta + q.beta) / 2, gamma: (p.gamma + q.gamma) / 2 });
}

/** Shortest Cartesian vector from fractional point f to g in a reduced cell (images −1…1). */
function shortestVector(lattice: Mat3, f: Vec3, g: Vec3): Vec3 {
  const d = [g[0] - f[0], g[1] - f[1], g[2] - f[2]].map((x) => x - Math.round(x));
  let best: Vec3 = [0, 0, 0];
  let bestLen = Infinity;
  for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) for (let k = -1; k <= 1; k++) {
    const v = fracToCart(lattice, [d[0] + i, d[1] + j, d[2] + k]);
    const len = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    if (len < bestLen) {
      bestLen = len;
      best = v;
    }
  }
  return best;
}

export interface MatchResult {
  /** Largest site displacement / (V/N)^{1/3} after the best shift. */
  maxDistance: number;
  /** RMS displacement / (V/N)^{1/3} (CDVAE/MatterGen's match RMSE). */
  rms: number;
}

interface Candidate {
  frac1: Vec3[];
  frac2: Vec3[];
  avg: Mat3;
}

/** Best site assignment for one lattice candidate over all origin shifts. */
function bestForCandidate(c: Candidate, e1: string[], e2: string[], o: MatcherOptions, stopBelow: number): MatchResult | undefined {
  const n = c.frac1.length;
  const normLength = Math.cbrt(volume(c.avg) / n);
  const counts = new Map<string, number>();
  for (const e of e2) counts.set(e, (counts.get(e) ?? 0) + 1);
  const rarest = [...counts.entries()].sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))[0][0];
  const anchor = e2.indexOf(rarest);
  const prefilter = 2 * o.stol * normLength;
  let best: MatchResult | undefined;
  for (let s1 = 0; s1 < n; s1++) {
    if (e1[s1] !== rarest) continue;
    const shift: Vec3 = [0, 1, 2].map((k) => c.frac1[s1][k] - c.frac2[anchor][k]) as Vec3;
    const vectors: Vec3[][] = [];
    const cost: number[][] = [];
    let hopeless = false;
    for (let i = 0; i < n && !hopeless; i++) {
      const moved: Vec3 = [c.frac2[i][0] + shift[0], c.frac2[i][1] + shift[1], c.frac2[i][2] + shift[2]];
      const row: number[] = [];
      const vrow: Vec3[] = [];
      let any = false;
      for (let j = 0; j < n; j++) {
        if (e1[j] !== e2[i]) {
          row.push(Infinity);
          vrow.push([0, 0, 0]);
          continue;
        }
        const v = shortestVector(c.avg, moved, c.frac1[j]);
        const d2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        if (d2 <= prefilter * prefilter) any = true;
        row.push(d2);
        vrow.push(v);
      }
      hopeless = !any;
      cost.push(row);
      vectors.push(vrow);
    }
    if (hopeless) continue;
    const { column, cost: total } = solveAssignment(cost);
    if (!Number.isFinite(total)) continue;
    const chosen = column.map((j, i) => vectors[i][j]);
    const mean = [0, 1, 2].map((k) => chosen.reduce((s, v) => s + v[k], 0) / n);
    const d = chosen.map((v) => Math.hypot(v[0] - mean[0], v[1] - mean[1], v[2] - mean[2]) / normLength);
    const result = { maxDistance: Math.max(...d), rms: Math.sqrt(d.reduce((s, x) => s + x * x, 0) / n) };
    if (!best || result.maxDistance < best.maxDistance) best = result;
    if (best.maxDistance < stopBelow) return best;
  }
  return best;
}

/**
 * The best match of two prepared structures, or undefined when none is within tolerance.
 * With `firstMatch` the search stops at the first fit within stol (enough for yes/no questions).
 */
export function matchPrepared(p1: PreparedStructure, p2: PreparedStructure, options: Partial<MatcherOptions> = {}, firstMatch = true): MatchResult | undefined {
  const o = { ...DEFAULT_MATCHER_OPTIONS, ...options };
  if (p1.key !== p2.key) return undefined;
  let l1 = p1.reduced.lattice;
  let l2 = p2.reduced.lattice;
  if (o.scale) {
    const ratio = (volume(l2) / volume(l1)) ** (1 / 6);
    l1 = scaled(l1, ratio);
    l2 = scaled(l2, 1 / ratio);
  }
  const cart1 = p1.reduced.sites.map((s) => fracToCart(l1, s.frac));
  const frac2 = p2.reduced.sites.map((s) => s.frac);
  let best: MatchResult | undefined;
  for (const basis of similarBases(l1, l2, o)) {
    const inv = inverse(basis);
    const frac1 = cart1.map((x) => fracToCart(inv, x));
    const found = bestForCandidate({ frac1, frac2, avg: averageLattice(basis, l2) }, p1.elements, p2.elements, o, firstMatch ? o.stol : 1e-5);
    if (found && (!best || found.maxDistance < best.maxDistance)) best = found;
    if (best && best.maxDistance <= (firstMatch ? o.stol : 1e-5)) break;
  }
  return best && best.maxDistance <= o.stol ? best : undefined;
}

/** Whether two structures are the same crystal within the tolerances. */
export function structuresMatch(s1: Structure, s2: Structure, options: Partial<MatcherOptions> = {}): boolean {
  return matchPrepared(prepareStructure(s1, options), prepareStructure(s2, options), options) !== undefined;
}

/** The normalised RMS displacement of the best match, or undefined when they do not match. */
export function matchRms(s1: Structure, s2: Structure, options: Partial<MatcherOptions> = {}): number | undefined {
  return matchPrepared(prepareStructure(s1, options), prepareStructure(s2, options), options, false)?.rms;
}

/**
 * Groups structures that match each other. Each group lists indices into `structures`, first
 * member first; a structure is compared with the first member of each earlier group (pymatgen's
 * group_structures does the same), so the number of groups / N is MatterGen's uniqueness.
 */
export function uniqueGroups(structures: Structure[], options: Partial<MatcherOptions> = {}): number[][] {
  const prepared = structures.map((s) => prepareStructure(s, options));
  const groups: number[][] = [];
  const byKey = new Map<string, number[][]>();
  prepared.forEach((p, i) => {
    const candidates = byKey.get(p.key) ?? [];
    const home = candidates.find((g) => matchPrepared(prepared[g[0]], p, options) !== undefined);
    if (home) {
      home.push(i);
      return;
    }
    const group = [i];
    groups.push(group);
    candidates.push(group);
    byKey.set(p.key, candidates);
  });
  return groups;
}

/** A reference set prepared once, for novelty checks of many structures. */
export class ReferenceIndex {
  private readonly byKey = new Map<string, PreparedStructure[]>();

  constructor(
    reference: Structure[],
    private readonly options: Partial<MatcherOptions> = {},
  ) {
    for (const s of reference) {
      const p = prepareStructure(s, options);
      const list = this.byKey.get(p.key) ?? [];
      list.push(p);
      this.byKey.set(p.key, list);
    }
  }

  /** True when a reference structure matches `structure`. */
  contains(structure: Structure | PreparedStructure): boolean {
    const p = 'key' in structure ? structure : prepareStructure(structure, this.options);
    return (this.byKey.get(p.key) ?? []).some((r) => matchPrepared(r, p, this.options) !== undefined);
  }
}

/** A structure is novel when no reference structure matches it (MatterGen). */
export function isNovel(structure: Structure, reference: Structure[] | ReferenceIndex, options: Partial<MatcherOptions> = {}): boolean {
  const index = reference instanceof ReferenceIndex ? reference : new ReferenceIndex(reference, options);
  return !index.contains(structure);
}
