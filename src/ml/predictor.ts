// Property prediction without TensorFlow.js: the model file's folded weights run in Float64Array
// code, so the editor's hover can call this directly in the extension host (well under 1 ms per
// formula). Never import tfjs here.
import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../core/data/dataDir';
import { parseComposition } from '../core/features/parse';
import { FeaturizeError, type ElementAmounts, type Featurizer } from '../core/features/types';
import { compileNetwork, forwardOne, type CompiledNetwork } from './regressor/format';
import { featurizerOf, validateModelFile, type RegressorModelFile } from './regressor/modelFile';

export type PropertyName = 'band-gap' | 'formation-energy';
export const PROPERTY_NAMES: readonly PropertyName[] = ['band-gap', 'formation-energy'];

/** Folder of each default model under the project's models/. */
const DEFAULT_MODEL_FOLDERS: Record<PropertyName, string> = { 'band-gap': 'bandgap', 'formation-energy': 'formation-energy' };

export function isPropertyName(name: string): name is PropertyName {
  return (PROPERTY_NAMES as readonly string[]).includes(name);
}

export interface Prediction {
  formula: string;
  /** Ensemble mean in the model's unit; undefined when the formula could not be predicted. */
  prediction?: number;
  /** Standard deviation of the ensemble members (undefined for a single network). */
  uncertainty?: number;
  /** Why there is no prediction. */
  error?: string;
}

export class Predictor {
  readonly featurizer: Featurizer;
  private readonly networks: CompiledNetwork[];
  private readonly features: Float64Array;
  private readonly scratch: Float64Array;

  constructor(readonly model: RegressorModelFile) {
    this.featurizer = featurizerOf(model.featurizer);
    const { ensemble } = model;
    if (ensemble.inputMean.length !== this.featurizer.dim || ensemble.inputStd.length !== this.featurizer.dim) {
      throw new Error(`model standardisation has ${ensemble.inputMean.length} features, the ${this.featurizer.name} featurizer ${this.featurizer.dim}`);
    }
    this.networks = ensemble.members.map((m) => compileNetwork(m, this.featurizer.dim));
    this.features = new Float64Array(this.featurizer.dim);
    this.scratch = new Float64Array(2 * Math.max(...this.networks.map((n) => n.maxWidth)));
  }

  /** Predicts one composition; throws FeaturizeError for elements the model does not know. */
  predictComposition(composition: ElementAmounts): { prediction: number; uncertainty?: number } {
    const { inputMean, inputStd, targetMean, targetStd } = this.model.ensemble;
    this.featurizer.featurizeInto(composition, this.features, 0);
    for (let j = 0; j < this.features.length; j++) this.features[j] = (this.features[j] - inputMean[j]) / inputStd[j];
    let sum = 0, sq = 0;
    for (const net of this.networks) {
      const y = forwardOne(net, this.features, this.scratch) * targetStd + targetMean;
      sum += y;
      sq += y * y;
    }
    const n = this.networks.length;
    const floor = this.model.targetMin ?? -Infinity;
    const prediction = Math.max(floor, sum / n);
    return n > 1 ? { prediction, uncertainty: Math.sqrt(Math.max(0, sq / n - prediction * prediction)) } : { prediction };
  }

  /** Parses and predicts; never throws for bad input: the reason goes into `error`. */
  predictFormula(formula: string): Prediction {
    const parsed = parseComposition(formula);
    if (!parsed.ok) return { formula, error: `${parsed.error} (column ${parsed.column})` };
    try {
      return { formula, ...this.predictComposition(parsed.composition) };
    } catch (error) {
      if (error instanceof FeaturizeError) return { formula, error: error.message };
      throw error;
    }
  }
}

/** Reads a model from a folder holding model.json (or from the file itself). */
export function loadModelFile(location: string): RegressorModelFile {
  const file = fs.existsSync(location) && fs.statSync(location).isDirectory() ? path.join(location, 'model.json') : location;
  if (!fs.existsSync(file)) throw new Error(`no model at ${file}`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return validateModelFile(json, file);
}

/** The committed default model folder for a property (models/<folder> in the project or extension). */
export function defaultModelDir(property: PropertyName, from = __dirname): string {
  const root = findProjectRoot(from);
  if (!root) throw new Error(`cannot find the project folder from ${from} to locate models/${DEFAULT_MODEL_FOLDERS[property]}`);
  return path.join(root, 'models', DEFAULT_MODEL_FOLDERS[property]);
}

const cache = new Map<string, Predictor>();

/** A predictor for a model folder, loaded once per process. */
export function loadPredictor(location: string): Predictor {
  const key = path.resolve(location);
  let predictor = cache.get(key);
  if (!predictor) {
    predictor = new Predictor(loadModelFile(location));
    cache.set(key, predictor);
  }
  return predictor;
}
