// The committed model file (models/<property>/model.json): the ensemble's folded weights plus
// everything inference needs, so predicting needs neither TensorFlow.js nor the data directory.
// The featurizer's element table is baked in (for magpie: the 22 imputed properties of every
// element in magpie_preset22_imputed.csv; for magpie145 also the SMACT oxidation states and χ of
// the ionic flag), so a model keeps working without ../shared/data.
import { createGanFeaturizer, type ElementEmbeddings } from '../../core/features/gan';
import { createMagpieFeaturizer, type MagpieTable } from '../../core/features/magpie';
import { createMagpie145Featurizer, type IonicTables } from '../../core/features/magpie145';
import { createOnehotFeaturizer } from '../../core/features/onehot';
import type { Featurizer } from '../../core/features/types';
import type { EnsembleWeights } from './format';
import type { RegressionMetrics } from './metrics';

export const MODEL_FORMAT = 'crystal-gan-regressor';
export const MODEL_VERSION = 1;

export type EmbeddedFeaturizer =
  | { name: 'magpie'; table: MagpieTable }
  | { name: 'magpie145'; table: MagpieTable; ionic: EmbeddedIonicTables }
  | { name: 'onehot'; elements: string[] }
  | { name: 'gan' | 'gan-frac'; embeddings: ElementEmbeddings };

/** IonicTables as JSON: χ is null where SMACT has none. */
export interface EmbeddedIonicTables {
  oxidationStates: Record<string, number[]>;
  electronegativity: Record<string, number | null>;
}

export function embedIonicTables(tables: IonicTables): EmbeddedIonicTables {
  return {
    oxidationStates: Object.fromEntries([...tables.oxidationStates].map(([symbol, states]) => [symbol, [...states]])),
    electronegativity: Object.fromEntries([...tables.electronegativity].map(([symbol, chi]) => [symbol, chi ?? null])),
  };
}

function ionicTablesOf(embedded: EmbeddedIonicTables): IonicTables {
  return {
    oxidationStates: new Map(Object.entries(embedded.oxidationStates)),
    electronegativity: new Map(Object.entries(embedded.electronegativity).map(([symbol, chi]) => [symbol, chi ?? undefined])),
  };
}

export interface RegressorModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** e.g. 'band-gap'. */
  property: string;
  unit: string;
  description: string;
  /** Predictions below this are raised to it (0 for band gaps, which cannot be negative). */
  targetMin?: number;
  featurizer: EmbeddedFeaturizer;
  ensemble: EnsembleWeights;
  /** Ensemble-mean metrics on the validation split (never a test split). */
  validation: RegressionMetrics & { dataset: string; note: string };
  /** Data, preset, seeds, epochs, subsampling, time taken: how to re-create the file. */
  training: Record<string, unknown>;
  createdAt: string;
}

/** Checks the parts inference relies on and says which one is wrong. */
export function validateModelFile(json: unknown, where: string): RegressorModelFile {
  const m = json as Partial<RegressorModelFile>;
  if (!m || m.format !== MODEL_FORMAT) throw new Error(`${where}: not a Crystal GAN regressor model (format '${String(m?.format)}')`);
  if (m.version !== MODEL_VERSION) throw new Error(`${where}: model version ${String(m.version)} is not supported (expected ${MODEL_VERSION})`);
  if (!m.featurizer || !m.ensemble || !Array.isArray(m.ensemble.members) || m.ensemble.members.length === 0) {
    throw new Error(`${where}: the model has no featurizer or no ensemble members`);
  }
  return m as RegressorModelFile;
}

export function featurizerOf(embedded: EmbeddedFeaturizer): Featurizer {
  switch (embedded.name) {
    case 'magpie':
      return createMagpieFeaturizer(embedded.table);
    case 'magpie145':
      return createMagpie145Featurizer(embedded.table, ionicTablesOf(embedded.ionic));
    case 'onehot':
      return createOnehotFeaturizer(embedded.elements);
    case 'gan':
    case 'gan-frac':
      return createGanFeaturizer(embedded.embeddings, embedded.name === 'gan' ? 'raw' : 'fraction');
  }
}
