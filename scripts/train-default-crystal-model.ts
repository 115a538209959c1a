// Trains the default Nb–O crystal GAN that `crystal-gan generate-crystals` uses without --model,
// and copies its generator (model.json + weights.bin, well under 5 MB) to models/crystal-gan-nbo/.
//
//   npx tsx scripts/train-default-crystal-model.ts [--run DIR] [--steps N] [--minutes M]
//       [--max-atoms 12] [--seed 0] [--out models/crystal-gan-nbo] [--variant default] [--no-copy]
//
// --variant picks one step of the ablation in docs/results/crystal-gan.md for a new run (a
// resumed run keeps its own settings): legacy (the first shipped model's settings), gp10 (the
// gradient penalty weighs the cell 10×), gp10-log (+ volume per atom set in log space), default
// (+ the critic's minibatch-spread feature), comp10 (default with the composition term weighted
// 10 instead of 1). --no-copy trains without touching models/.
//
// The run folder (default .crystal-gan/runs/default-crystal-nbo-2) is an ordinary train-crystal-gan
// run: if it already exists the training resumes from its last checkpoint, so the time budget
// can be spent in several sittings (`--minutes` bounds each sitting; the 2 shared cores of the
// build machine make long sittings unkind to others). The model is copied after every sitting.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runJob } from '../src/cli/jobRunner';
import { crystalGanJob, type CrystalGanJobParams } from '../src/jobs/crystalGanJob';
import { LEGACY_ARCHITECTURE, type CrystalGanArchitecture } from '../src/ml/crystalGan/model';
import type { CrystalGanHyperparameters } from '../src/ml/crystalGan/trainer';
import { MODEL_FILE, WEIGHTS_FILE } from '../src/ml/io';
import { RUN_FILE } from '../src/runs/store';

const { values: args } = parseArgs({
  options: {
    // A new folder for the second model: resuming the first one's run would keep its old settings.
    run: { type: 'string', default: path.join('.crystal-gan', 'runs', 'default-crystal-nbo-2') },
    steps: { type: 'string', default: '400' },
    minutes: { type: 'string', default: '20' },
    'max-atoms': { type: 'string', default: '12' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: path.join('models', 'crystal-gan-nbo') },
    variant: { type: 'string', default: 'default' },
    'no-copy': { type: 'boolean', default: false },
  },
});

/** The ablation steps (architecture and hyperparameter overrides of a new run). */
const VARIANTS: Record<string, { architecture?: Partial<CrystalGanArchitecture>; hyperparameters?: Partial<CrystalGanHyperparameters> }> = {
  legacy: { architecture: LEGACY_ARCHITECTURE, hyperparameters: { latticeGradientScale: 1 } },
  gp10: { architecture: LEGACY_ARCHITECTURE },
  'gp10-log': { architecture: { ...LEGACY_ARCHITECTURE, volumeHead: 'log' } },
  default: {},
  comp10: { hyperparameters: { compositionWeight: 10 } },
};

const io = { out: (line: string) => process.stdout.write(line + '\n'), err: (line: string) => process.stderr.write(line + '\n') };

async function main(): Promise<void> {
  const variant = VARIANTS[args.variant];
  if (!variant) throw new Error(`--variant ${args.variant}: expected one of ${Object.keys(VARIANTS).join(', ')}`);
  const runDir = path.resolve(args.run);
  const resume = fs.existsSync(path.join(runDir, RUN_FILE));
  const params: CrystalGanJobParams = {
    dataset: 'nbo',
    // Epochs are not the limit here: the step count and the time budget are.
    epochs: 1_000_000,
    maxSteps: Number(args.steps),
    maxAtoms: Number(args['max-atoms']),
    seed: Number(args.seed),
    evalEvery: 50,
    evalSamples: 64,
    checkpointEvery: 50,
    maxSeconds: Number(args.minutes) * 60,
    ...variant,
  };
  const result = await runJob({ kind: 'crystal-gan', handler: crystalGanJob, params, io, ...(resume ? { resume: runDir } : { out: runDir }), progressIntervalMs: 30_000, metricsEvery: 25 });
  if (args['no-copy']) {
    io.err(`run summary: ${JSON.stringify(result.info.summary)}`);
    process.exitCode = result.exitCode;
    return;
  }
  const out = path.resolve(args.out);
  fs.mkdirSync(out, { recursive: true });
  for (const file of [MODEL_FILE, WEIGHTS_FILE]) fs.copyFileSync(path.join(result.runDir, 'model', file), path.join(out, file));
  const size = [MODEL_FILE, WEIGHTS_FILE].reduce((sum, f) => sum + fs.statSync(path.join(out, f)).size, 0);
  io.err(`copied the generator to ${out} (${(size / 1e6).toFixed(2)} MB); run summary: ${JSON.stringify(result.info.summary)}`);
  process.exitCode = result.exitCode;
}

main().catch((error) => {
  process.stderr.write(`train-default-crystal-model: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
