// The composition-GAN training job (method-composition-gan.md §4): loads the formula list,
// trains the WGAN-GP, appends metrics, checkpoints the full training state (both networks, both
// Adam states, the RNG and the data order) every N steps and when aborted, exports the critic's
// element embeddings and the generator, and resumes from the latest checkpoint on the exact
// trajectory an uninterrupted run would have followed. Runs under the CLI (src/cli/jobRunner.ts)
// and in the editor's job process (src/jobs/worker.ts) alike.
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../core/data/dataDir';
import { summariseSkipped } from '../core/data/csv';
import { initBackend, isBackendPreference, tf, type BackendPreference } from '../ml/backend';
import { exportEmbeddings } from '../ml/compositionGan/model';
import { BatchStream, filterFormulaCounts, loadFormulaCounts, matricesFor, splitIndices, type FormulaCounts, type StreamPosition } from '../ml/compositionGan/data';
import { GENERATOR_DIR } from '../ml/compositionGan/sample';
import { CompositionWgan, PAPER_SETTINGS, saveGenerator, type WganSettings } from '../ml/compositionGan/wgan';
import {
  CRITIC_PRESETS, DEFAULT_CRITIC_PRESET, DEFAULT_GENERATOR_PRESET, DEFAULT_LEARNING_RATE, GENERATOR_PRESET_NAMES, GENERATOR_PRESETS, isCriticPresetName, isGeneratorPresetName, isTrainingFilterName, resolveGeneratorPreset,
  type CriticPreset, type CriticPresetName, type GeneratorPresetName, type ResolvedGeneratorPreset, type TrainingFilterName,
} from '../ml/compositionGan/presets';
import { matganChemicalValidity } from '../core/chem/smact';
import { loadSmactTables } from '../core/data/smactTables';
import { MODEL_FILE } from '../ml/io';
import { appendMetrics, checkpointName, latestCheckpoint, truncateMetricsAfter, updateRun, writeCheckpoint, writeFileAtomic } from '../runs/store';
import type { JobContext, JobHandler, MetricsRecord } from './types';

export interface CompositionGanJobParams {
  epochs?: number;
  /** CSV with a `formula` column; default <data>/composition/gan_train_oqmd/oqmd_formulas.csv. */
  dataFile?: string;
  batchSize?: number;
  seed?: number;
  backend?: BackendPreference;
  /** Stop after this many generator steps (whatever the epochs). */
  maxSteps?: number;
  /** Generator steps between checkpoints (default 200). */
  checkpointEvery?: number;
  /** Generator steps between metrics records (default 10). */
  logEvery?: number;
  /** Generator steps between held-out evaluations (default 100; also at the end). */
  evalEvery?: number;
  /** Held-out formulas used per evaluation (default 2048). */
  heldOutMax?: number;
  /**
   * Generator start and output (src/ml/compositionGan/presets.ts): `tuned` (default for new runs,
   * DEFAULT_GENERATOR_PRESET), `paper`, `crisp` or `crisp-gumbel`. A resumed run keeps the preset its checkpoints record; checkpoints written before
   * presets existed are `paper`.
   */
  generatorPreset?: GeneratorPresetName;
  /**
   * Critic (presets.ts, CRITIC_PRESETS): `paper` (default for new runs) or `cells`. A resumed run keeps the one
   * its checkpoints record; checkpoints written before critic presets existed are `paper`.
   */
  criticPreset?: CriticPresetName;
  /** Adam learning rate of the critic (the generator's is this × the generator preset's factor); default 1e-4 (the paper's); a resumed run keeps its own. */
  learningRate?: number;
  /** `cn-eb` trains only on rows that pass MatGAN's CN + EB check; default `none`. */
  trainingFilter?: TrainingFilterName;
}

export const DEFAULT_DATA_FILE = path.join('composition', 'gan_train_oqmd', 'oqmd_formulas.csv');
export const EMBEDDINGS_FILE = 'embeddings.json';
const DEFAULTS = { epochs: 300, seed: 1, checkpointEvery: 200, logEvery: 10, evalEvery: 100, heldOutMax: 2048 };

/** A bad parameter or data file: the message says which and why (the CLI prints it without a stack). */
export class CompositionGanJobInputError extends Error {}

