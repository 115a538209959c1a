// Training presets for the property regressor. `faithful` is the reference code's protocol (method
// §7): no activation after the first block, Adam β (0.5, 0.9), lr 0.1/0.01/0.001/1e-4 switching at
// epochs 30/110/200, 300 epochs, batch 256. `tuned` keeps the architecture but fixes what §8 calls
// fragile: ReLU after every hidden block, Adam at lr 2e-3 with standard β (0.9, 0.999) and a ×0.1
// step at 60 % and 85 % of the epochs, early stopping after 20 epochs without a better val MAE.
// It was chosen by val MAE on the quick representation experiment, never on a test split.

export type Activation = 'relu' | 'linear';
export type RegressionLoss = 'mse' | 'l1';

export interface RegressorPreset {
  name: 'faithful' | 'tuned';
  hidden: number[];
  /** One activation per hidden block (every block is Dense + BatchNorm). */
  activations: Activation[];
  epochs: number;
  batchSize: number;
  beta1: number;
  beta2: number;
  /** Learning rate for a given epoch (0-based) of `epochs`. */
  learningRate(epoch: number, epochs: number): number;
  /** Stop after this many epochs without a better val MAE (Infinity: run all epochs, still keep the best). */
  patience: number;
  /** Training loss (default mse, the paper's). */
  loss?: RegressionLoss;
}

const HIDDEN = [128, 128, 64, 64, 32, 32];

export const FAITHFUL: RegressorPreset = {
  name: 'faithful',
  hidden: HIDDEN,
  activations: ['linear', 'relu', 'relu', 'relu', 'relu', 'relu'],
  epochs: 300,
  batchSize: 256,
  beta1: 0.5,
  beta2: 0.9,
  learningRate: (epoch) => (epoch < 30 ? 0.1 : epoch < 110 ? 0.01 : epoch < 200 ? 0.001 : 1e-4),
  patience: Infinity,
};

export const TUNED: RegressorPreset = {
  name: 'tuned',
  hidden: HIDDEN,
  activations: HIDDEN.map(() => 'relu'),
  epochs: 120,
  batchSize: 256,
  beta1: 0.9,
  beta2: 0.999,
  learningRate: (epoch, epochs) => 2e-3 * (epoch < 0.6 * epochs ? 1 : epoch < 0.85 * epochs ? 0.1 : 0.01),
  patience: 20,
};

export const PRESETS = { faithful: FAITHFUL, tuned: TUNED } as const;
export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return name in PRESETS;
}
