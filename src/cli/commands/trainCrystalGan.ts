// `crystal-gan train-crystal-gan --dataset nbo|perov-5|carbon-24|mp-20|FILE [--epochs N]
//   [--max-steps N] [--max-minutes M] [--seed S] [--batch-size B] [--max-atoms N] [--eval-every K] [--backend NAME]
//   [--out RUN_DIR | --resume RUN_DIR]`
// Trains the crystal WGAN-GP in-process through the shared job runner: the run folder (printed on
// stdout) holds run.json, metrics.jsonl (losses every step, validity of a few samples every K
// steps), checkpoints/ and model/ (what generate-crystals --model reads). Ctrl-C checkpoints and
// exits 130; --resume continues from the last checkpoint.
import type { Command } from 'commander';
import { InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { runJob } from '../jobRunner';
import { crystalGanJob, CrystalGanInputError, type CrystalGanJobParams } from '../../jobs/crystalGanJob';
import { ModelFileError } from '../../ml/io';

interface TrainOptions {
  dataset?: string;
  epochs?: string;
  maxSteps?: string;
  seed?: string;
  batchSize?: string;
  maxAtoms?: string;
  evalEvery?: string;
  maxMinutes?: string;
  backend?: string;
  data?: string;
  out?: string;
  resume?: string;
}

/** Parses a whole number flag; undefined stays undefined (a resumed run keeps its stored value). */
export function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got "${value}"`);
  return Number(value);
}

export function trainParams(options: TrainOptions): Partial<CrystalGanJobParams> {
  if (!options.resume && !options.dataset) throw new UsageError('--dataset is required (nbo, perov-5, carbon-24, mp-20 or a CSV/folder path), unless --resume RUN_DIR');
  if (options.resume && options.out) throw new UsageError('give --out for a new run or --resume for an existing one, not both');
  return {
    dataset: options.dataset,
    epochs: wholeNumber('--epochs', options.epochs, 1),
    maxSteps: wholeNumber('--max-steps', options.maxSteps, 1),
    seed: wholeNumber('--seed', options.seed, 0),
    batchSize: wholeNumber('--batch-size', options.batchSize, 1),
    maxAtoms: wholeNumber('--max-atoms', options.maxAtoms, 1),
    evalEvery: wholeNumber('--eval-every', options.evalEvery, 1),
    maxSeconds: options.maxMinutes === undefined ? undefined : (wholeNumber('--max-minutes', options.maxMinutes, 1) ?? 0) * 60,
    backend: options.backend,
    dataDirectory: options.data,
  };
}

export const registerTrainCrystalGan: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('train-crystal-gan')
    .description('Train the crystal-structure WGAN-GP; prints the run folder (run.json, metrics.jsonl, checkpoints/, model/)')
    .option('--dataset <name|path>', 'nbo | perov-5 | carbon-24 | mp-20 | a CDVAE-style CSV | a folder of .cif/.vasp')
    .option('--epochs <n>', 'passes over the training set (default 100)')
    .option('--max-steps <n>', 'stop after this many generator steps in total')
    .option('--seed <s>', 'random seed (default 0)')
    .option('--batch-size <b>', 'structures per batch (default 32)')
    .option('--max-atoms <n>', 'leave out training cells with more atoms (default: keep all)')
    .option('--eval-every <k>', 'generate a few samples and log their validity every k steps (default 50)')
    .option('--max-minutes <m>', 'stop after m minutes of training in this session, with a checkpoint (resume later)')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--data <dir>', 'data directory (default: the crystalGan.dataDirectory rule)')
    .option('--out <dir>', 'run folder to create (default: a new folder under $CRYSTAL_GAN_RUNS or ./.crystal-gan/runs)')
    .option('--resume <dir>', 'continue the run in this folder from its last checkpoint')
    .action(async (options: TrainOptions) => {
      const params = trainParams(options) as CrystalGanJobParams;
      try {
        const result = await runJob({ kind: 'crystal-gan', handler: crystalGanJob, params, io, out: options.out, resume: options.resume });
        process.exitCode = result.exitCode;
      } catch (error) {
        // The run folder records the failure; the terminal gets one line, no stack trace.
        if (error instanceof CrystalGanInputError || error instanceof ModelFileError) throw new InputError(error.message);
        throw error;
      }
    });
};
