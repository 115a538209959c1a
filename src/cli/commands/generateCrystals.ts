// `crystal-gan generate-crystals [--model RUN_DIR] --n N [--seed S] --out DIR [--all-compositions] [--resample K]`
// Samples N structures from a crystal-GAN generator (default: the shipped Nb–O model in
// models/crystal-gan-nbo) and writes DIR/crystal-0001.cif … plus DIR/summary.csv with the header
// file,formula,a,b,c,alpha,beta,gamma,volume,density,min_distance,structurally_valid,compositionally_valid.
// Validity, uniqueness and novelty go to stderr; stdout gets the output folder.
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { generateCrystalsJob, ModelNotFoundError } from '../../jobs/generateCrystalsJob';
import { ModelFileError } from '../../ml/io';
import { wholeNumber } from './trainCrystalGan';

interface GenerateOptions {
  model?: string;
  n?: string;
  seed?: string;
  out?: string;
  allCompositions?: boolean;
  resample?: string;
  backend?: string;
  data?: string;
}

async function runGenerate(io: CliIO, options: GenerateOptions): Promise<number> {
  const n = wholeNumber('--n', options.n, 1);
  if (n === undefined) throw new UsageError('--n N is required (how many structures to generate)');
  if (!options.out) throw new UsageError('--out DIR is required (folder for the CIF files and summary.csv)');
  const outDir = path.resolve(options.out);
  const controller = new AbortController();
  try {
    const summary = await generateCrystalsJob(
      { model: options.model, n, seed: wholeNumber('--seed', options.seed, 0), outDir, allCompositions: options.allCompositions, resample: wholeNumber('--resample', options.resample, 0), backend: options.backend, dataDirectory: options.data },
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
    .option('--resample <k>', 'repair (off by default): redraw the latent of a sample with atoms closer than 0.5 Å up to k times')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--data <dir>', 'data directory, for SMACT tables and novelty (default: the crystalGan.dataDirectory rule)')
    .action(async (options: GenerateOptions) => {
      process.exitCode = await runGenerate(io, options);
    });
};
