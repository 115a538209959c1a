// Generation metrics for crystal structures, as docs/method-crystal-gan.md §3 defines them:
// construction validity, CDVAE structural validity (volume ≥ 0.1 Å³, distinct atoms ≥ 0.5 Å apart
// under periodic images), CDVAE compositional validity (SMACT 2014 rules, via src/core/chem/smact),
// 1-D Wasserstein distances of density and element count against a reference set, and MatterGen's
// uniqueness / novelty with our matcher. Stability (S.U.N.) is not computed: it needs relaxations
// and a convex hull we do not have. Web-safe: the SMACT tables are passed in.
import { cdvaeCompositionValidity, type SmactResult, type SmactTables } from '../chem/smact';
import { getElement } from '../chem/elements';
import { composition, reducedFormula } from './composition';
import { density, minPairDistance } from './distances';
import { volume } from './lattice';
import { DEFAULT_MATCHER_OPTIONS, prepareStructure, matchPrepared, ReferenceIndex, type MatcherOptions, type PreparedStructure } from './matcher';
import type { Structure } from './types';

/** CDVAE's thresholds. */
export const MIN_VOLUME = 0.1;
export const MIN_DISTANCE = 0.5;
/** CDVAE draws this many valid generated structures for the property EMDs. */
export const EMD_SAMPLE_SIZE = 1000;

export interface ConstructionCheck {
  valid: boolean;
  /** Why the cell cannot be built, when it cannot. */
  reason?: string;
}

/** Whether a structure can be built at all: finite numbers, known elements, volume ≥ 0.1 Å³. */
export function constructionValidity(s: Structure): ConstructionCheck {
  if (!s.lattice.flat().every(Number.isFinite)) return { valid: false, reason: 'the lattice has non-finite entries' };
  const v = volume(s.lattice);
  if (!(v >= MIN_VOLUME)) return { valid: false, reason: `cell volume ${v.toPrecision(3)} Å³ < ${MIN_VOLUME} Å³` };
  if (s.sites.length === 0) return { valid: false, reason: 'no atoms' };
  for (const [i, site] of s.sites.entries()) {
    if (!site.frac.every(Number.isFinite)) return { valid: false, reason: `site ${i + 1} has non-finite coordinates` };
    for (const sp of site.species) {
      if (!getElement(sp.element)) return { valid: false, reason: `site ${i + 1}: unknown element "${sp.element}"` };
      if (!(sp.occupancy > 0)) return { valid: false, reason: `site ${i + 1}: occupancy ${sp.occupancy} is not positive` };
    }
  }
  return { valid: true };
}

/** CDVAE structural validity: volume ≥ 0.1 Å³ and every pair of distinct atoms ≥ 0.5 Å apart. */
export function structuralValidity(s: Structure): boolean {
  return volume(s.lattice) >= MIN_VOLUME && minPairDistance(s) >= MIN_DISTANCE;
}

/** CDVAE compositional validity of the structure's composition (SMACT 2014 tables). */
export function compositionalValidity(s: Structure, tables: SmactTables): SmactResult {
  return cdvaeCompositionValidity(composition(s), tables);
}

/**
 * 1-D Wasserstein-1 distance between two empirical distributions, W₁ = ∫|F_a − F_b| dx
 * (scipy.stats.wasserstein_distance with equal weights). NaN when either sample is empty.
 */
export function wasserstein1(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return NaN;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  const all = [...sa, ...sb].sort((x, y) => x - y);
  let ia = 0;
  let ib = 0;
  let w = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k];
    while (ia < sa.length && sa[ia] <= x) ia++;
    while (ib < sb.length && sb[ib] <= x) ib++;
    w += Math.abs(ia / sa.length - ib / sb.length) * (all[k + 1] - x);
  }
  return w;
}

/** Deterministic sample without replacement (seeded Fisher–Yates), so reports reproduce. */
export function sampleIndices(n: number, k: number, seed = 0): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (k >= n) return order;
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, k).sort((x, y) => x - y);
}

export interface StructureEvaluation {
  formula: string;
  natoms: number;
  volume: number;
  density: number;
  minDistance: number;
  elementCount: number;
  construction: ConstructionCheck;
  structural: boolean;
  /** Undefined when no SMACT tables were given. */
  compositional?: boolean;
  compositionalReason?: string;
  /** construction && structural && compositional (compositional counts as true without tables). */
  valid: boolean;
  /** First member of its group of matching structures (MatterGen's uniqueness). */
  unique: boolean;
  /** Index of the first member of its group. */
  groupOf: number;
  /** Matches no reference structure; undefined without a reference. */
  novel?: boolean;
}

export interface GenerationMetrics {
  count: number;
  /** Shares of all generated structures, in [0, 1]. */
  constructionValidity: number;
  structuralValidity: number;
  compositionalValidity?: number;
  validity: number;
  /** Over the constructible structures: groups / N, novel / N, unique-and-novel / N. */
  uniqueness: number;
  novelty?: number;
  uniqueNovelty?: number;
  uniqueGroups: number;
  /** W₁ of density (g/cm³) and of the number of elements: sampled valid generated vs all reference. */
  densityEMD?: number;
  elementCountEMD?: number;
  emdSampleSize?: number;
  referenceCount?: number;
  matcher: Pick<MatcherOptions, 'ltol' | 'stol' | 'angleTol'>;
  stability: 'not computed';
}

