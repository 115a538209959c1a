// The property models stay loaded in the extension host (no process round trip per hover): the
// band-gap and formation-energy regressors from models/ are read once, on first use, and every
// answer is cached by canonical composition (logic/predictionCache.ts).
import { defaultModelDir, loadPredictor, type Predictor as ModelPredictor, type PropertyName } from '../../ml/predictor';
import { PredictionCache, type CompositionPrediction, type PropertyEstimate } from './logic/predictionCache';

interface LoadedModel {
  predictor?: ModelPredictor;
  /** Why the model is missing, shown in hovers and the status item. */
  error?: string;
}

export type ModelStatus = { state: 'loaded'; names: string[] } | { state: 'missing'; reason: string };

export class PredictionService {
  private readonly models = new Map<PropertyName, LoadedModel>();
  readonly cache = new PredictionCache((elements) => this.predictNow(elements));

  constructor(private readonly extensionPath: string) {}

  status(): ModelStatus {
    const bandGap = this.model('band-gap');
    if (!bandGap.predictor) return { state: 'missing', reason: bandGap.error ?? 'not loaded' };
    const names = (['band-gap', 'formation-energy'] as const).filter((p) => this.model(p).predictor).map((p) => describe(this.model(p).predictor));
    return { state: 'loaded', names };
  }

  private model(property: PropertyName): LoadedModel {
    let model = this.models.get(property);
    if (!model) {
      try {
        model = { predictor: loadPredictor(defaultModelDir(property, this.extensionPath)) };
      } catch (error) {
        model = { error: error instanceof Error ? error.message : String(error) };
      }
      this.models.set(property, model);
    }
    return model;
  }

  private estimate(property: PropertyName, elements: Record<string, number>): PropertyEstimate | string {
    const { predictor, error } = this.model(property);
    if (!predictor) return `no ${property} model (${error ?? 'not loaded'})`;
    try {
      const symbols = Object.keys(elements);
      const answer = predictor.predictComposition({ symbols, amounts: symbols.map((s) => elements[s]) });
      return { value: answer.prediction, uncertainty: answer.uncertainty, unit: predictor.model.unit };
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private predictNow(elements: Record<string, number>): CompositionPrediction {
    const bandGap = this.estimate('band-gap', elements);
    const formation = this.estimate('formation-energy', elements);
    const models = (['band-gap', 'formation-energy'] as const).map((p) => this.model(p).predictor).filter((p): p is ModelPredictor => !!p);
    const prediction: CompositionPrediction = { model: models.length ? models.map(describe).join('; ') : 'none' };
    if (typeof bandGap !== 'string') prediction.bandGap = bandGap;
    if (typeof formation !== 'string') prediction.formationEnergy = formation;
    if (typeof bandGap === 'string') prediction.error = bandGap;
    return prediction;
  }
}

function describe(predictor: ModelPredictor | undefined): string {
  if (!predictor) return 'none';
  const m = predictor.model;
  const members = m.ensemble.members.length;
  return `${m.property} · ${m.featurizer.name} MLP${members > 1 ? ` ×${members}` : ''} (val MAE ${m.validation.mae.toFixed(2)} ${m.unit})`;
}

let shared: PredictionService | undefined;

/** One service (one loaded model, one cache) for hovers, inlay hints and the predictions panel. */
export function sharedPredictionService(extensionPath: string): PredictionService {
  shared ??= new PredictionService(extensionPath);
  return shared;
}
