// The project's generation metrics (src/core/structure/metrics.ts) applied to crystal-GAN output:
// CDVAE structural and SMACT compositional validity, MatterGen uniqueness/novelty with our
// matcher, density and element-count W₁ against a reference set.
import type { SmactTables } from '../../core/chem/smact';
import { structuresMatch } from '../../core/structure/matcher';
import { compositionalValidity, evaluateStructures, type GenerationMetrics } from '../../core/structure/metrics';
import type { Structure } from '../../core/structure/types';
import type { GeneratedCrystal } from './generation';

/** Deduplication test for training sets: the matcher with MatterGen's tolerances. */
export function sameCrystal(a: Structure, b: Structure): boolean {
  return structuresMatch(a, b);
}

export function isChargeBalanced(structure: Structure, tables: SmactTables): boolean {
  return compositionalValidity(structure, tables).valid;
}

/** Share of samples per outcome; construction failures count as invalid in every rate. */
export function validityRates(generated: GeneratedCrystal[], tables: SmactTables): Record<string, number> {
  const n = generated.length;
  const built = generated.filter((g): g is GeneratedCrystal & { structure: Structure } => g.structure !== undefined);
  if (n === 0) return {};
  const { metrics } = evaluateStructures(built.map((g) => g.structure), { tables });
  const scale = built.length / n;
  return {
    constructionValidity: metrics.constructionValidity * scale,
    structuralValidity: metrics.structuralValidity * scale,
    compositionalValidity: (metrics.compositionalValidity ?? 0) * scale,
    uniqueness: metrics.uniqueness,
    rawCompositionMatch: generated.filter((g) => g.rawMatchesCondition).length / n,
  };
}

/** Full metrics of a generated set against training (novelty) and reference (EMD) structures. */
export function generationReport(generated: GeneratedCrystal[], training: Structure[], reference: Structure[], tables: SmactTables): { metrics: GenerationMetrics; novelty: number; constructionFailures: number } {
  const built = generated.flatMap((g) => (g.structure ? [g.structure] : []));
  const { metrics } = evaluateStructures(built, { tables, reference });
  const noveltyMetrics = reference === training ? metrics : evaluateStructures(built, { reference: training }).metrics;
  return { metrics, novelty: noveltyMetrics.novelty ?? 0, constructionFailures: generated.length - built.length };
}
