// The `crystal-gan` job: trains the crystal WGAN-GP on a structure set and leaves a resumable run
// folder (run.json, metrics.jsonl, checkpoints/, model/). Every `evalEvery` steps a few samples
// are generated and their structural and compositional validity go into metrics.jsonl beside
// the losses. The loop yields to the event loop after every step so Cancel/SIGINT is seen, and
// then writes a final checkpoint: a killed or cancelled run resumes where the last checkpoint
// left it (weights, both Adam states, the random stream and the step count).
import path from 'node:path';
import { resolveDataDir } from '../core/data/dataDir';
import { summariseSkipped } from '../core/data/csv';
import { reducedFormula } from '../core/structure/composition';
import { initBackend, isBackendPreference, type BackendPreference } from '../ml/backend';
import { augment, statefulRandom, seededRandom } from '../ml/crystalGan/augmentation';
import { loadCheckpoint, saveCheckpoint, saveGenerator, type ModelMetadata, type TrainingComposition } from '../ml/crystalGan/checkpoint';
import { loadCrystalTrainingSet, type CrystalTrainingSet } from '../ml/crystalGan/dataset';
import { isChargeBalanced, validityRates } from '../ml/crystalGan/evaluate';
import { loadSmactTables } from '../core/data/smactTables';
import type { SmactTables } from '../core/chem/smact';
import { generateCrystals } from '../ml/crystalGan/generation';
import { DEFAULT_ARCHITECTURE, type CrystalGanArchitecture } from '../ml/crystalGan/model';
import { compositionCounts, encodeCrystal, specForStructures, type RepresentationSpec } from '../ml/crystalGan/representation';
import { CrystalGanModel, DEFAULT_HYPERPARAMETERS, type CrystalGanHyperparameters, type StepLosses } from '../ml/crystalGan/trainer';
import { appendMetrics, checkpointName, latestCheckpoint, truncateMetricsAfter, updateRun, writeCheckpoint } from '../runs/store';
import type { JobContext, JobHandler, MetricsRecord } from './types';

export interface CrystalGanJobParams {
  /** nbo | perov-5 | carbon-24 | mp-20 | a CDVAE-style CSV | a folder of CIF/POSCAR files. */
  dataset: string;
  epochs?: number;
  /** Stop after this many generator steps in total (wins over epochs). */
  maxSteps?: number;
  seed?: number;
  batchSize?: number;
  /** Leave out training cells with more atoms (keeps the pair-distance critic affordable). */
  maxAtoms?: number;
  evalEvery?: number;
  evalSamples?: number;
  checkpointEvery?: number;
  /** Stop (with a checkpoint, resumable) after this many seconds of wall time in this session. */
  maxSeconds?: number;
  backend?: string;
  dataDirectory?: string;
  /** Overrides of the default architecture for a new run (experiments; a resumed run keeps its own). */
  architecture?: Partial<CrystalGanArchitecture>;
  /** Overrides of the default hyperparameters for a new run. */
  hyperparameters?: Partial<CrystalGanHyperparameters>;
}

/** Bad parameters or unusable data the user can fix (the CLI prints it without a stack trace). */
export class CrystalGanInputError extends Error {}

export const DEFAULT_JOB_SETTINGS = { epochs: 100, seed: 0, evalEvery: 50, evalSamples: 32, checkpointEvery: 100 } as const;

export interface CrystalGanJobSummary extends Record<string, unknown> {
  steps: number;
  epochs: number;
  trainingStructures: number;
  modelDir: string;
}

/** Training compositions with their multiplicity and SMACT charge balance. */
export function trainingCompositions(set: CrystalTrainingSet, spec: RepresentationSpec, tables: SmactTables): TrainingComposition[] {
  const byKey = new Map<string, TrainingComposition>();
  for (const item of set.structures) {
    const counts = compositionCounts(item.structure, spec);
    const key = counts.join(',');
    const known = byKey.get(key);
    if (known) known.structures += 1;
    else byKey.set(key, { counts, structures: 1, chargeBalanced: isChargeBalanced(item.structure, tables) });
  }
  return [...byKey.values()];
}

