// Predictions for hovers and inlay hints, cached by canonical composition so that Fe2O3, Fe4O6 and
// Fe₂O₃ share one entry (cif-and-formulas.md §4). A hover never waits on the model: `peek` answers
// from the cache, or starts the prediction and says "pending" (vscode-standards.md §6).
import { canonicalKey } from '../../../core/chem/composition';

export interface PropertyEstimate {
  value: number;
  /** One standard deviation, when the model gives one. */
  uncertainty?: number;
  unit: string;
}

export interface CompositionPrediction {
  bandGap?: PropertyEstimate;
  formationEnergy?: PropertyEstimate;
  /** Which model answered (name and version), shown in the hover. */
  model: string;
  /** Why nothing could be predicted (element outside the featurizer, model missing …). */
  error?: string;
}

export type Predictor = (elements: Record<string, number>) => CompositionPrediction | Promise<CompositionPrediction>;

export type CacheAnswer = { state: 'ready'; prediction: CompositionPrediction } | { state: 'pending'; done: Promise<CompositionPrediction> };

/** The cache key: atom fractions sorted by symbol (the shared rule in core/chem/composition). */
export function canonicalComposition(elements: Record<string, number>): string {
  return canonicalKey(elements);
}

export class PredictionCache {
  private readonly ready = new Map<string, CompositionPrediction>();
  private readonly inFlight = new Map<string, Promise<CompositionPrediction>>();

  constructor(
    private readonly predict: Predictor,
    private readonly capacity = 2000,
  ) {}

  /** The cached prediction, or a pending promise for one (started now if not already running). */
  peek(elements: Record<string, number>): CacheAnswer {
    const key = canonicalComposition(elements);
    const hit = this.ready.get(key);
    if (hit) {
      // Re-insert so the Map's order is least-recently-used first.
      this.ready.delete(key);
      this.ready.set(key, hit);
      return { state: 'ready', prediction: hit };
    }
    let done = this.inFlight.get(key);
    if (!done) {
      done = this.run(key, elements);
      this.inFlight.set(key, done);
    }
    return { state: 'pending', done };
  }

  /** Waits for the prediction (used by panels, which may block on the model). */
  async get(elements: Record<string, number>): Promise<CompositionPrediction> {
    const answer = this.peek(elements);
    return answer.state === 'ready' ? answer.prediction : answer.done;
  }

  get size(): number {
    return this.ready.size;
  }

  clear(): void {
    this.ready.clear();
  }

  private async run(key: string, elements: Record<string, number>): Promise<CompositionPrediction> {
    let prediction: CompositionPrediction;
    try {
      prediction = await this.predict(elements);
    } catch (error) {
      prediction = { model: 'none', error: error instanceof Error ? error.message : String(error) };
    }
    this.inFlight.delete(key);
    this.ready.set(key, prediction);
    while (this.ready.size > this.capacity) {
      const oldest = this.ready.keys().next().value;
      if (oldest === undefined) break;
      this.ready.delete(oldest);
    }
    return prediction;
  }
}

/** "1.23 ± 0.40 eV" with sensible rounding. */
export function formatEstimate(estimate: PropertyEstimate): string {
  const value = estimate.value.toFixed(2);
  return estimate.uncertainty !== undefined ? `${value} ± ${estimate.uncertainty.toFixed(2)} ${estimate.unit}` : `${value} ${estimate.unit}`;
}