function positiveInteger(params: Record<string, unknown>, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new CompositionGanJobInputError(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks plain-JSON parameters (they come from the editor's host or the CLI). */
export function validateCompositionGanParams(raw: unknown): CompositionGanJobParams {
  if (typeof raw !== 'object' || raw === null) throw new CompositionGanJobInputError('parameters must be an object');
  const p = raw as Record<string, unknown>;
  const backend = p.backend;
  if (backend !== undefined && (typeof backend !== 'string' || !isBackendPreference(backend))) {
    throw new CompositionGanJobInputError(`backend must be one of auto, tensorflow-gpu, tensorflow, wasm, cpu; got ${JSON.stringify(backend)}`);
  }
  if (p.dataFile !== undefined && typeof p.dataFile !== 'string') throw new CompositionGanJobInputError('dataFile must be a path');
  const preset = p.generatorPreset;
  if (preset !== undefined && (typeof preset !== 'string' || !isGeneratorPresetName(preset))) {
    throw new CompositionGanJobInputError(`generatorPreset must be one of ${GENERATOR_PRESET_NAMES.join(', ')}; got ${JSON.stringify(preset)}`);
  }
  const criticPreset = p.criticPreset;
  if (criticPreset !== undefined && (typeof criticPreset !== 'string' || !isCriticPresetName(criticPreset))) {
    throw new CompositionGanJobInputError(`criticPreset must be paper or cells, got ${JSON.stringify(criticPreset)}`);
  }
  const filter = p.trainingFilter;
  if (filter !== undefined && (typeof filter !== 'string' || !isTrainingFilterName(filter))) {
    throw new CompositionGanJobInputError(`trainingFilter must be none or cn-eb, got ${JSON.stringify(filter)}`);
  }
  const learningRate = p.learningRate;
  if (learningRate !== undefined && (typeof learningRate !== 'number' || !(learningRate > 0 && learningRate <= 1))) {
    throw new CompositionGanJobInputError(`learningRate must be a number in (0, 1], got ${JSON.stringify(learningRate)}`);
  }
  const seed = p.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)) throw new CompositionGanJobInputError(`seed must be a non-negative integer, got ${JSON.stringify(seed)}`);
  return {
    epochs: positiveInteger(p, 'epochs'),
    dataFile: p.dataFile as string | undefined,
    batchSize: positiveInteger(p, 'batchSize'),
    seed: seed as number | undefined,
    backend: backend as BackendPreference | undefined,
    maxSteps: positiveInteger(p, 'maxSteps'),
    checkpointEvery: positiveInteger(p, 'checkpointEvery'),
    logEvery: positiveInteger(p, 'logEvery'),
    evalEvery: positiveInteger(p, 'evalEvery'),
    heldOutMax: positiveInteger(p, 'heldOutMax'),
    generatorPreset: preset as GeneratorPresetName | undefined,
    criticPreset: criticPreset as CriticPresetName | undefined,
    learningRate: learningRate as number | undefined,
    trainingFilter: filter as TrainingFilterName | undefined,
  };
}

/** Loss sums since the last metrics record (checkpointed, so a resumed run logs the same means). */
interface Accumulators {
  critic: number;
  penalty: number;
  wasserstein: number;
  criticSteps: number;
  generator: number;
  generatorSteps: number;
}

const emptyAccumulators = (): Accumulators => ({ critic: 0, penalty: 0, wasserstein: 0, criticSteps: 0, generator: 0, generatorSteps: 0 });

interface CheckpointMeta {
  step: number;
  epoch: number;
  cursor: number;
  dataRows: number;
  accumulators: Accumulators;
  /** Absent in checkpoints written before presets existed (those runs used the paper's start). */
  generatorPreset?: ResolvedGeneratorPreset;
  /** Absent in checkpoints written before critic presets existed (those runs used the paper's critic). */
  criticPreset?: CriticPreset;
  /** Written by CompositionWgan.save beside the job's metadata. */
  settings?: WganSettings;
}

function resolveDataFile(params: CompositionGanJobParams): string {
  if (params.dataFile) return path.resolve(params.dataFile);
  return path.join(resolveDataDir().path, DEFAULT_DATA_FILE);
}

/**
 * Replaces a folder's content: write beside it, swap, delete the old one. A process killed
 * between the two renames leaves `<target>.old-<pid>`; the next call puts it back first and
 * clears leftovers of dead processes, so the folder is never lost for good.
 */
function replaceFolder(target: string, write: (folder: string) => void): void {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const leftovers = fs.readdirSync(parent).filter((name) => name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.old-`));
  if (!fs.existsSync(target)) {
    const previous = leftovers.find((name) => name.startsWith(`${base}.old-`));
    if (previous) fs.renameSync(path.join(parent, previous), target);
  }
  for (const name of leftovers) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  const fresh = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  write(fresh);
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(fresh, target);
  fs.rmSync(old, { recursive: true, force: true });
}

export const trainCompositionGanJob: JobHandler<CompositionGanJobParams> = async (rawParams, ctx) => {
  const params = validateCompositionGanParams(rawParams);
  const backend = await initBackend(params.backend ?? 'auto');
  updateRun(ctx.runDir, { backend });
  ctx.emit({ type: 'log', level: 'info', message: `backend: ${backend.name} (${backend.notes.join('; ')})` });

  const dataFile = resolveDataFile(params);
  if (!fs.existsSync(dataFile)) throw new CompositionGanJobInputError(`training data ${dataFile} does not exist (give --data FILE with a formula column)`);
  const data = applyTrainingFilter(loadFormulaCounts(dataFile), params.trainingFilter ?? 'none', dataFile, ctx);
  if (data.skipped.length) {
    updateRun(ctx.runDir, { skippedRows: summariseSkipped(data.skipped) });
    ctx.emit({ type: 'log', level: 'warn', message: `skipped ${data.skipped.length} of ${data.n + data.skipped.length} rows of ${dataFile} (first: line ${data.skipped[0].line}: ${data.skipped[0].value}); see run.json skippedRows` });
  }
  const seed = params.seed ?? DEFAULTS.seed;
  const split = splitIndices(data.n, seed);
  if (split.train.length === 0) throw new CompositionGanJobInputError(`${dataFile}: ${data.n} usable formula(s) is too few to train on`);
  const settings: WganSettings = { ...PAPER_SETTINGS, batchSize: params.batchSize ?? PAPER_SETTINGS.batchSize, learningRate: chooseLearningRate(params, ctx.runDir) };
  const preset = choosePreset(params, ctx.runDir, data, split.train, settings.learningRate);
  const criticPreset = chooseCriticPreset(params, ctx.runDir);
  // Recorded in run.json's config (names and the resolved values), so a run says how it started.
  updateRun(ctx.runDir, (info) => ({ ...info, config: { ...info.config, generatorPreset: preset.name, generatorStart: preset, criticPreset: criticPreset.name, learningRate: settings.learningRate } }));
  ctx.emit({ type: 'log', level: 'info', message: `generator preset ${preset.name}: output bias ${preset.outputBiasLogit.toFixed(3)} (data mean cell ${preset.dataMeanCellOccupancy.toFixed(5)}), generator lr ${preset.generatorLearningRate}; critic preset ${criticPreset.name}, critic lr ${settings.learningRate}` });
  const wgan = new CompositionWgan(settings, seed, { generatorInit: { outputBiasLogit: preset.outputBiasLogit, output: preset.output ?? 'sigmoid' }, generatorLearningRate: preset.generatorLearningRate, critic: { cellPath: criticPreset.cellPath } });
  try {
    return await train(wgan, { params, ctx, data, split, dataFile, seed, backendName: backend.name, preset, criticPreset });
  } finally {
    wgan.dispose();
  }
};

/**
 * The preset of a new run comes from the parameters (default `tuned`); a resumed run keeps the one
 * its latest checkpoint records, and a checkpoint without one predates presets, i.e. `paper`.
 */
function choosePreset(params: CompositionGanJobParams, runDir: string, data: ReturnType<typeof loadFormulaCounts>, trainRows: Int32Array, learningRate: number): ResolvedGeneratorPreset {
  const resumeFrom = latestCheckpoint(runDir);
  if (resumeFrom) {
    const recorded = readCheckpointPreset(resumeFrom);
    if (recorded) return recorded;
    return resolveGeneratorPreset(GENERATOR_PRESETS.paper, data, trainRows, learningRate);
  }
  return resolveGeneratorPreset(GENERATOR_PRESETS[params.generatorPreset ?? DEFAULT_GENERATOR_PRESET], data, trainRows, learningRate);
}

/** Like choosePreset: a resumed run keeps its checkpoint's critic; one without a record is `paper`. */
function chooseCriticPreset(params: CompositionGanJobParams, runDir: string): CriticPreset {
  const resumeFrom = latestCheckpoint(runDir);
  if (resumeFrom) return readCheckpointMeta(resumeFrom)?.criticPreset ?? CRITIC_PRESETS.paper;
  return CRITIC_PRESETS[params.criticPreset ?? DEFAULT_CRITIC_PRESET];
}

/**
 * A resumed run keeps the learning rate its checkpoint trained with (runs from before the option
 * existed trained at the paper's 1e-4), so a changed default never alters a run halfway.
 */
function chooseLearningRate(params: CompositionGanJobParams, runDir: string): number {
  const resumeFrom = latestCheckpoint(runDir);
  if (resumeFrom) return readCheckpointMeta(resumeFrom)?.settings?.learningRate ?? PAPER_SETTINGS.learningRate;
  return params.learningRate ?? DEFAULT_LEARNING_RATE;
}

function readCheckpointPreset(checkpointDir: string): ResolvedGeneratorPreset | undefined {
  return readCheckpointMeta(checkpointDir)?.generatorPreset;
}

function readCheckpointMeta(checkpointDir: string): Partial<CheckpointMeta> | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(checkpointDir, MODEL_FILE), 'utf8')) as { userDefinedMetadata?: Partial<CheckpointMeta> };
    return manifest.userDefinedMetadata;
  } catch {
    return undefined;
  }
}

/**
 * Applies the training-list filter and records in run.json how many rows it kept and dropped. The
 * check is the one generate-compositions scores samples with (MatGAN CN + EB on the counts as written).
 */
function applyTrainingFilter(data: FormulaCounts, filter: TrainingFilterName, dataFile: string, ctx: JobContext): FormulaCounts {
  if (filter === 'none') return data;
  const tables = loadSmactTables(resolveDataDir().path);
  const filtered = filterFormulaCounts(data, (composition) => matganChemicalValidity(composition, tables).valid);
  const record = { name: filter, keptRows: filtered.data.n, droppedRows: filtered.dropped, of: data.n };
  // In config (run.json's free-form part): the run folder contract has no field of its own for it.
  updateRun(ctx.runDir, (info) => ({ ...info, config: { ...info.config, trainingFilterResult: record } }));
  ctx.emit({ type: 'log', level: 'info', message: `training filter ${filter}: kept ${record.keptRows} of ${data.n} formulas of ${dataFile} (dropped ${record.droppedRows})` });
  if (filtered.data.n === 0) throw new CompositionGanJobInputError(`${dataFile}: no formula passes the ${filter} filter (${data.n} rows checked)`);
  return filtered.data;
}

interface TrainInputs {
  params: CompositionGanJobParams;
  ctx: JobContext;
  data: ReturnType<typeof loadFormulaCounts>;
  split: ReturnType<typeof splitIndices>;
  dataFile: string;
  seed: number;
  backendName: string;
  preset: ResolvedGeneratorPreset;
  criticPreset: CriticPreset;
}

async function train(wgan: CompositionWgan, inputs: TrainInputs): Promise<Record<string, unknown>> {
  const { params, ctx, data, split, seed } = inputs;
  const settings = wgan.settings;
  const checkpointEvery = params.checkpointEvery ?? DEFAULTS.checkpointEvery;
  const logEvery = params.logEvery ?? DEFAULTS.logEvery;
  const evalEvery = params.evalEvery ?? DEFAULTS.evalEvery;
  const heldOutRows = split.heldOut.slice(0, params.heldOutMax ?? DEFAULTS.heldOutMax);
  const heldOutBatches: Float32Array[] = [];
  for (let i = 0; i < heldOutRows.length; i += settings.batchSize) heldOutBatches.push(matricesFor(data, heldOutRows.subarray(i, i + settings.batchSize)));

  let step = 0;
  let accumulators = emptyAccumulators();
  let position: StreamPosition | undefined;
  const resumeFrom = latestCheckpoint(ctx.runDir);
  if (resumeFrom) {
    const restored = await wgan.restore(resumeFrom);
    const meta = restored.metadata as unknown as CheckpointMeta;
    if (meta.dataRows !== data.n) {
      tf.dispose([...restored.tensors.values()]);
      throw new CompositionGanJobInputError(`cannot resume: the checkpoint ${resumeFrom} was trained on ${meta.dataRows} formulas, ${inputs.dataFile} now has ${data.n}`);
    }
    const order = restored.tensors.get('stream/order');
    position = { epoch: meta.epoch, cursor: meta.cursor, order: Int32Array.from(order ? order.dataSync() : []) };
    tf.dispose([...restored.tensors.values()]);
    step = meta.step;
    accumulators = meta.accumulators;
    ctx.emit({ type: 'log', level: 'info', message: `resumed from ${resumeFrom} (step ${step}, epoch ${meta.epoch})` });
  }
  // Records after the step training goes on from belong to a lost attempt; without a checkpoint
  // (killed before its first one) that is step 0, else they would stay as duplicate steps.
  truncateMetricsAfter(ctx.runDir, step);
  const stream = new BatchStream(data, split.train, settings.batchSize, wgan.rng, position);
  const epochs = params.epochs ?? DEFAULTS.epochs;
  const stepsForEpochs = Math.ceil((epochs * stream.batchesPerEpoch) / settings.nCritic);
  const totalSteps = Math.min(params.maxSteps ?? Infinity, stepsForEpochs);
  ctx.emit({
    type: 'log',
    level: 'info',
    message: `training on ${split.train.length} formulas (held out ${split.heldOut.length}, ${heldOutRows.length} per evaluation), batch ${stream.batchSize}, ${stream.batchesPerEpoch} batches per epoch, ${totalSteps} generator steps`,
  });

  let lastHeldOut: { heldOutCriticLoss: number; heldOutWasserstein: number } | undefined;
  let lastCheckpointStep = resumeFrom ? step : -1;
  let intervalStart = { time: Date.now(), step };
  let stepsPerSecond = 0;

  const checkpoint = async () => {
    await writeCheckpoint(ctx.runDir, checkpointName(step), async (folder) => {
      const meta: CheckpointMeta = { step, epoch: stream.position.epoch, cursor: stream.position.cursor, dataRows: data.n, accumulators, generatorPreset: inputs.preset, criticPreset: inputs.criticPreset };
      const order = tf.tensor1d(stream.position.order, 'int32');
      try {
        await wgan.save(folder, meta as unknown as Record<string, unknown>, [{ name: 'stream/order', tensor: order }]);
      } finally {
        order.dispose();
      }
    });
    lastCheckpointStep = step;
    exportArtifacts(wgan, ctx, step);
    ctx.emit({ type: 'artifact', path: path.join(ctx.runDir, 'checkpoints', checkpointName(step)), kind: 'checkpoint' });
  };

  while (step < totalSteps && !ctx.signal.aborted) {
    for (let k = 0; k < settings.nCritic; k++) {
      const result = wgan.criticStep(stream.next(wgan.rng));
      accumulators.critic += result.criticLoss;
      accumulators.penalty += result.gradientPenalty;
      accumulators.wasserstein += result.wassersteinEstimate;
      accumulators.criticSteps++;
    }
    accumulators.generator += wgan.generatorStep(stream.batchSize);
    accumulators.generatorSteps++;
    step++;

    const last = step === totalSteps;
    if (step % logEvery === 0 || last) {
      const now = Date.now();
      stepsPerSecond = ((step - intervalStart.step) * 1000) / Math.max(1, now - intervalStart.time);
      intervalStart = { time: now, step };
      if (step % evalEvery === 0 || last) lastHeldOut = heldOutBatches.length ? wgan.evaluate(heldOutBatches, seed + 1) : undefined;
      const record: MetricsRecord = {
        step,
        epoch: stream.position.epoch,
        time: now,
        criticLoss: accumulators.critic / accumulators.criticSteps,
        generatorLoss: accumulators.generator / accumulators.generatorSteps,
        gradientPenalty: accumulators.penalty / accumulators.criticSteps,
        wassersteinEstimate: accumulators.wasserstein / accumulators.criticSteps,
        ...(lastHeldOut && (step % evalEvery === 0 || last) ? lastHeldOut : {}),
        stepsPerSecond,
      };
      accumulators = emptyAccumulators();
      appendMetrics(ctx.runDir, record);
      ctx.emit({ type: 'metrics', record });
    }
    ctx.emit({ type: 'progress', fraction: step / totalSteps, message: `step ${step}/${totalSteps}, epoch ${stream.position.epoch + 1}` });
    if (step % checkpointEvery === 0 && !last) await checkpoint();
    // Let signal handlers and IPC run between steps (the step itself is synchronous).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (lastCheckpointStep !== step) await checkpoint();
  else exportArtifacts(wgan, ctx, step);

  const summary: Record<string, unknown> = {
    steps: step,
    epochs: stream.position.epoch,
    trainFormulas: split.train.length,
    heldOutFormulas: split.heldOut.length,
    skippedRows: data.skipped.length,
    stepsPerSecond,
    backend: inputs.backendName,
    dataFile: inputs.dataFile,
    generatorPreset: inputs.preset.name,
    criticPreset: inputs.criticPreset.name,
  };
  if (lastHeldOut) Object.assign(summary, lastHeldOut);
  return summary;
}

/** Writes embeddings.json and generator/ for featurizers and generation (after each checkpoint). */
function exportArtifacts(wgan: CompositionWgan, ctx: JobContext, step: number): void {
  const runId = path.basename(ctx.runDir);
  writeFileAtomic(path.join(ctx.runDir, EMBEDDINGS_FILE), JSON.stringify(exportEmbeddings(wgan.critic, { runId, step })) + '\n');
  replaceFolder(path.join(ctx.runDir, GENERATOR_DIR), (folder) => saveGenerator(wgan.generator, folder, { runId, step }));
}
