// `crystal-gan generate-compositions (--model RUN_DIR --n N [--seed S] | --formulas CSV) --out CSV [--training CSV] [--data DIR]`
// Samples a trained composition generator (MatGAN decoding: cell on at ≥ 0.2, argmax slot per
// element, 2–8 elements), writes one CSV row per distinct formula as written
//   formula,reduced_formula,count,charge_neutral,electronegativity_balanced,novel
// and prints the MatGAN metrics with their denominators (method §9):
//   CN / CN+EB rate   over decoded samples (the SMACT checks on the counts as written),
//   uniqueness        distinct valid reduced compositions / valid samples,
//   novelty           distinct reduced compositions absent from the training set / distinct ones.
// The training set is --training, else the CSV named in the run's config, else the paper's OQMD list.
// --formulas scores an existing list (a CSV with a formula column) with the same metrics instead of
// sampling: a reference point, e.g. the training set's own CN/EB rate.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ExitCode, InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { canonicalKey, reducedFormula } from '../../core/chem/composition';
import { matganChemicalValidity, type SmactTables } from '../../core/chem/smact';
import { loadCompositionCsv } from '../../core/data/compositionDatasets';
import { DataDirectoryNotFoundError, resolveDataDir } from '../../core/data/dataDir';
import { loadSmactTables } from '../../core/data/smactTables';
import { formatComposition } from '../../core/features/encoding';
import { csvLine } from '../../core/features/csvIo';
import { compositionKey } from '../../core/features/parse';
import { initBackend } from '../../ml/backend';
import { sampleCompositions } from '../../ml/compositionGan/sample';

interface GenerateOptions {
  model?: string;
  formulas?: string;
  n?: string;
  seed: string;
  out: string;
  training?: string;
  data?: string;
}

export const GENERATED_HEADER = 'formula,reduced_formula,count,charge_neutral,electronegativity_balanced,novel';

export interface GeneratedFormula {
  formula: string;
  reduced: string;
  key: string;
  count: number;
  chargeNeutral: boolean;
  /** MatGAN's "chemically valid": charge-neutral and electronegativity-balanced for one assignment. */
  valid: boolean;
  novel: boolean;
}

export interface GenerationMetrics {
  samples: number;
  decoded: number;
  chargeNeutralSamples: number;
  validSamples: number;
  distinctValid: number;
  distinct: number;
  distinctNovel: number;
  distinctValidNovel: number;
}

/** Groups decoded samples by formula as written and applies the checks once per formula. */
export function tallyGenerated(
  compositions: readonly (Record<string, number> | null)[], tables: SmactTables, trainingKeys: ReadonlySet<string>,
): { formulas: GeneratedFormula[]; metrics: GenerationMetrics } {
  const byFormula = new Map<string, GeneratedFormula>();
  let decoded = 0, chargeNeutralSamples = 0, validSamples = 0;
  for (const composition of compositions) {
    if (!composition) continue;
    decoded++;
    const formula = formatComposition(composition);
    let entry = byFormula.get(formula);
    if (!entry) {
      const check = matganChemicalValidity(composition, tables);
      const key = canonicalKey(composition);
      entry = { formula, reduced: reducedFormula(composition), key, count: 0, chargeNeutral: check.chargeNeutral, valid: check.valid, novel: !trainingKeys.has(key) };
      byFormula.set(formula, entry);
    }
    entry.count++;
    if (entry.chargeNeutral) chargeNeutralSamples++;
    if (entry.valid) validSamples++;
  }
  const formulas = [...byFormula.values()];
  // Novelty depends only on the reduced composition, so one flag per key.
  const noveltyByKey = new Map(formulas.map((f) => [f.key, f.novel]));
  return {
    formulas,
    metrics: {
      samples: compositions.length,
      decoded,
      chargeNeutralSamples,
      validSamples,
      distinctValid: new Set(formulas.filter((f) => f.valid).map((f) => f.key)).size,
      distinct: noveltyByKey.size,
      distinctNovel: [...noveltyByKey.values()].filter(Boolean).length,
      distinctValidNovel: new Set(formulas.filter((f) => f.valid && f.novel).map((f) => f.key)).size,
    },
  };
}

function percent(numerator: number, denominator: number): string {
  return `${denominator ? ((100 * numerator) / denominator).toFixed(2) : 'n/a'} % (${numerator.toLocaleString('en')} / ${denominator.toLocaleString('en')})`;
}

export function metricsLines(m: GenerationMetrics, trainingFile: string, trainingSize: number): string[] {
  return [
    `samples drawn: ${m.samples.toLocaleString('en')}; decoded to 2–8 elements: ${percent(m.decoded, m.samples)}`,
    `charge-neutral (CN), of decoded samples: ${percent(m.chargeNeutralSamples, m.decoded)}`,
    `CN + electronegativity-balanced (MatGAN valid), of decoded samples: ${percent(m.validSamples, m.decoded)}`,
    `uniqueness, distinct valid reduced compositions / valid samples: ${percent(m.distinctValid, m.validSamples)}`,
    `novelty, distinct reduced compositions not in training / distinct: ${percent(m.distinctNovel, m.distinct)}`,
    `novelty among valid, distinct valid novel / distinct valid: ${percent(m.distinctValidNovel, m.distinctValid)}`,
    `training set for novelty: ${trainingFile} (${trainingSize.toLocaleString('en')} distinct reduced compositions)`,
  ];
}

