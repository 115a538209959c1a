// Model and checkpoint files of the crystal GAN (through src/ml/io.ts: model.json + weights.bin).
// A checkpoint holds both networks and both Adam states, so a resumed run continues the same
// trajectory; an exported model holds the generator only plus what generation needs: the
// representation spec and the training compositions it samples conditions from.
import { adamState, assignVariables, loadTensors, ModelFileError, restoreAdamState, saveTensors } from '../io';
import { tf } from '../backend';
import { CrystalGenerator, DEFAULT_ARCHITECTURE, type CrystalGanArchitecture } from './model';
import type { RepresentationSpec } from './representation';
import { CrystalGanModel, DEFAULT_HYPERPARAMETERS, type CrystalGanHyperparameters } from './trainer';

export const MODEL_KIND = 'crystal-gan-generator/1';
export const CHECKPOINT_KIND = 'crystal-gan-checkpoint/1';

/** A composition the generator was trained on, with how many training structures have it. */
export interface TrainingComposition {
  /** Per-element counts in spec.elements order. */
  counts: number[];
  structures: number;
  /** SMACT charge balance (CDVAE rules); generation samples only these unless asked otherwise. */
  chargeBalanced: boolean;
}

export interface ModelMetadata {
  kind: string;
  spec: RepresentationSpec;
  architecture: CrystalGanArchitecture;
  hyperparameters: CrystalGanHyperparameters;
  compositions: TrainingComposition[];
  dataset: string;
  step: number;
  epoch: number;
  seed: number;
  /** Seconds of training wall time up to this step. */
  trainingSeconds: number;
}

function generatorVariables(generator: CrystalGenerator): Map<string, tf.Variable> {
  const map = new Map<string, tf.Variable>();
  for (const [key, layer] of Object.entries(generator.layers)) {
    map.set(`generator/${key}/kernel`, layer.kernel);
    map.set(`generator/${key}/bias`, layer.bias);
  }
  return map;
}

/** Writes both networks and both optimizers (a resumable checkpoint). */
export async function saveCheckpoint(dir: string, model: CrystalGanModel, metadata: Omit<ModelMetadata, 'kind'>): Promise<void> {
  const tensors = [
    ...model.namedWeights().map(({ name, variable }) => ({ name, tensor: variable as tf.Tensor })),
    ...(await adamState(model.generatorOptimizer, 'optimizer/generator')),
    ...(await adamState(model.criticOptimizer, 'optimizer/critic')),
  ];
  saveTensors(dir, tensors, { ...metadata, kind: CHECKPOINT_KIND });
}

/** Rebuilds a model from a checkpoint folder, weights and optimizer state included. */
export async function loadCheckpoint(dir: string): Promise<{ model: CrystalGanModel; metadata: ModelMetadata }> {
  const { tensors, metadata } = loadTensors(dir);
  try {
    const meta = metadata as unknown as ModelMetadata;
    if (meta.kind !== CHECKPOINT_KIND) throw new ModelFileError(`${dir}: not a crystal-GAN checkpoint (kind ${String(meta.kind)})`);
    const model = new CrystalGanModel(meta.spec, meta.hyperparameters, meta.architecture, meta.seed);
    assignVariables(new Map(model.namedWeights().map((w) => [w.name, w.variable])), tensors, dir);
    await restoreAdamState(model.generatorOptimizer, tensors, 'optimizer/generator', dir);
    await restoreAdamState(model.criticOptimizer, tensors, 'optimizer/critic', dir);
    return { model, metadata: meta };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** Writes the generator alone (what `generate-crystals --model` and the shipped model use). */
export function saveGenerator(dir: string, generator: CrystalGenerator, metadata: Omit<ModelMetadata, 'kind'>): void {
  const tensors = [...generatorVariables(generator)].map(([name, variable]) => ({ name, tensor: variable as tf.Tensor }));
  saveTensors(dir, tensors, { ...metadata, kind: MODEL_KIND });
}

export function loadGenerator(dir: string): { generator: CrystalGenerator; metadata: ModelMetadata } {
  const { tensors, metadata } = loadTensors(dir);
  try {
    const meta = metadata as unknown as ModelMetadata;
    if (meta.kind !== MODEL_KIND) throw new ModelFileError(`${dir}: not a crystal-GAN generator (kind ${String(meta.kind)}, expected ${MODEL_KIND})`);
    const generator = new CrystalGenerator(meta.spec, meta.architecture ?? DEFAULT_ARCHITECTURE, 0);
    assignVariables(generatorVariables(generator), tensors, dir);
    return { generator, metadata: { ...meta, hyperparameters: meta.hyperparameters ?? DEFAULT_HYPERPARAMETERS } };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}
