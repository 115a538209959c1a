// `crystal-gan featurize --featurizer onehot|magpie|gan|gan-frac [--model RUN_DIR] --input CSV --out CSV [--data DIR]`
// Reads the `formula` column and writes `formula,<one column per feature>,error`, one row per
// input row in input order. A row that does not parse or uses an element outside the
// featurizer's table keeps its formula, empty features and the reason in `error`.
// Exit 0 when every row was featurized, 1 when any failed (all rows are still written), 2 usage.
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { ExitCode, InputError, type CliIO, type CommandRegistration } from '../command';
import { DataDirectoryNotFoundError, resolveDataDir } from '../../core/data/dataDir';
import { csvField, csvLine, readFormulaColumn } from '../../core/features/csvIo';
import { parseComposition } from '../../core/features/parse';
import { createFeaturizer } from '../../core/features/registry';
import { FEATURIZER_NAMES, FeaturizeError, type Featurizer, type FeaturizerName } from '../../core/features/types';

interface FeaturizeOptions {
  featurizer: FeaturizerName;
  model?: string;
  input: string;
  out: string;
  data?: string;
}

function openFeaturizer(options: FeaturizeOptions): Featurizer {
  const needsData = !options.featurizer.startsWith('gan');
  try {
    const dataDir = needsData ? resolveDataDir({ setting: options.data }).path : undefined;
    return createFeaturizer(options.featurizer, { dataDir, runDir: options.model });
  } catch (error) {
    if (error instanceof DataDirectoryNotFoundError) throw new InputError(error.message);
    throw new InputError(`cannot build the ${options.featurizer} featurizer: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One output line: the features with full float64 precision, or empty cells and the reason. */
function featureLine(featurizer: Featurizer, formula: string, buffer: Float64Array): { line: string; ok: boolean } {
  const empty = ','.repeat(featurizer.dim);
  const parsed = formula ? parseComposition(formula) : { ok: false as const, error: 'empty formula', column: 1 };
  if (!parsed.ok) return { line: `${csvField(formula)}${empty},${csvField(`${parsed.error} (column ${parsed.column})`)}`, ok: false };
  try {
    featurizer.featurizeInto(parsed.composition, buffer, 0);
  } catch (error) {
    if (!(error instanceof FeaturizeError)) throw error;
    return { line: `${csvField(formula)}${empty},${csvField(error.message)}`, ok: false };
  }
  return { line: `${csvField(formula)},${Array.from(buffer).join(',')},`, ok: true };
}

function runFeaturize(io: CliIO, options: FeaturizeOptions): number {
  let rows;
  try {
    rows = readFormulaColumn(options.input);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const featurizer = openFeaturizer(options);
  const buffer = new Float64Array(featurizer.dim);
  const lines = [csvLine(['formula', ...featurizer.labels, 'error'])];
  let failed = 0;
  for (const row of rows) {
    const { line, ok } = featureLine(featurizer, row.formula, buffer);
    if (!ok) failed++;
    lines.push(line);
  }
  try {
    fs.writeFileSync(options.out, lines.join('\n') + '\n');
  } catch (error) {
    throw new InputError(`cannot write ${options.out}: ${error instanceof Error ? error.message : String(error)}`);
  }
  io.err(`${rows.length - failed} of ${rows.length} rows featurized with ${featurizer.name} (${featurizer.dim} features); wrote ${options.out}`);
  if (failed) io.err(`${failed} row(s) failed: see the error column`);
  return failed ? ExitCode.invalidInput : ExitCode.ok;
}

export const registerFeaturize: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('featurize')
    .description('Turn the formulas of a CSV into feature vectors (onehot, magpie, gan, gan-frac)')
    .addOption(new Option('--featurizer <name>', 'feature set').choices([...FEATURIZER_NAMES]).makeOptionMandatory())
    .option('--model <runDir>', 'composition-GAN run folder with embeddings.json (gan, gan-frac)')
    .requiredOption('--input <csv>', 'CSV file with a "formula" column')
    .requiredOption('--out <csv>', 'output CSV: formula, features, error')
    .option('--data <dir>', 'data directory (default: crystalGan.dataDirectory / CRYSTAL_GAN_DATA / ../shared/data)')
    .action((options: FeaturizeOptions) => {
      process.exitCode = runFeaturize(io, options);
    });
};
