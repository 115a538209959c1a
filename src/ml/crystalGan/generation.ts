// From a trained generator to crystal structures: pick a composition for each sample from the
// training compositions (charge-balanced ones by default, each equally often), run the generator, and decode with that composition (wrap coordinates
// to [0, 1), keep the most likely slots). A cell whose angles cannot form a lattice is reported
// as a construction failure, never repaired silently. The one optional repair is documented
// and off by default: `resample` redraws the latent vector (same composition) for a sample whose
// atoms are closer than 0.5 Å, up to that many times — a filter on the generator, like
// CubicGAN's; it never moves atoms. Generation reports how many samples needed it.
import { composition } from '../../core/structure/composition';
import { structuralValidity } from '../../core/structure/metrics';
import type { Structure } from '../../core/structure/types';
import type { Random } from './augmentation';
import type { TrainingComposition } from './checkpoint';
import type { CrystalGenerator } from './model';
import { decodeCrystal, decodeCrystalWithComposition } from './representation';
import { sampleGenerator } from './trainer';

export interface GeneratedCrystal {
  /** Undefined when the cell could not be built (construction failure). */
  structure?: Structure;
  error?: string;
  /** The composition the generator was asked for (counts in spec.elements order). */
  condition: number[];
  /** Whether the plain decoding (present > 0.5, most likely element) already had that composition. */
  rawMatchesCondition: boolean;
  /** Latent redraws this sample needed (0 without the resample option). */
  redraws: number;
}

/**
 * Where generation conditions come from: 'balanced' = the training compositions that pass SMACT
 * (the default), 'all' = every training composition, 'random' = any composition of the model's
 * elements with 1…maxAtoms atoms (atom count uniform, then each atom's element uniform), which
 * shows what the generator does with compositions it never saw.
 */
export type ConditionPool = 'balanced' | 'all' | 'random';

export interface ConditionOptions {
  pool?: ConditionPool;
  /**
   * Draw each composition in proportion to its training structures (the first default). Without
   * it every composition is equally likely: OQMD lists many 2-atom NbO prototypes (10 of the 42
   * kept cells), and a 2-atom cell has so few degrees of freedom that a quarter of all samples
   * spent there came out as matcher duplicates (docs/results/crystal-gan.md).
   */
  weighted?: boolean;
  /** Needed for the 'random' pool: the model's atom slots. */
  maxAtoms?: number;
}

export interface GenerationOptions extends ConditionOptions {
  /** Sample conditions from all training compositions, not only the charge-balanced ones (= pool 'all'). */
  allCompositions?: boolean;
  /** Samples per generator call. */
  chunk?: number;
  /** Redraw the latent vector of a structurally invalid sample up to this many times (default 0). */
  resample?: number;
  /**
   * Decode what the generator itself produced (slots with present > 0.5, most likely element)
   * instead of imposing the condition's composition: the composition then reflects the model.
   */
  rawDecoding?: boolean;
}

function randomComposition(elements: number, maxAtoms: number, random: Random): number[] {
  const counts = new Array<number>(elements).fill(0);
  const atoms = 1 + Math.floor(random() * maxAtoms);
  for (let k = 0; k < atoms; k++) counts[Math.floor(random() * elements)] += 1;
  return counts;
}

/** Draws n compositions from the chosen pool, each equally often (or in proportion to its training structures). */
export function sampleConditions(compositions: TrainingComposition[], n: number, random: Random, options: ConditionOptions = {}): number[][] {
  if (options.pool === 'random') {
    const elements = compositions[0]?.counts.length;
    if (!elements || !options.maxAtoms) throw new Error('random conditions need the model\'s elements and atom slots');
    return Array.from({ length: n }, () => randomComposition(elements, options.maxAtoms as number, random));
  }
  const balanced = compositions.filter((c) => c.chargeBalanced);
  const pool = options.pool === 'all' || balanced.length === 0 ? compositions : balanced;
  if (pool.length === 0) throw new Error('the model lists no training compositions to condition on');
  const weight = (c: TrainingComposition): number => (options.weighted ? c.structures : 1);
  const total = pool.reduce((s, c) => s + weight(c), 0);
  return Array.from({ length: n }, () => {
    let pick = random() * total;
    for (const c of pool) {
      pick -= weight(c);
      if (pick < 0) return c.counts;
    }
    return pool[pool.length - 1].counts;
  });
}

function sameCounts(structure: Structure, elements: string[], counts: number[]): boolean {
  const comp = composition(structure);
  const known = elements.every((e, i) => (comp[e] ?? 0) === counts[i]);
  return known && Object.keys(comp).every((e) => elements.includes(e));
}

function decode(generator: CrystalGenerator, conditions: number[][], random: Random, rawDecoding = false): GeneratedCrystal[] {
  const { spec } = generator;
  const encoded = sampleGenerator(generator, conditions.map((c) => c.map((x) => x / spec.maxAtoms)), random);
  return encoded.map((item, i) => {
    const condition = conditions[i];
    try {
      const raw = decodeCrystal(item, spec);
      const rawMatchesCondition = sameCounts(raw, spec.elements, condition);
      if (rawDecoding && raw.sites.length === 0) throw new Error('no atom slot has a present score above 0.5');
      const structure = rawDecoding ? raw : decodeCrystalWithComposition(item, spec, condition);
      return { structure, condition, rawMatchesCondition, redraws: 0 };
    } catch (error) {
      return { condition, rawMatchesCondition: false, error: error instanceof Error ? error.message : String(error), redraws: 0 };
    }
  });
}

function acceptable(g: GeneratedCrystal): boolean {
  return g.structure !== undefined && structuralValidity(g.structure);
}

/** Generates n structures with the given generator. */
export function generateCrystals(generator: CrystalGenerator, compositions: TrainingComposition[], n: number, random: Random, options: GenerationOptions = {}): GeneratedCrystal[] {
  const pool = options.allCompositions ? 'all' : options.pool;
  const conditions = sampleConditions(compositions, n, random, { pool, weighted: options.weighted, maxAtoms: generator.spec.maxAtoms });
  const chunk = options.chunk ?? 256;
  const out: GeneratedCrystal[] = [];
  for (let start = 0; start < n; start += chunk) out.push(...decode(generator, conditions.slice(start, start + chunk), random, options.rawDecoding));
  for (let round = 1; round <= (options.resample ?? 0); round++) {
    const failing = out.map((g, i) => (acceptable(g) ? -1 : i)).filter((i) => i >= 0);
    if (failing.length === 0) break;
    const redrawn = decode(generator, failing.map((i) => out[i].condition), random, options.rawDecoding);
    failing.forEach((index, k) => {
      out[index] = { ...redrawn[k], redraws: round };
    });
  }
  return out;
}