export interface EvaluateOptions {
  /** Training/reference structures for novelty and the EMDs (or a prepared index plus structures). */
  reference?: Structure[];
  /** SMACT tables; without them compositional validity is not computed. */
  tables?: SmactTables;
  matcher?: Partial<MatcherOptions>;
  emdSampleSize?: number;
  seed?: number;
}

function rate(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

function evaluateOne(s: Structure, tables: SmactTables | undefined): Omit<StructureEvaluation, 'unique' | 'groupOf' | 'novel'> {
  const construction = constructionValidity(s);
  const v = Number.isFinite(volume(s.lattice)) ? volume(s.lattice) : NaN;
  if (!construction.valid) {
    return { formula: safeFormula(s), natoms: s.sites.length, volume: v, density: NaN, minDistance: NaN, elementCount: Object.keys(composition(s)).length, construction, structural: false, valid: false };
  }
  const minDistance = minPairDistance(s);
  const structural = v >= MIN_VOLUME && minDistance >= MIN_DISTANCE;
  const smact = tables ? compositionalValidity(s, tables) : undefined;
  return {
    formula: reducedFormula(s),
    natoms: s.sites.length,
    volume: v,
    density: density(s),
    minDistance,
    elementCount: Object.keys(composition(s)).length,
    construction,
    structural,
    compositional: smact?.valid,
    compositionalReason: smact?.reason,
    valid: structural && (smact?.valid ?? true),
  };
}

function safeFormula(s: Structure): string {
  try {
    return reducedFormula(s);
  } catch {
    return '?';
  }
}

/** Groups matching structures among the constructible ones; returns the first member per index. */
function groupFirstMembers(prepared: (PreparedStructure | undefined)[], matcher: Partial<MatcherOptions>): number[] {
  const firstOf = prepared.map((_, i) => i);
  const representatives = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    if (!p) return;
    const reps = representatives.get(p.key) ?? [];
    const home = reps.find((r) => matchPrepared(prepared[r] as PreparedStructure, p, matcher) !== undefined);
    if (home !== undefined) firstOf[i] = home;
    else reps.push(i);
    representatives.set(p.key, reps);
  });
  return firstOf;
}

/** Per-structure evaluations and the aggregate metrics. */
export function evaluateStructures(generated: Structure[], options: EvaluateOptions = {}): { metrics: GenerationMetrics; structures: StructureEvaluation[] } {
  const matcher = { ...DEFAULT_MATCHER_OPTIONS, ...options.matcher };
  const base = generated.map((s) => evaluateOne(s, options.tables));
  const prepared = generated.map((s, i) => (base[i].construction.valid ? prepareStructure(s, matcher) : undefined));
  const firstOf = groupFirstMembers(prepared, matcher);
  const index = options.reference ? new ReferenceIndex(options.reference, matcher) : undefined;
  const structures: StructureEvaluation[] = base.map((b, i) => ({
    ...b,
    unique: b.construction.valid && firstOf[i] === i,
    groupOf: firstOf[i],
    novel: index && prepared[i] ? !index.contains(prepared[i] as PreparedStructure) : index ? false : undefined,
  }));
  const constructible = structures.filter((s) => s.construction.valid);
  const n = generated.length;
  const metrics: GenerationMetrics = {
    count: n,
    constructionValidity: rate(constructible.length, n),
    structuralValidity: rate(structures.filter((s) => s.structural).length, n),
    compositionalValidity: options.tables ? rate(structures.filter((s) => s.compositional).length, n) : undefined,
    validity: rate(structures.filter((s) => s.valid).length, n),
    uniqueness: rate(constructible.filter((s) => s.unique).length, constructible.length),
    uniqueGroups: constructible.filter((s) => s.unique).length,
    matcher: { ltol: matcher.ltol, stol: matcher.stol, angleTol: matcher.angleTol },
    stability: 'not computed',
  };
  if (index) {
    metrics.novelty = rate(constructible.filter((s) => s.novel).length, constructible.length);
    metrics.uniqueNovelty = rate(constructible.filter((s) => s.novel && s.unique).length, constructible.length);
  }
  if (options.reference) Object.assign(metrics, propertyEmds(structures, options.reference, options));
  return { metrics, structures };
}

/** Density and element-count W₁ between a sample of valid generated structures and all reference ones. */
function propertyEmds(structures: StructureEvaluation[], reference: Structure[], options: EvaluateOptions): Partial<GenerationMetrics> {
  const valid = structures.filter((s) => s.valid);
  const sample = sampleIndices(valid.length, options.emdSampleSize ?? EMD_SAMPLE_SIZE, options.seed ?? 0).map((i) => valid[i]);
  return {
    referenceCount: reference.length,
    emdSampleSize: sample.length,
    densityEMD: wasserstein1(sample.map((s) => s.density), reference.map(density)),
    elementCountEMD: wasserstein1(sample.map((s) => s.elementCount), reference.map((s) => Object.keys(composition(s)).length)),
  };
}
