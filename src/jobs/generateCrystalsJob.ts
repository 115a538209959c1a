// The `generate-crystals` job: loads a crystal-GAN generator (a run's model/ folder or the shipped
// default Nb–O model), samples N structures, writes one P1 CIF per structure (writeCif) and
// summary.csv (file, formula, cell, volume, density, minimum distance, structural and
// compositional validity), and reports validity, uniqueness and — when the training set can be
// read — novelty.
import fs from 'node:fs';
import path from 'node:path';
import { writeCif } from '../core/cif/writer';
import type { SmactTables } from '../core/chem/smact';
import { findProjectRoot, resolveDataDir } from '../core/data/dataDir';
import { loadSmactTables } from '../core/data/smactTables';
import { csvLine } from '../core/features/csvIo';
import { evaluateStructures, type StructureEvaluation } from '../core/structure/metrics';
import { parametersFromLattice } from '../core/structure/lattice';
import type { Structure } from '../core/structure/types';
import { initBackend, isBackendPreference } from '../ml/backend';
import { seededRandom } from '../ml/crystalGan/augmentation';
import { loadGenerator } from '../ml/crystalGan/checkpoint';
import { loadCrystalTrainingSet } from '../ml/crystalGan/dataset';
import { generateCrystals, type ConditionPool, type GeneratedCrystal } from '../ml/crystalGan/generation';
import { MODEL_FILE } from '../ml/io';
import type { JobContext, JobHandler } from './types';

export const SUMMARY_HEADER = ['file', 'formula', 'a', 'b', 'c', 'alpha', 'beta', 'gamma', 'volume', 'density', 'min_distance', 'structurally_valid', 'compositionally_valid'];
export const DEFAULT_MODEL_FOLDER = path.join('models', 'crystal-gan-nbo');

export interface GenerateCrystalsParams {
  /** A run folder (its model/), or a folder holding model.json; default the shipped Nb–O model. */
  model?: string;
  n: number;
  seed?: number;
  /** Output folder; default <run folder>/generated. */
  outDir?: string;
  /** Condition on every training composition, not only the charge-balanced ones (= conditions 'all'). */
  allCompositions?: boolean;
  /** Where conditions come from (default 'balanced'); see ConditionPool. */
  conditions?: ConditionPool;
  /** Draw compositions in proportion to their training structures instead of equally often. */
  weightedConditions?: boolean;
  /** Keep the generator's own composition (present > 0.5, most likely element) instead of imposing the condition. */
  rawDecoding?: boolean;
  /** Optional documented repair: redraw the latent of a structurally invalid sample up to this many times. */
  resample?: number;
  backend?: string;
  dataDirectory?: string;
}

export class ModelNotFoundError extends Error {}

/** Where the generator lives: RUN_DIR/model/, a folder with model.json, or the shipped default. */
export function resolveModelDir(model: string | undefined, start = __dirname): string {
  if (model) {
    const candidates = [path.join(model, 'model'), model];
    const found = candidates.find((dir) => fs.existsSync(path.join(dir, MODEL_FILE)));
    if (!found) throw new ModelNotFoundError(`--model ${model}: no ${MODEL_FILE} in ${candidates.join(' or ')} (give a train-crystal-gan run folder that has finished or been stopped)`);
    return found;
  }
  const root = findProjectRoot(start);
  const dir = root ? path.join(root, DEFAULT_MODEL_FOLDER) : undefined;
  if (!dir || !fs.existsSync(path.join(dir, MODEL_FILE))) throw new ModelNotFoundError(`the default crystal model (${DEFAULT_MODEL_FOLDER}) is missing from this installation: pass --model RUN_DIR`);
  return dir;
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '';
}

function summaryRow(file: string, structure: Structure, e: StructureEvaluation): string {
  const p = parametersFromLattice(structure.lattice);
  return csvLine([
    file, e.formula,
    ...[p.a, p.b, p.c].map((x) => fixed(x, 4)),
    ...[p.alpha, p.beta, p.gamma].map((x) => fixed(x, 3)),
    fixed(e.volume, 3), fixed(e.density, 4), fixed(e.minDistance, 4),
    e.structural, e.compositional ?? '',
  ]);
}

