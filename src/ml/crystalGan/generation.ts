// From a trained generator to crystal structures: pick a composition for each sample from the
// training compositions (charge-balanced ones by default, weighted by how many training
// structures have them), run the generator, and decode with that composition (wrap coordinates
// to [0, 1), keep the most likely slots). A cell whose angles cannot form a lattice is reported
// as a construction failure, never repaired silently.
import { composition } from '../../core/structure/composition';
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
}

export interface GenerationOptions {
  /** Sample conditions from all training compositions, not only the charge-balanced ones. */
  allCompositions?: boolean;
  /** Samples per generator call. */
  chunk?: number;
}

/** Draws n compositions in proportion to how many training structures have each. */
export function sampleConditions(compositions: TrainingComposition[], n: number, random: Random, allCompositions = false): number[][] {
  const balanced = compositions.filter((c) => c.chargeBalanced);
  const pool = allCompositions || balanced.length === 0 ? compositions : balanced;
  if (pool.length === 0) throw new Error('the model lists no training compositions to condition on');
  const total = pool.reduce((s, c) => s + c.structures, 0);
  return Array.from({ length: n }, () => {
    let pick = random() * total;
    for (const c of pool) {
      pick -= c.structures;
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

/** Generates n structures with the given generator. */
export function generateCrystals(generator: CrystalGenerator, compositions: TrainingComposition[], n: number, random: Random, options: GenerationOptions = {}): GeneratedCrystal[] {
  const { spec } = generator;
  const conditions = sampleConditions(compositions, n, random, options.allCompositions);
  const chunk = options.chunk ?? 256;
  const out: GeneratedCrystal[] = [];
  for (let start = 0; start < n; start += chunk) {
    const counts = conditions.slice(start, start + chunk);
    const encoded = sampleGenerator(generator, counts.map((c) => c.map((x) => x / spec.maxAtoms)), random);
    encoded.forEach((item, i) => {
      const condition = counts[i];
      try {
        const structure = decodeCrystalWithComposition(item, spec, condition);
        const rawMatchesCondition = sameCounts(decodeCrystal(item, spec), spec.elements, condition);
        out.push({ structure, condition, rawMatchesCondition });
      } catch (error) {
        out.push({ condition, rawMatchesCondition: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  }
  return out;
}
