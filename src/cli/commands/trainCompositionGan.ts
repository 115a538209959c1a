// `crystal-gan train-composition-gan [--epochs N] [--data FILE] [--out RUN_DIR | --resume RUN_DIR]
//   [--backend NAME] [--max-steps N] [--batch-size N] [--seed S] [--checkpoint-every N]
//   [--log-every N] [--eval-every N] [--generator-preset tuned|paper|crisp|crisp-gumbel] [--critic-preset paper|cells]
//   [--learning-rate X] [--filter none|cn-eb]`
// Trains the composition WGAN-GP (Hu et al. 2020) in-process through the shared job runner. The
// run folder (printed on stdout) holds run.json, metrics.jsonl, checkpoints/, embeddings.json
// (for the gan featurizers) and generator/ (for generation). Ctrl-C checkpoints and exits 130;
// --resume continues on the same trajectory.
import type { Command } from 'commander';
import { InputError, UsageError, type CliIO, type CommandRegistration } from '../command';
import { runJob } from '../jobRunner';
import { CompositionGanJobInputError, trainCompositionGanJob, type CompositionGanJobParams } from '../../jobs/compositionGanJob';
import { DataDirectoryNotFoundError } from '../../core/data/dataDir';
import { isBackendPreference } from '../../ml/backend';
import { GENERATOR_PRESET_NAMES, isCriticPresetName, isGeneratorPresetName, isTrainingFilterName, type CriticPresetName, type GeneratorPresetName, type TrainingFilterName } from '../../ml/compositionGan/presets';
import { TrainingDataError } from '../../ml/compositionGan/data';
import { ModelFileError } from '../../ml/io';
import { SmactTableError } from '../../core/data/smactTables';

interface TrainOptions {
  epochs?: string;
  data?: string;
  out?: string;
  resume?: string;
  backend?: string;
  maxSteps?: string;
  batchSize?: string;
  seed?: string;
  checkpointEvery?: string;
  logEvery?: string;
  evalEvery?: string;
  generatorPreset?: string;
  criticPreset?: string;
  learningRate?: string;
  filter?: string;
}

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} must be a whole number ≥ ${min}, got "${value}"`);
  return Number(value);
}

function learningRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (value.trim() === '' || !(rate > 0 && rate <= 1)) throw new UsageError(`--learning-rate must be a number in (0, 1], got "${value}"`);
  return rate;
}

export function compositionGanParams(options: TrainOptions): CompositionGanJobParams {
  if (options.resume && options.out) throw new UsageError('give --out for a new run or --resume for an existing one, not both');
  if (options.backend !== undefined && !isBackendPreference(options.backend)) {
    throw new UsageError(`--backend must be auto, tensorflow-gpu, tensorflow, wasm or cpu, got "${options.backend}"`);
  }
  if (options.generatorPreset !== undefined && !isGeneratorPresetName(options.generatorPreset)) {
    throw new UsageError(`--generator-preset must be one of ${GENERATOR_PRESET_NAMES.join(', ')}; got "${options.generatorPreset}"`);
  }
  if (options.criticPreset !== undefined && !isCriticPresetName(options.criticPreset)) {
    throw new UsageError(`--critic-preset must be paper or cells, got "${options.criticPreset}"`);
  }
  if (options.filter !== undefined && !isTrainingFilterName(options.filter)) {
    throw new UsageError(`--filter must be none or cn-eb, got "${options.filter}"`);
  }
  return {
    criticPreset: options.criticPreset as CriticPresetName | undefined,
    trainingFilter: options.filter as TrainingFilterName | undefined,
    learningRate: learningRate(options.learningRate),
    generatorPreset: options.generatorPreset as GeneratorPresetName | undefined,
    epochs: wholeNumber('--epochs', options.epochs, 1),
    dataFile: options.data,
    batchSize: wholeNumber('--batch-size', options.batchSize, 1),
    seed: wholeNumber('--seed', options.seed, 0),
    backend: options.backend as CompositionGanJobParams['backend'],
    maxSteps: wholeNumber('--max-steps', options.maxSteps, 1),
    checkpointEvery: wholeNumber('--checkpoint-every', options.checkpointEvery, 1),
    logEvery: wholeNumber('--log-every', options.logEvery, 1),
    evalEvery: wholeNumber('--eval-every', options.evalEvery, 1),
  };
}

export const registerTrainCompositionGan: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('train-composition-gan')
    .description('Train the composition WGAN-GP (Hu et al. 2020); prints the run folder (run.json, metrics.jsonl, checkpoints/, embeddings.json, generator/)')
    .option('--epochs <n>', 'passes of the critic over the training formulas (default 300, as the paper)')
    .option('--data <file>', 'CSV with a formula column (default <data>/composition/gan_train_oqmd/oqmd_formulas.csv)')
    .option('--out <dir>', 'run folder to create (default: a new folder under $CRYSTAL_GAN_RUNS or ./.crystal-gan/runs)')
    .option('--resume <dir>', 'continue the run in this folder from its last checkpoint')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (default auto)')
    .option('--max-steps <n>', 'stop after this many generator steps in total')
    .option('--batch-size <n>', 'formulas per batch (default 256)')
    .option('--seed <s>', 'seed of the split, initialisation, noise and shuffling (default 1)')
    .option('--checkpoint-every <n>', 'generator steps between checkpoints (default 200)')
    .option('--log-every <n>', 'generator steps between metrics records (default 10)')
    .option('--eval-every <n>', 'generator steps between held-out evaluations (default 100)')
    .option('--generator-preset <name>', 'tuned (default: sigmoid cells, output bias from the data\'s cell occupancy) | paper (zero bias, as the reference code) | crisp (one-hot cells per element: argmax of absent + 8 slots) | crisp-gumbel (a Gumbel sample of it); a resumed run keeps its own')
    .option('--critic-preset <name>', 'paper (default: the DeepSets critic of the reference code) | cells (plus a dense path from the 680 cells; best for generation with --learning-rate 5e-4); a resumed run keeps its own')
    .option('--learning-rate <x>', 'Adam learning rate of the critic and (× the preset factor) the generator (default 1e-4, as the paper); a resumed run keeps its own')
    .option('--filter <name>', 'none (default) | cn-eb: train only on formulas that pass MatGAN\'s charge-neutral + electronegativity-balanced check; run.json records kept/dropped rows')
    .action(async (options: TrainOptions) => {
      const params = compositionGanParams(options);
      try {
        const result = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params, io, out: options.out, resume: options.resume });
        process.exitCode = result.exitCode;
      } catch (error) {
        // The run folder records the failure; the terminal gets one line, no stack trace.
        if (error instanceof CompositionGanJobInputError || error instanceof TrainingDataError || error instanceof ModelFileError || error instanceof DataDirectoryNotFoundError || error instanceof SmactTableError) {
          throw new InputError(error.message);
        }
        throw error;
      }
    });
};
