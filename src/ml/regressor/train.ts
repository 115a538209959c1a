// Training the property regressor: standardise inputs and target on the training rows, train an
// ensemble of MLPs that differ only in seed, keep each member's best epoch by val MAE (early
// stopping on the validation split only: test rows never reach this file), and export the folded
// weights. The ensemble's spread (std of member predictions) is the uncertainty.
import * as tf from '@tensorflow/tfjs-core';
import { createRandom, shuffledIndices } from '../../core/data/compositionDatasets';
import { compactNumber, type EnsembleWeights, type NetworkWeights, type Standardisation } from './format';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import { Mlp, type MlpSnapshot } from './mlp';
import type { RegressionLoss, RegressorPreset } from './presets';

/** Row-major features (rows × dim) with one target per row. */
export interface Matrix {
  x: Float32Array;
  y: Float32Array;
  dim: number;
}

export function rowCount(m: Matrix): number {
  return m.y.length;
}

export interface EpochReport {
  member: number;
  epoch: number;
  learningRate: number;
  trainLoss: number;
  /** Val MAE in target units for this member. */
  valMae: number;
  best: boolean;
  elapsedMs: number;
}

export interface TrainOptions {
  preset: RegressorPreset;
  seed: number;
  /** Ensemble size (default 1). */
  members?: number;
  /**
   * Training loss: `mse` (the paper's) or `l1` (mean absolute error). L1 fits the conditional
   * median, which suits zero-inflated targets such as band gaps (most OQMD rows are metals at 0 eV)
   * and is the metric that is reported. Default: the preset's.
   */
  loss?: RegressionLoss;
  /** Overrides preset.epochs (e.g. the quick experiment). */
  epochs?: number;
  /** Stop a member when this much wall time has passed since it started (bounded runs on shared machines). */
  memberTimeBudgetMs?: number;
  /** Rows of the training set used to measure BatchNorm statistics (default 4096). */
  calibrationRows?: number;
  onEpoch?(report: EpochReport): void;
  signal?: AbortSignal;
}

export interface TrainedEnsemble {
  weights: EnsembleWeights;
  /** Metrics of the ensemble mean on the validation rows (target units). */
  validation: RegressionMetrics;
  memberReports: { bestEpoch: number; epochsRun: number; bestValMae: number; stoppedBy: 'epochs' | 'patience' | 'time' | 'signal' }[];
}

