// Builds a featurizer by name (Node: it loads the tables it needs). The CLI, the experiment script
// and the default-model trainer all go through here so a name always means the same features.
import { resolveDataDir } from '../data/dataDir';
import { createGanFeaturizer } from './gan';
import { loadSmactTables } from '../data/smactTables';
import { createMagpieFeaturizer } from './magpie';
import { createMagpie145Featurizer } from './magpie145';
import { createOnehotFeaturizer } from './onehot';
import { loadElements85, loadEmbeddings, loadMagpieTable } from './tables';
import { FEATURIZER_NAMES, type Featurizer, type FeaturizerName } from './types';

export interface FeaturizerSources {
  /** Data directory (default: resolveDataDir()). */
  dataDir?: string;
  /** Composition-GAN run folder holding embeddings.json (gan, gan-frac). */
  runDir?: string;
}

export function isFeaturizerName(name: string): name is FeaturizerName {
  return (FEATURIZER_NAMES as readonly string[]).includes(name);
}

export function createFeaturizer(name: FeaturizerName, sources: FeaturizerSources = {}): Featurizer {
  const dataDir = () => sources.dataDir ?? resolveDataDir().path;
  switch (name) {
    case 'onehot':
      return createOnehotFeaturizer(loadElements85(dataDir()));
    case 'magpie':
      return createMagpieFeaturizer(loadMagpieTable(dataDir()));
    case 'magpie145':
      return createMagpie145Featurizer(loadMagpieTable(dataDir()), loadSmactTables(dataDir()));
    case 'gan':
    case 'gan-frac':
      if (!sources.runDir) throw new Error(`the ${name} featurizer needs a composition-GAN run folder (--model RUN_DIR)`);
      return createGanFeaturizer(loadEmbeddings(sources.runDir), name === 'gan' ? 'raw' : 'fraction');
  }
}