/** Novelty needs the training set: computed when the model's data set can be read, else skipped. */
function noveltyAgainstTraining(dataset: string, structures: Structure[], dataDir: string | undefined, ctx: JobContext): number | undefined {
  try {
    if (!dataDir) return undefined;
    const set = loadCrystalTrainingSet(dataset, dataDir, { dedupe: true });
    return evaluateStructures(structures, { reference: set.structures.map((s) => s.structure) }).metrics.novelty;
  } catch (error) {
    ctx.emit({ type: 'log', level: 'warn', message: `novelty not computed: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}

function tryDataDir(setting: string | undefined): string | undefined {
  try {
    return resolveDataDir({ setting }).path;
  } catch {
    return undefined;
  }
}

function writeOutputs(outDir: string, generated: GeneratedCrystal[], tables: SmactTables | undefined, ctx: JobContext): { built: Structure[]; evaluations: StructureEvaluation[] } {
  fs.mkdirSync(outDir, { recursive: true });
  const built = generated.flatMap((g) => (g.structure ? [g.structure] : []));
  const { structures: evaluations } = evaluateStructures(built, { tables });
  const digits = Math.max(4, String(generated.length).length);
  const rows: string[] = [SUMMARY_HEADER.join(',')];
  built.forEach((structure, i) => {
    const file = `crystal-${String(i + 1).padStart(digits, '0')}.cif`;
    fs.writeFileSync(path.join(outDir, file), writeCif(structure, { comment: `sample ${i + 1} of the crystal GAN` }));
    rows.push(summaryRow(file, structure, evaluations[i]));
  });
  fs.writeFileSync(path.join(outDir, 'summary.csv'), rows.join('\n') + '\n');
  ctx.emit({ type: 'artifact', path: path.join(outDir, 'summary.csv'), kind: 'csv' });
  return { built, evaluations };
}

export const generateCrystalsJob: JobHandler<GenerateCrystalsParams> = async (params, ctx) => {
  if (!Number.isInteger(params.n) || params.n < 1) throw new Error(`n must be a positive whole number, got ${params.n}`);
  const backend = params.backend ?? 'auto';
  if (!isBackendPreference(backend)) throw new Error(`unknown backend ${backend}`);
  await initBackend(backend);
  const modelDir = resolveModelDir(params.model);
  const { generator, metadata } = loadGenerator(modelDir);
  ctx.emit({ type: 'log', level: 'info', message: `model ${modelDir}: ${metadata.dataset}, step ${metadata.step}, elements ${metadata.spec.elements.join(' ')}` });
  const generated = generateCrystals(generator, metadata.compositions, params.n, seededRandom(params.seed ?? 0), {
    allCompositions: params.allCompositions,
    pool: params.conditions,
    weighted: params.weightedConditions,
    rawDecoding: params.rawDecoding,
    resample: params.resample,
  });
  const dataDir = tryDataDir(params.dataDirectory);
  const tables = dataDir ? loadSmactTables(dataDir) : undefined;
  const outDir = params.outDir ?? path.join(ctx.runDir, 'generated');
  const { built, evaluations } = writeOutputs(outDir, generated, tables, ctx);
  const rate = (k: number): number => Number((k / params.n).toFixed(4));
  const summary: Record<string, number | string> = {
    generated: params.n,
    written: built.length,
    constructionFailures: params.n - built.length,
    structuralValidity: rate(evaluations.filter((e) => e.structural).length),
    uniqueness: rate(evaluations.filter((e) => e.unique).length),
    rawCompositionMatch: rate(generated.filter((g) => g.rawMatchesCondition).length),
    redrawnSamples: generated.filter((g) => g.redraws > 0).length,
    outDir,
  };
  if (tables) summary.compositionalValidity = rate(evaluations.filter((e) => e.compositional).length);
  const novelty = noveltyAgainstTraining(metadata.dataset, built, dataDir, ctx);
  if (novelty !== undefined) summary.novelty = Number(novelty.toFixed(4));
  generator.variables().forEach((v) => v.dispose());
  return summary;
};
