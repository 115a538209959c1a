// `crystal-gan generate-crystals [--model RUN_DIR] --n N [--seed S] --out DIR [--all-compositions]
//   [--conditions balanced|all|random] [--weighted-conditions] [--raw-decoding] [--resample K]`
// Samples N structures from a crystal-GAN generator (default: the shipped Nb–O model in
// models/crystal-gan-nbo) and writes DIR/crystal-0001.cif … plus DIR/summary.csv with the header
// file,formula,a,b,c,alpha,beta,gamma,volume,density,min_distance,structurally_valid,compositionally_valid.
// Validity, uniqueness and novelty go to stderr; stdout gets the output folder.
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { generateCrystalsJob, ModelNotFoundError } from '../../jobs/generateCrystalsJob';
import type { ConditionPool } from '../../ml/crystalGan/generation';
import { ModelFileError } from '../../ml/io';
import { wholeNumber } from './trainCrystalGan';

interface GenerateOptions {
  model?: string;
  n?: string;
  seed?: string;
  out?: string;
  allCompositions?: boolean;
  conditions?: string;
  weightedConditions?: boolean;
  rawDecoding?: boolean;
  resample?: string;
  backend?: string;
  data?: string;
}

const CONDITION_POOLS: readonly ConditionPool[] = ['balanced', 'all', 'random'];

function conditionPool(value: string | undefined): ConditionPool | undefined {
  if (value === undefined) return undefined;
  const pool = CONDITION_POOLS.find((p) => p === value);
  if (!pool) throw new UsageError(`--conditions must be one of ${CONDITION_POOLS.join(', ')}, got "${value}"`);
  return pool;
}

async function runGenerate(io: CliIO, options: GenerateOptions): Promise<number> {
  const n = wholeNumber('--n', options.n, 1);
  if (n === undefined) throw new UsageError('--n N is required (how many structures to generate)');
  if (!options.out) throw new UsageError('--out DIR is required (folder for the CIF files and summary.csv)');
  const outDir = path.resolve(options.out);
  const pool = conditionPool(options.conditions);
  const controller = new AbortController();
  try {
    const summary = await generateCrystalsJob(
      { model: options.model, n, seed: wholeNumber('--seed', options.seed, 0), outDir, allCompositions: options.allCompositions, conditions: pool, weightedConditions: options.weightedConditions, rawDecoding: options.rawDecoding, resample: wholeNumber('--resample', options.resample, 0), backend: options.backend, dataDirectory: options.data },
      {
        runDir: outDir,
        signal: controller.signal,
        emit: (event) => {
          if (event.type === 'log') io.err(event.level === 'info' ? event.message : `${event.level}: ${event.message}`);
        },
      },
    );
    for (const [key, value] of Object.entries(summary)) if (key !== 'outDir') io.err(`${key}: ${value}`);
  } catch (error) {
    if (error instanceof ModelNotFoundError || error instanceof ModelFileError) throw new InputError(error.message);
    throw error;
  }
  io.out(outDir);
  return 0;
}

export const registerGenerateCrystals: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('generate-crystals')
    .description('Generate crystal structures with a trained crystal GAN: one CIF each plus summary.csv')
    .option('--model <dir>', 'train-crystal-gan run folder (or a folder with model.json); default the shipped Nb–O model')
    .option('--n <n>', 'number of structures to generate')
    .option('--seed <s>', 'random seed (default 0)')
    .option('--out <dir>', 'output folder (created if missing)')
    .option('--all-compositions', 'condition on every training composition, not only the charge-balanced (SMACT) ones')
    .option('--conditions <pool>', 'compositions to condition on: balanced (charge-balanced training compositions, default), all (every training composition), random (any composition of the model\'s elements)')
    .option('--weighted-conditions', 'draw each training composition in proportion to its training structures (default: each equally often)')
    .option('--raw-decoding', 'keep the composition the generator produced instead of imposing the condition (shows what it learnt)')
    .option('--resample <k>', 'repair (off by default): redraw the latent of a sample with atoms closer than 0.5 Å up to k times')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--data <dir>', 'data directory, for SMACT tables and novelty (default: the crystalGan.dataDirectory rule)')
    .action(async (options: GenerateOptions) => {
      process.exitCode = await runGenerate(io, options);
    });
};