export function fitStandardisation(train: Matrix): Standardisation {
  const n = rowCount(train);
  const { dim, x, y } = train;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) {
      const v = x[r * dim + j];
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  const inputMean: number[] = [];
  const inputStd: number[] = [];
  for (let j = 0; j < dim; j++) {
    const m = mean[j] / n;
    const variance = Math.max(0, sq[j] / n - m * m);
    inputMean.push(m);
    // A constant feature (e.g. an element absent from the training rows) gets std 1, not a division by 0.
    inputStd.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  let ySum = 0, ySq = 0;
  for (let r = 0; r < n; r++) {
    ySum += y[r];
    ySq += y[r] * y[r];
  }
  const targetMean = ySum / n;
  const targetStd = Math.sqrt(Math.max(0, ySq / n - targetMean * targetMean)) || 1;
  return { inputMean, inputStd, targetMean, targetStd };
}

export function standardise(m: Matrix, s: Standardisation): Matrix {
  const n = rowCount(m);
  const x = new Float32Array(m.x.length);
  for (let r = 0; r < n; r++) for (let j = 0; j < m.dim; j++) x[r * m.dim + j] = (m.x[r * m.dim + j] - s.inputMean[j]) / s.inputStd[j];
  const y = Float32Array.from(m.y, (v) => (v - s.targetMean) / s.targetStd);
  return { x, y, dim: m.dim };
}

export async function trainEnsemble(train: Matrix, val: Matrix, options: TrainOptions): Promise<TrainedEnsemble> {
  if (rowCount(train) < 2 || rowCount(val) < 1) throw new Error(`need at least 2 training rows and 1 validation row (got ${rowCount(train)} and ${rowCount(val)})`);
  const standardisation = fitStandardisation(train);
  const trainS = standardise(train, standardisation);
  const valS = standardise(val, standardisation);
  const members: NetworkWeights[] = [];
  const memberReports: TrainedEnsemble['memberReports'] = [];
  const memberPredictions: Float32Array[] = [];
  for (let k = 0; k < (options.members ?? 1); k++) {
    const result = await trainMember(trainS, valS, standardisation.targetStd, { ...options, seed: options.seed * 1000 + k }, k);
    members.push(result.network);
    memberReports.push(result.report);
    memberPredictions.push(result.valPrediction);
    if (options.signal?.aborted) break;
  }
  const meanPrediction = Float32Array.from(val.y, (_, r) => {
    let s = 0;
    for (const p of memberPredictions) s += p[r];
    return (s / memberPredictions.length) * standardisation.targetStd + standardisation.targetMean;
  });
  return {
    weights: { ...standardisation, members },
    validation: regressionMetrics(val.y, meanPrediction),
    memberReports,
  };
}

interface MemberResult {
  network: NetworkWeights;
  /** Standardised predictions on the val rows at the best epoch. */
  valPrediction: Float32Array;
  report: TrainedEnsemble['memberReports'][number];
}

async function trainMember(train: Matrix, val: Matrix, targetStd: number, options: TrainOptions, member: number): Promise<MemberResult> {
  const { preset } = options;
  const epochs = options.epochs ?? preset.epochs;
  const mlp = new Mlp(train.dim, preset.hidden, preset.activations, options.seed);
  const optimizer = tf.train.adam(preset.learningRate(0, epochs), preset.beta1, preset.beta2);
  const random = createRandom(options.seed + 7);
  const calibration = calibrationSample(train, options.calibrationRows ?? 4096, random.next() * 2 ** 32);
  const started = Date.now();
  let best: { mae: number; epoch: number; snapshot: MlpSnapshot; prediction: Float32Array } = {
    mae: Infinity, epoch: -1, snapshot: mlp.snapshot(), prediction: new Float32Array(rowCount(val)),
  };
  let stoppedBy: MemberResult['report']['stoppedBy'] = 'epochs';
  let epoch = 0;
  try {
    for (; epoch < epochs; epoch++) {
      const learningRate = preset.learningRate(scheduleEpoch(epoch, epochs, Date.now() - started, options.memberTimeBudgetMs), epochs);
      // tfjs reads the field on every step, so a schedule is a plain assignment.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const trainLoss = runEpoch(mlp, optimizer, train, preset.batchSize, random, options.loss ?? preset.loss ?? 'mse');
      mlp.calibrate(calibration);
      const prediction = predictStandardised(mlp, val);
      const valMae = meanAbsoluteError(prediction, val.y) * targetStd;
      const improved = valMae < best.mae;
      if (improved) best = { mae: valMae, epoch, snapshot: mlp.snapshot(), prediction };
      options.onEpoch?.({ member, epoch, learningRate, trainLoss, valMae, best: improved, elapsedMs: Date.now() - started });
      await new Promise((resolve) => setImmediate(resolve));
      if (epoch - best.epoch >= preset.patience) { stoppedBy = 'patience'; epoch++; break; }
      if (options.memberTimeBudgetMs !== undefined && Date.now() - started > options.memberTimeBudgetMs) { stoppedBy = 'time'; epoch++; break; }
      if (options.signal?.aborted) { stoppedBy = 'signal'; epoch++; break; }
    }
    mlp.restore(best.snapshot);
    const network = roundNetwork(mlp.exportFolded());
    return { network, valPrediction: best.prediction, report: { bestEpoch: best.epoch, epochsRun: epoch, bestValMae: best.mae, stoppedBy } };
  } finally {
    calibration.dispose();
    optimizer.dispose();
    mlp.dispose();
  }
}

/**
 * The epoch the learning-rate schedule sees. Under a time budget a member may stop long before its
 * last epoch; advancing the schedule by the fraction of the budget spent makes the lr decay still
 * happen before the stop, instead of training at the initial rate until cut off.
 */
export function scheduleEpoch(epoch: number, epochs: number, elapsedMs: number, budgetMs?: number): number {
  if (budgetMs === undefined || budgetMs <= 0) return epoch;
  return Math.max(epoch, Math.floor((elapsedMs / budgetMs) * epochs));
}

function runEpoch(mlp: Mlp, optimizer: tf.Optimizer, train: Matrix, batchSize: number, random: ReturnType<typeof createRandom>, lossKind: RegressionLoss): number {
  const n = rowCount(train);
  const order = shuffledIndices(n, random);
  let lossSum = 0, batches = 0;
  // A last batch of one row would make BatchNorm's variance zero: fold a short tail into the previous batch.
  for (let start = 0; start < n; start += batchSize) {
    const end = n - (start + batchSize) < 2 ? n : Math.min(n, start + batchSize);
    const { x, y } = gatherRows(train, order, start, end);
    const loss = tf.tidy(() => {
      const xs = tf.tensor2d(x, [end - start, train.dim]);
      const ys = tf.tensor2d(y, [end - start, 1]);
      const objective = () => {
        const predicted = mlp.forwardTrain(xs);
        return (lossKind === 'l1' ? tf.mean(tf.abs(tf.sub(predicted, ys))) : tf.mean(tf.squaredDifference(predicted, ys))) as tf.Scalar;
      };
      return optimizer.minimize(objective, true, mlp.trainable) ?? tf.scalar(NaN);
    });
    lossSum += loss.dataSync()[0];
    loss.dispose();
    batches++;
    if (end === n) break;
  }
  return lossSum / batches;
}

function gatherRows(m: Matrix, order: Int32Array, start: number, end: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array((end - start) * m.dim);
  const y = new Float32Array(end - start);
  for (let i = start; i < end; i++) {
    const r = order[i];
    x.set(m.x.subarray(r * m.dim, (r + 1) * m.dim), (i - start) * m.dim);
    y[i - start] = m.y[r];
  }
  return { x, y };
}

function calibrationSample(train: Matrix, rows: number, seed: number): tf.Tensor2D {
  const n = rowCount(train);
  const order = shuffledIndices(n, createRandom(seed));
  const take = Math.min(rows, n);
  return tf.tensor2d(gatherRows(train, order, 0, take).x, [take, train.dim]);
}

/** Inference in chunks so large validation sets do not allocate one huge tensor. */
export function predictStandardised(mlp: Mlp, m: Matrix, chunk = 8192): Float32Array {
  const n = rowCount(m);
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const p = tf.tidy(() => mlp.forwardInfer(tf.tensor2d(m.x.subarray(start * m.dim, end * m.dim), [end - start, m.dim])).dataSync());
    out.set(p, start);
  }
  return out;
}

function meanAbsoluteError(prediction: Float32Array, truth: Float32Array): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs(prediction[i] - truth[i]);
  return s / truth.length;
}

function roundNetwork(net: NetworkWeights): NetworkWeights {
  return { layers: net.layers.map((l) => ({ ...l, weights: l.weights.map(compactNumber), bias: l.bias.map(compactNumber) })) };
}