function describeSet(set: CrystalTrainingSet, ctx: JobContext): void {
  ctx.emit({ type: 'log', level: 'info', message: `training set ${set.name}: ${set.structures.length} structures kept, ${set.skipped.length} left out` });
  const table = set.perComposition.map((c) => `${c.formula} ${c.kept}/${c.read}`).join(', ');
  ctx.emit({ type: 'log', level: 'info', message: `per composition (kept/read): ${table}` });
}

interface TrainingState {
  model: CrystalGanModel;
  spec: RepresentationSpec;
  step: number;
  rngState: number;
  trainingSeconds: number;
}

async function startOrResume(params: CrystalGanJobParams, set: CrystalTrainingSet, ctx: JobContext): Promise<TrainingState> {
  const seed = params.seed ?? DEFAULT_JOB_SETTINGS.seed;
  const checkpoint = latestCheckpoint(ctx.runDir);
  if (checkpoint) {
    const { model, metadata } = await loadCheckpoint(checkpoint);
    truncateMetricsAfter(ctx.runDir, metadata.step);
    ctx.emit({ type: 'log', level: 'info', message: `resuming from ${path.basename(checkpoint)} (step ${metadata.step})` });
    const rngState = (metadata as ModelMetadata & { rngState?: number }).rngState ?? seed + metadata.step;
    return { model, spec: metadata.spec, step: metadata.step, rngState, trainingSeconds: metadata.trainingSeconds };
  }
  // No checkpoint yet (a first start, or killed before its first one): training starts at step 0,
  // so records of a lost attempt must not stay in front of the new ones.
  truncateMetricsAfter(ctx.runDir, 0);
  const spec = specForStructures(set.structures.map((s) => s.structure), { maxAtoms: params.maxAtoms });
  const hyper = { ...DEFAULT_HYPERPARAMETERS, ...params.hyperparameters, ...(params.batchSize ? { batchSize: params.batchSize } : {}) };
  const arch = { ...DEFAULT_ARCHITECTURE, ...params.architecture };
  return { model: new CrystalGanModel(spec, hyper, arch, seed), spec, step: 0, rngState: seed * 7919 + 1, trainingSeconds: 0 };
}

function stepRecord(step: number, epoch: number, losses: StepLosses): MetricsRecord {
  return { step, epoch, time: Date.now(), ...losses };
}

/** Validity of a few generated samples, with a random stream of their own (training is unaffected). */
function evaluationMetrics(state: TrainingState, compositions: TrainingComposition[], samples: number, tables: SmactTables): Record<string, number> {
  const generated = generateCrystals(state.model.generator, compositions, samples, seededRandom(1_000_003 + state.step));
  return validityRates(generated, tables);
}

function loadInputs(params: CrystalGanJobParams): { dataDir: string; set: CrystalTrainingSet; tables: SmactTables } {
  try {
    const dataDir = resolveDataDir({ setting: params.dataDirectory }).path;
    const set = loadCrystalTrainingSet(params.dataset, dataDir, { maxAtoms: params.maxAtoms, dedupe: true });
    return { dataDir, set, tables: loadSmactTables(dataDir) };
  } catch (error) {
    throw new CrystalGanInputError(error instanceof Error ? error.message : String(error));
  }
}