function dataDirOrFail(setting?: string): string {
  try {
    return resolveDataDir({ setting }).path;
  } catch (error) {
    if (error instanceof DataDirectoryNotFoundError) throw new InputError(error.message);
    throw error;
  }
}

/** --training, else a .csv named in run.json's config, else the paper's GAN training list. */
function trainingFileFor(runDir: string | undefined, dataDir: string, explicit?: string): string {
  if (explicit) return explicit;
  if (!runDir) return path.join(dataDir, 'composition', 'gan_train_oqmd', 'oqmd_formulas.csv');
  try {
    const info = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { config?: Record<string, unknown> };
    for (const value of Object.values(info.config ?? {})) {
      if (typeof value !== 'string' || !value.endsWith('.csv')) continue;
      for (const candidate of [value, path.join(dataDir, value), path.join(dataDir, 'composition', value)]) if (fs.existsSync(candidate)) return candidate;
    }
  } catch {
    // no readable run.json: fall back to the paper's training list
  }
  return path.join(dataDir, 'composition', 'gan_train_oqmd', 'oqmd_formulas.csv');
}

function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return n;
}

/** Compositions from a CSV's formula column (unparsable rows count as samples that did not decode). */
function compositionsFromCsv(file: string): (Record<string, number> | null)[] {
  let dataset;
  try {
    dataset = loadCompositionCsv(file, { duplicates: 'keep' });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const decoded = dataset.records.map((r) => {
    const n = r.composition.symbols.length;
    if (n < 2 || n > 8) return null;
    return Object.fromEntries(r.composition.symbols.map((s, i) => [s, r.composition.amounts[i]]));
  });
  return [...decoded, ...dataset.skipped.map(() => null)];
}

async function sampleRun(io: CliIO, options: GenerateOptions): Promise<(Record<string, number> | null)[]> {
  const n = positiveInteger(options.n ?? '', '--n');
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${options.seed}'`);
  const backend = await initBackend('auto');
  io.err(`backend: ${backend.name}; sampling ${n.toLocaleString('en')} compositions from ${options.model} (seed ${seed})`);
  try {
    return sampleCompositions(options.model!, n, seed).compositions;
  } catch (error) {
    throw new InputError(`cannot sample ${options.model}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runGenerate(io: CliIO, options: GenerateOptions): Promise<number> {
  if (Boolean(options.model) === Boolean(options.formulas)) throw new UsageError('give --model RUN_DIR (with --n) or --formulas CSV, not both');
  if (options.model) positiveInteger(options.n ?? '', '--n');
  const dataDir = dataDirOrFail(options.data);
  const trainingFile = trainingFileFor(options.model, dataDir, options.training);
  if (!fs.existsSync(trainingFile)) throw new InputError(`training set ${trainingFile} does not exist (give --training CSV with a formula column)`);
  const training = loadCompositionCsv(trainingFile, { duplicates: 'keep' });
  const trainingKeys = new Set(training.records.map((r) => compositionKey(r.composition)));
  const tables = loadSmactTables(dataDir);
  const compositions = options.formulas ? compositionsFromCsv(options.formulas) : await sampleRun(io, options);
  const { formulas, metrics } = tallyGenerated(compositions, tables, trainingKeys);
  const lines = [GENERATED_HEADER, ...formulas.map((f) => csvLine([f.formula, f.reduced, f.count, f.chargeNeutral, f.valid, f.novel]))];
  try {
    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    fs.writeFileSync(options.out, lines.join('\n') + '\n');
  } catch (error) {
    throw new InputError(`cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const line of metricsLines(metrics, trainingFile, trainingKeys.size)) io.out(line);
  io.err(`wrote ${formulas.length.toLocaleString('en')} distinct formulas to ${options.out}`);
  return ExitCode.ok;
}

export const registerGenerateCompositions: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('generate-compositions')
    .description('Sample new compositions from a trained composition GAN; flag charge-neutral, electronegativity-balanced and novel ones')
    .option('--model <runDir>', 'composition-GAN run folder (holding generator/)')
    .option('--n <count>', 'number of samples to draw (with --model)')
    .option('--formulas <csv>', 'score the formulas of this CSV instead of sampling (a reference point)')
    .option('--seed <seed>', 'seed of the noise vectors', '0')
    .requiredOption('--out <csv>', 'output CSV, one row per distinct formula')
    .option('--training <csv>', 'training formulas for novelty (default: from the run config, else the OQMD GAN list)')
    .option('--data <dir>', 'data directory (default: crystalGan.dataDirectory / CRYSTAL_GAN_DATA / ../shared/data)')
    .action(async (options: GenerateOptions) => {
      process.exitCode = await runGenerate(io, options);
    });
};
