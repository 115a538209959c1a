// Generator presets of the composition GAN. `paper` is the reference code's start (zero output
// bias, both networks at Adam 1e-4). `tuned` changes only how the generator starts and learns,
// never the architecture or the variables, so checkpoints of either preset load into the other:
// the output bias starts at the logit of the training data's mean cell occupancy (a standard
// prior init; the data has 2–4 on-cells of 680, mean ≈ 0.004, so a zero bias starts every cell
// at sigmoid(0) = 0.5 and Adam's ~1e-4 per step needs thousands of steps to reach sparse outputs),
// and the generator's learning rate is scaled (measured choice: docs/results/composition-generation.md).
// `crisp` and `crisp-gumbel` start like `tuned` but make the cells one-hot per element row by
// construction (model.ts, GeneratorOutput): the argmax of "absent + 8 slots", or a Gumbel sample of it.
// Same variables again; the output mode is recorded in checkpoints and saved generators.
import { ELEMENT_COUNT, MATRIX_SIZE, MAX_COUNT } from '../../core/features/encoding';
import type { FormulaCounts } from './data';
import type { GeneratorOutput } from './model';

export const GENERATOR_PRESET_NAMES = ['paper', 'tuned', 'crisp', 'crisp-gumbel'] as const;
export type GeneratorPresetName = (typeof GENERATOR_PRESET_NAMES)[number];

export interface GeneratorPreset {
  name: GeneratorPresetName;
  /** `zero`: the paper's zero bias; `data-prior`: logit of the training data's mean cell occupancy. */
  outputBias: 'zero' | 'data-prior';
  /** Generator Adam learning rate = critic learning rate × this factor. */
  generatorLearningRateFactor: number;
  /** How logits become cells; absent in records written before output modes existed (= sigmoid). */
  output?: GeneratorOutput;
}

export const GENERATOR_PRESETS: Record<GeneratorPresetName, GeneratorPreset> = {
  paper: { name: 'paper', outputBias: 'zero', generatorLearningRateFactor: 1, output: 'sigmoid' },
  tuned: { name: 'tuned', outputBias: 'data-prior', generatorLearningRateFactor: 1, output: 'sigmoid' },
  crisp: { name: 'crisp', outputBias: 'data-prior', generatorLearningRateFactor: 1, output: 'slot-argmax' },
  'crisp-gumbel': { name: 'crisp-gumbel', outputBias: 'data-prior', generatorLearningRateFactor: 1, output: 'slot-gumbel' },
};

export function isGeneratorPresetName(value: string): value is GeneratorPresetName {
  return (GENERATOR_PRESET_NAMES as readonly string[]).includes(value);
}

/** Mean value of a one-hot cell over the given rows: on-cells (one per element present) / 680. */
export function meanCellOccupancy(data: FormulaCounts, rows: ArrayLike<number>): number {
  if (rows.length === 0) return 0;
  let onCells = 0;
  for (let i = 0; i < rows.length; i++) {
    const start = rows[i] * ELEMENT_COUNT;
    for (let e = 0; e < ELEMENT_COUNT; e++) if (data.counts[start + e] > 0) onCells++;
  }
  return onCells / (rows.length * MATRIX_SIZE);
}

/** log(p / (1 − p)), with p clamped to [1e-6, 1 − 1e-6] so an empty or full data set stays finite. */
export function logit(p: number): number {
  const clamped = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(clamped / (1 - clamped));
}

/**
 * The slot logit b (beside the fixed "absent" logit 0) at which an element row is present with the
 * data's probability q = occupancy × 8 (one on-cell per present element): 8·e^b / (1 + 8·e^b) = q.
 */
export function slotPriorLogit(occupancy: number): number {
  const present = Math.min(1 - 1e-6, Math.max(1e-6, occupancy * MAX_COUNT));
  return Math.log(present / (MAX_COUNT * (1 - present)));
}

/** What a run records about its generator start (run.json and checkpoints). */
export interface ResolvedGeneratorPreset extends GeneratorPreset {
  /** The output bias the generator started from. */
  outputBiasLogit: number;
  /** The training rows' mean cell occupancy (whatever the preset, for the record). */
  dataMeanCellOccupancy: number;
  generatorLearningRate: number;
}

export function resolveGeneratorPreset(preset: GeneratorPreset, data: FormulaCounts, trainRows: ArrayLike<number>, criticLearningRate: number): ResolvedGeneratorPreset {
  const occupancy = meanCellOccupancy(data, trainRows);
  return {
    ...preset,
    outputBiasLogit: preset.outputBias === 'zero' ? 0 : (preset.output ?? 'sigmoid') === 'sigmoid' ? logit(occupancy) : slotPriorLogit(occupancy),
    dataMeanCellOccupancy: occupancy,
    generatorLearningRate: criticLearningRate * preset.generatorLearningRateFactor,
  };
}

// Critic presets. `paper` is the reference DeepSets critic. `cells` adds a dense path from the
// flattened 85×8 cells into the first MLP layer (model.ts, CriticOptions): the paper's variables and
// the element-embedding table (what the `gan` featurizers export) are unchanged, so its embeddings
// are read the same way, and a checkpoint without the extra kernel is a `paper` critic.
export const CRITIC_PRESET_NAMES = ['paper', 'cells'] as const;
export type CriticPresetName = (typeof CRITIC_PRESET_NAMES)[number];

export interface CriticPreset {
  name: CriticPresetName;
  cellPath: boolean;
}

export const CRITIC_PRESETS: Record<CriticPresetName, CriticPreset> = {
  paper: { name: 'paper', cellPath: false },
  cells: { name: 'cells', cellPath: true },
};

/**
 * Defaults of a new run. For generation, `--critic-preset cells --learning-rate 5e-4` with the
 * `tuned` generator is far better from ~300 steps on (docs/results/composition-generation.md,
 * 2026-11-22: 1,979–2,518 distinct CN + EB compositions per 5,000 samples at step 300 on the filtered
 * ICSD list, seeds 1–3, against 15–24 for the paper critic), but it decodes later: 0.65 % of samples
 * after the quick start's 30 steps on the OQMD list, where the paper critic at 1e-4 decodes most.
 * So the defaults stay the paper critic at the paper's 1e-4, and the doc gives the generation flags.
 */
export const DEFAULT_GENERATOR_PRESET: GeneratorPresetName = 'tuned';
export const DEFAULT_CRITIC_PRESET: CriticPresetName = 'paper';
/** Adam learning rate of the critic (and, × the preset factor, the generator) for new runs: the paper's. */
export const DEFAULT_LEARNING_RATE = 1e-4;

export function isCriticPresetName(value: string): value is CriticPresetName {
  return (CRITIC_PRESET_NAMES as readonly string[]).includes(value);
}

// Training-list filters. `cn-eb` keeps the rows whose counts as written pass MatGAN's CN + EB check
// (the one generate-compositions scores samples with), as MatGAN trained on CN/EB-filtered ICSD.
export const TRAINING_FILTER_NAMES = ['none', 'cn-eb'] as const;
export type TrainingFilterName = (typeof TRAINING_FILTER_NAMES)[number];

export function isTrainingFilterName(value: string): value is TrainingFilterName {
  return (TRAINING_FILTER_NAMES as readonly string[]).includes(value);
}