export const crystalGanJob: JobHandler<CrystalGanJobParams, CrystalGanJobSummary> = async (params, ctx) => {
  const backendName = params.backend ?? 'auto';
  if (!isBackendPreference(backendName)) throw new CrystalGanInputError(`--backend ${backendName}: expected auto, tensorflow-gpu, tensorflow, wasm or cpu`);
  const backend = await initBackend(backendName as BackendPreference);
  updateRun(ctx.runDir, { backend });
  const { set, tables } = loadInputs(params);
  updateRun(ctx.runDir, { skippedRows: summariseSkipped(set.skipped) });
  describeSet(set, ctx);

  const state = await startOrResume(params, set, ctx);
  const { model, spec } = state;
  const usable = set.structures.filter((s) => s.structure.sites.length <= spec.maxAtoms && s.structure.sites.every((site) => spec.elements.includes(site.species[0].element)));
  const compositions = trainingCompositions({ ...set, structures: usable }, spec, tables);
  const stepsPerEpoch = Math.max(1, Math.ceil(usable.length / model.hyper.batchSize));
  const totalSteps = Math.min(params.maxSteps ?? Infinity, (params.epochs ?? DEFAULT_JOB_SETTINGS.epochs) * stepsPerEpoch);
  const evalEvery = params.evalEvery ?? DEFAULT_JOB_SETTINGS.evalEvery;
  const checkpointEvery = params.checkpointEvery ?? DEFAULT_JOB_SETTINGS.checkpointEvery;
  const rng = statefulRandom(state.rngState);
  const sampleReal = () => Array.from({ length: model.hyper.batchSize }, () => encodeCrystal(augment(usable[Math.floor(rng.random() * usable.length)].structure, rng.random), spec));

  const metadata = (): Omit<ModelMetadata, 'kind'> & { rngState: number } => ({
    spec, architecture: model.arch, hyperparameters: model.hyper, compositions, dataset: set.name,
    step: state.step, epoch: state.step / stepsPerEpoch, seed: params.seed ?? DEFAULT_JOB_SETTINGS.seed,
    trainingSeconds: state.trainingSeconds, rngState: rng.state(),
  });
  const checkpoint = async () => {
    await writeCheckpoint(ctx.runDir, checkpointName(state.step), (folder) => saveCheckpoint(folder, model, metadata()));
    ctx.emit({ type: 'artifact', path: path.join(ctx.runDir, 'checkpoints', checkpointName(state.step)), kind: 'checkpoint' });
  };

  ctx.emit({ type: 'log', level: 'info', message: `${usable.length} structures, ${spec.maxAtoms} atom slots, elements ${spec.elements.join(' ')}; ${totalSteps} generator steps (${stepsPerEpoch} per epoch)` });
  let lastCheckpointStep = state.step;
  const deadline = params.maxSeconds ? Date.now() + params.maxSeconds * 1000 : Infinity;
  while (state.step < totalSteps && !ctx.signal.aborted && Date.now() < deadline) {
    const started = Date.now();
    const losses = model.trainStep(sampleReal, rng.random);
    state.step += 1;
    state.trainingSeconds += (Date.now() - started) / 1000;
    const record = stepRecord(state.step, state.step / stepsPerEpoch, losses);
    if (state.step % evalEvery === 0 || state.step === totalSteps) Object.assign(record, evaluationMetrics(state, compositions, params.evalSamples ?? DEFAULT_JOB_SETTINGS.evalSamples, tables));
    appendMetrics(ctx.runDir, record);
    ctx.emit({ type: 'metrics', record });
    ctx.emit({ type: 'progress', fraction: state.step / totalSteps, message: `step ${state.step}/${totalSteps}` });
    if (state.step - lastCheckpointStep >= checkpointEvery) {
      await checkpoint();
      lastCheckpointStep = state.step;
    }
    // Let signal handlers and IPC run between steps (training itself is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (state.step !== lastCheckpointStep || !latestCheckpoint(ctx.runDir)) await checkpoint();
  const modelDir = path.join(ctx.runDir, 'model');
  saveGenerator(modelDir, model.generator, metadata());
  ctx.emit({ type: 'artifact', path: modelDir, kind: 'model' });
  const formulas = new Set(usable.map((s) => reducedFormula(s.structure)));
  const summary: CrystalGanJobSummary = {
    steps: state.step,
    epochs: Number((state.step / stepsPerEpoch).toFixed(2)),
    trainingStructures: usable.length,
    trainingFormulas: formulas.size,
    trainingSeconds: Math.round(state.trainingSeconds),
    modelDir,
  };
  model.dispose();
  return summary;
};
