// The representation experiment (method §10): the same regressor on onehot, magpie, gan and
// gan-frac features for six composition data sets, written to docs/results/representations.md.
//
//   npm run experiment:representations -- [--quick] [--gan-run RUN_DIR] [--preset tuned|faithful]
//       [--seeds 1] [--datasets a,b] [--featurizers onehot,magpie,gan,gan-frac,magpie+gan-frac]
//       [--epochs N] [--cache FILE [--cached-only]] [--out FILE]
//
// Budget of the full run (it must fit one shared CPU core in about an hour): each network trains
// for min(100, max(12, round(1,500,000 / training rows))) epochs (the learning-rate steps of the
// preset scale with that count), batch 512 when a split has ≥ 100,000 training rows, else 256,
// with the preset's early stopping on the early-stopping rows. --cache keeps finished cells
// (data set × features × seed × settings × GAN checkpoint) in a JSON file, so the one-hot and
// Magpie cells can run while the GAN trains and the GAN cells afterwards, into one report;
// --cached-only writes the report from the cached cells alone (missing cells show as –).
// `a+b` concatenates two feature sets (a stronger model of our own: Magpie + GAN features); a
// `@l1` suffix trains that row with the L1 loss instead of the paper's MSE (src/ml/regressor/train.ts),
// `@eN` trains it for N epochs instead of the size-based count (batch unchanged; e.g. `magpie@l1@e40`),
// `@wN` multiplies the width of every hidden layer by N (a bigger network of our own, not the paper's),
// and `*N` averages N networks that differ only in seed (e.g. `magpie+gan-frac@l1*3`).
//
// Protocol (what each split means is written into the report):
// - oqmd_bandgap, mp_hf_critexam: train on train.csv, report on the published val.csv (test.csv is
//   withheld); early stopping on a seeded 10 % of train.csv.
// - oqmd_hf: only val.csv exists: seeded 80/20 re-split of it (report on the 20 %).
// - hu2020_mp_bandgap: repeated formulas averaged, then a seeded 80/10/10 group split by reduced
//   composition; hu2020_supercon_tc: the same group split.
// - expt_gap_matbench: the official 5 folds; early stopping on 10 % of the training folds.
// Rows are restricted to the 85-element vocabulary so every featurizer sees the same rows.
// --quick subsamples (training ≤ 4,000 rows, reported split ≤ 4,000 rows), 12 epochs, 1 seed: it
// runs in minutes on 2 shared cores and its numbers are labelled as such.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../src/core/data/dataDir';
import {
  DATASETS, foldSplit, type DatasetInfo, groupSplit, loadDataset, randomSplit, type CompositionRecord, type DatasetId,
} from '../src/core/data/compositionDatasets';
import { compositionKey } from '../src/core/features/parse';
import { createFeaturizer } from '../src/core/features/registry';
import { loadElements85 } from '../src/core/features/tables';
import { FEATURIZER_NAMES, type ElementAmounts, type Featurizer, type FeaturizerName } from '../src/core/features/types';
import { initBackend } from '../src/ml/backend';
import { regressionMetrics, type RegressionMetrics } from '../src/ml/regressor/metrics';
import { compileNetwork, forwardOne } from '../src/ml/regressor/format';
import { isPresetName, PRESETS, type RegressionLoss } from '../src/ml/regressor/presets';
import { trainEnsemble, type Matrix } from '../src/ml/regressor/train';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'gan-run': { type: 'string' },
    preset: { type: 'string', default: 'tuned' },
    seeds: { type: 'string' },
    datasets: { type: 'string' },
    featurizers: { type: 'string' },
    epochs: { type: 'string' },
    cache: { type: 'string' },
    'cached-only': { type: 'boolean', default: false },
    out: { type: 'string', default: 'docs/results/representations.md' },
  },
});

const QUICK = { trainRows: 4000, testRows: 4000, epochs: 12 };
/** Full-run budget: epochs from the training-set size, bigger batches for the largest sets. */
const FULL = { rowEpochs: 1_500_000, minEpochs: 12, maxEpochs: 100, largeRows: 100_000, largeBatch: 512 };

export function fullRunEpochs(trainRows: number): number {
  return Math.min(FULL.maxEpochs, Math.max(FULL.minEpochs, Math.round(FULL.rowEpochs / Math.max(1, trainRows))));
}

/** A feature set of the experiment: one featurizer, or several concatenated (`magpie+gan-frac`). */
interface FeatureSet {
  name: string;
  /** Training loss of this row (`@l1` suffix), else the preset's. */
  loss?: RegressionLoss;
  /** Networks averaged per split (`*N` suffix, seeds differ), default 1. */
  members?: number;
  /** Epochs for this row (`@eN` suffix), else the budget's. */
  epochs?: number;
  /** Hidden-layer width multiplier (`@wN` suffix), default 1 (the paper's widths). */
  widthFactor?: number;
  dim: number;
  /** Identifies the features' source for the cache (GAN run and checkpoint step). */
  source: string;
  featurize(compositions: readonly ElementAmounts[]): Float32Array;
}

function concatenated(parts: Featurizer[], source: string): FeatureSet {
  const dim = parts.reduce((sum, f) => sum + f.dim, 0);
  return {
    name: parts.map((f) => f.name).join('+'),
    dim,
    source,
    featurize(compositions) {
      const out = new Float32Array(compositions.length * dim);
      compositions.forEach((c, i) => {
        let offset = i * dim;
        for (const f of parts) {
          f.featurizeInto(c, out, offset);
          offset += f.dim;
        }
      });
      return out;
    },
  };
}

/** One train/early-stop/test split of a task, as row indices into the task's records. */
interface Split {
  label: string;
  train: Int32Array;
  stop: Int32Array;
  test: Int32Array;
}

interface Task {
  id: string;
  dataset: DatasetId;
  unit: string;
  protocol: string;
  anchors: string;
  load(dataDir: string, elements: ReadonlySet<string>, seed: number): { records: CompositionRecord[]; splits: Split[]; dropped: number };
}

function loadAll(id: DatasetId, part: string, dataDir: string, elements: ReadonlySet<string>, duplicates: 'skip' | 'mean' = 'skip') {
  const ds = loadDataset(id, part, { dataDir, elements, duplicates });
  return { records: ds.records, dropped: ds.skipped.length };
}

/** Carves a seeded 10 % early-stopping split out of the training rows. */
function withStop(label: string, train: Int32Array, test: Int32Array, seed: number): Split {
  const [fit, stop] = randomSplit(train.length, [0.9, 0.1], seed + 101);
  return { label, train: fit.map((i) => train[i]), stop: stop.map((i) => train[i]), test };
}

function publishedTrainVal(dataset: DatasetId): Task['load'] {
  return (dataDir, elements, seed) => {
    const train = loadAll(dataset, 'train', dataDir, elements);
    const val = loadAll(dataset, 'val', dataDir, elements);
    const records = [...train.records, ...val.records];
    const trainIdx = Int32Array.from(train.records, (_, i) => i);
    const testIdx = Int32Array.from(val.records, (_, i) => train.records.length + i);
    return { records, splits: [withStop('published train → val', trainIdx, testIdx, seed)], dropped: train.dropped + val.dropped };
  };
}

function groupSplitTask(dataset: DatasetId): Task['load'] {
  return (dataDir, elements, seed) => {
    const { records, dropped } = loadAll(dataset, 'all', dataDir, elements, 'mean');
    const [train, stop, test] = groupSplit(records.map((r) => compositionKey(r.composition)), [0.8, 0.1, 0.1], seed);
    return { records, splits: [{ label: 'group split 80/10/10 by reduced composition', train, stop, test }], dropped };
  };
}

const TASKS: Task[] = [
  {
    id: 'oqmd_bandgap', dataset: 'oqmd_bandgap', unit: 'eV',
    protocol: 'train.csv → val.csv (test withheld); early stop on 10 % of train',
    anchors: 'test MAE: CrabNet 0.0492, Roost 0.0877, ElemNet 0.148, RF-Magpie 0.0601',
    load: publishedTrainVal('oqmd_bandgap'),
  },
  {
    id: 'hu2020_mp_bandgap', dataset: 'hu2020_mp_bandgap', unit: 'eV',
    protocol: 'repeated formulas averaged; group split 80/10/10 by reduced composition',
    anchors: 'paper values unknown',
    load: groupSplitTask('hu2020_mp_bandgap'),
  },
  {
    id: 'oqmd_hf', dataset: 'oqmd_hf', unit: 'eV/atom',
    protocol: 'val.csv only (train missing, test withheld): seeded 80/20 re-split; early stop on 10 % of the 80 %',
    anchors: 'test MAE: CrabNet 0.0312, Roost 0.0315, ElemNet 0.0489, RF-Magpie 0.0834 (trained on 239k rows)',
    load: (dataDir, elements, seed) => {
      const { records, dropped } = loadAll('oqmd_hf', 'val', dataDir, elements);
      const [train, test] = randomSplit(records.length, [0.8, 0.2], seed);
      return { records, splits: [withStop('seeded 80/20 re-split of val.csv', train, test, seed)], dropped };
    },
  },
  {
    id: 'mp_hf_critexam', dataset: 'mp_hf_critexam', unit: 'eV/atom',
    protocol: 'train.csv → val.csv (test withheld); early stop on 10 % of train',
    anchors: 'test MAE: Roost 0.0547, CrabNet 0.0593, ElemNet 0.0707, RF-Magpie 0.0997',
    load: publishedTrainVal('mp_hf_critexam'),
  },
  {
    id: 'expt_gap_matbench', dataset: 'expt_gap_matbench', unit: 'eV',
    protocol: 'official Matbench 5 folds (mean over folds); early stop on 10 % of the training folds',
    anchors: 'Matbench 5-fold MAE: Darwin 0.2865, MODNet 0.3327, CrabNet 0.3463, RF-SCM/Magpie 0.4461, Dummy 1.1435',
    load: (dataDir, elements, seed) => {
      const { records, dropped } = loadAll('expt_gap_matbench', 'all', dataDir, elements);
      const splits = [0, 1, 2, 3, 4].map((k) => {
        const { train, test } = foldSplit(records, k);
        return withStop(`fold ${k}`, train, test, seed + k);
      });
      return { records, splits, dropped };
    },
  },
  {
    id: 'hu2020_supercon_tc', dataset: 'hu2020_supercon_tc', unit: 'K',
    protocol: 'group split 80/10/10 by reduced composition',
    anchors: 'order of magnitude only: Hamidieh 2018 XGBoost RMSE ≈ 9.5 K, R² ≈ 0.92 (different SuperCon extract)',
    load: groupSplitTask('hu2020_supercon_tc'),
  },
];

function cap(indices: Int32Array, rows: number, seed: number): Int32Array {
  if (!args.quick || indices.length <= rows) return indices;
  return randomSplit(indices.length, [rows, indices.length - rows], seed)[0].map((i) => indices[i]).sort();
}

function matrixOf(features: Float32Array, dim: number, records: CompositionRecord[], rows: Int32Array): Matrix {
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(features.subarray(r * dim, (r + 1) * dim), i * dim));
  return { x, y: Float32Array.from(rows, (r) => records[r].target), dim };
}

interface Cell {
  metrics: RegressionMetrics[];
  seconds: number;
  trainRows: number;
  testRows: number;
  training: CellResult['training'];
}

/** Finished cells by key, kept in --cache so a long experiment can run in phases. */
type CellCache = Record<string, CellResult & { seconds: number; finishedAt: string }>;

function readCache(): CellCache {
  if (!args.cache || !fs.existsSync(args.cache)) return {};
  return JSON.parse(fs.readFileSync(args.cache, 'utf8')) as CellCache;
}

function writeCache(cache: CellCache): void {
  if (!args.cache) return;
  const tmp = `${args.cache}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cache, null, 1));
  fs.renameSync(tmp, args.cache);
}

function cellKey(task: Task, set: FeatureSet, seed: number): string {
  return [task.id, set.name, set.source, `seed ${seed}`, `preset ${args.preset}`, args.quick ? 'quick' : 'full', args.epochs ? `epochs ${args.epochs}` : 'epochs by size'].join(' | ');
}

interface CellResult {
  metrics: RegressionMetrics;
  trainRows: number;
  testRows: number;
  /** Per split: epochs run, best epoch (0-based), why it stopped; and the settings used. */
  training: { epochs: number; batchSize: number; epochsRun: number; bestEpoch: number; stoppedBy: string }[];
}

function trainingSettings(trainRows: number, rowEpochs?: number): { epochs: number; batchSize: number } {
  const preset = PRESETS[isPresetName(args.preset) ? args.preset : 'tuned'];
  if (args.epochs) return { epochs: Number(args.epochs), batchSize: preset.batchSize };
  if (args.quick) return { epochs: rowEpochs ?? QUICK.epochs, batchSize: preset.batchSize };
  return { epochs: rowEpochs ?? fullRunEpochs(trainRows), batchSize: trainRows >= FULL.largeRows ? FULL.largeBatch : preset.batchSize };
}

/** Splits `magpie+gan-frac@l1@e40*3` into its feature names, loss, epochs and ensemble size. */
export function parseFeatureSetName(name: string): { featureNames: string[]; loss?: RegressionLoss; epochs?: number; widthFactor?: number; members: number } {
  const [withoutMembers, membersText] = name.split('*');
  const members = membersText === undefined ? 1 : Number(membersText);
  if (!Number.isInteger(members) || members < 1) throw new Error(`bad ensemble size *${membersText} in ${name}`);
  const [featureName, ...suffixes] = withoutMembers.split('@');
  let loss: RegressionLoss | undefined;
  let epochs: number | undefined;
  let widthFactor: number | undefined;
  for (const suffix of suffixes) {
    const numbered = /^([ew])(\d+)$/.exec(suffix);
    if (suffix === 'l1') loss = 'l1';
    else if (numbered && Number(numbered[2]) > 0 && numbered[1] === 'e') epochs = Number(numbered[2]);
    else if (numbered && Number(numbered[2]) > 0) widthFactor = Number(numbered[2]);
    else throw new Error(`unknown suffix @${suffix} in ${name} (@l1, @eN or @wN)`);
  }
  return { featureNames: featureName.split('+'), members, ...(loss ? { loss } : {}), ...(epochs ? { epochs } : {}), ...(widthFactor ? { widthFactor } : {}) };
}

async function runCell(features: Float32Array, dim: number, records: CompositionRecord[], splits: Split[], seed: number, row: Pick<FeatureSet, 'loss' | 'members' | 'epochs' | 'widthFactor'>): Promise<CellResult> {
  const { loss, members = 1, widthFactor = 1 } = row;
  const preset = PRESETS[isPresetName(args.preset) ? args.preset : 'tuned'];
  const truth: number[] = [];
  const predicted: number[] = [];
  const training: CellResult['training'] = [];
  let trainRows = 0;
  for (const split of splits) {
    const train = cap(split.train, QUICK.trainRows, seed);
    const stop = cap(split.stop, QUICK.trainRows / 4, seed + 1);
    const test = cap(split.test, QUICK.testRows, seed + 2);
    trainRows += train.length;
    const settings = trainingSettings(train.length, row.epochs);
    const result = await trainEnsemble(matrixOf(features, dim, records, train), matrixOf(features, dim, records, stop), {
      preset: { ...preset, batchSize: settings.batchSize, hidden: preset.hidden.map((width) => width * widthFactor) }, seed, members, epochs: settings.epochs, loss,
    });
    for (const report of result.memberReports) training.push({ ...settings, epochsRun: report.epochsRun, bestEpoch: report.bestEpoch, stoppedBy: report.stoppedBy });
    // The test rows are touched once, after training, through the exported (folded) networks;
    // an ensemble predicts the mean of its members.
    const w = result.weights;
    const nets = w.members.map((m) => compileNetwork(m, dim));
    const scratch = new Float64Array(2 * Math.max(...nets.map((n) => n.maxWidth)));
    const input = new Float64Array(dim);
    for (const r of test) {
      for (let j = 0; j < dim; j++) input[j] = (features[r * dim + j] - w.inputMean[j]) / w.inputStd[j];
      const mean = nets.reduce((sum, net) => sum + forwardOne(net, input, scratch), 0) / nets.length;
      predicted.push(mean * w.targetStd + w.targetMean);
      truth.push(records[r].target);
    }
  }
  return { metrics: regressionMetrics(truth, predicted), trainRows: Math.round(trainRows / splits.length), testRows: truth.length, training };
}

function meanStd(values: number[]): string {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  if (values.length < 2) return m.toFixed(4);
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
  return `${m.toFixed(4)} ± ${sd.toFixed(4)}`;
}

function ganRunNote(runDir: string | undefined): string {
  if (!runDir) return 'no composition-GAN run given (--gan-run): gan and gan-frac not run';
  const runJson = path.join(runDir, 'run.json');
  if (!fs.existsSync(runJson)) return `embeddings from ${runDir}`;
  const info = JSON.parse(fs.readFileSync(runJson, 'utf8')) as { id?: string; config?: Record<string, unknown>; summary?: Record<string, unknown>; createdAt?: string; finishedAt?: string; updatedAt?: string };
  const minutes = info.createdAt ? ((Date.parse(info.finishedAt ?? info.updatedAt ?? info.createdAt) - Date.parse(info.createdAt)) / 60000).toFixed(1) : '?';
  return `embeddings from run ${info.id ?? runDir} at generator step ${ganStep(runDir)} (${minutes} min wall time; config ${JSON.stringify(info.config ?? {})}; summary ${JSON.stringify(info.summary ?? {})})`;
}

/** The checkpoint step the run's embeddings.json was exported at. */
function ganStep(runDir: string): string {
  const file = path.join(runDir, 'embeddings.json');
  if (!fs.existsSync(file)) return '?';
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { source?: { runId?: string; step?: number } };
  return String(json.source?.step ?? '?');
}

function buildFeatureSets(names: string[], dataDir: string): FeatureSet[] {
  const runDir = args['gan-run'];
  const ganSource = runDir ? `gan ${path.resolve(runDir)} step ${ganStep(runDir)}` : 'none';
  return names.map((name) => {
    const { featureNames, loss, epochs, widthFactor, members } = parseFeatureSetName(name);
    const parts = featureNames.map((part) => {
      if (!(FEATURIZER_NAMES as readonly string[]).includes(part)) throw new Error(`unknown featurizer ${part} in ${name}`);
      return createFeaturizer(part as FeaturizerName, { dataDir, runDir });
    });
    const usesGan = parts.some((f) => f.name === 'gan' || f.name === 'gan-frac');
    const set = concatenated(parts, usesGan ? ganSource : 'tables');
    return { ...set, name, members, ...(loss ? { loss } : {}), ...(epochs ? { epochs } : {}), ...(widthFactor ? { widthFactor } : {}) };
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const backend = await initBackend('auto');
  const dataDir = resolveDataDir().path;
  const elements = new Set(loadElements85(dataDir));
  const seeds = (args.seeds ?? '1').split(',').map(Number);
  const defaultSets = [...FEATURIZER_NAMES, 'magpie+gan-frac'];
  const wanted = (args.featurizers ?? defaultSets.join(',')).split(',');
  const names = wanted.filter((f) => (f.includes('gan') ? Boolean(args['gan-run']) : true));
  const tasks = args.datasets ? TASKS.filter((t) => args.datasets!.split(',').includes(t.id)) : TASKS;
  const sections: string[] = [];
  const summary: SummaryRow[] = [];
  const sets = buildFeatureSets(names, dataDir);
  // One timing per featurizer: concatenations and loss variants reuse the same features.
  const baseNames = [...new Set(names.flatMap((name) => parseFeatureSetName(name).featureNames))];
  const speed = featurizationSpeed(buildFeatureSets(baseNames, dataDir), dataDir);
  const cache = readCache();
  for (const task of tasks) {
    const cells = new Map<string, Cell>(sets.map((set) => [set.name, { metrics: [], seconds: 0, trainRows: 0, testRows: 0, training: [] }]));
    let dropped = 0, rows = 0, splitLabel = '';
    for (const seed of seeds) {
      const loaded = task.load(dataDir, elements, seed);
      dropped = loaded.dropped;
      rows = loaded.records.length;
      splitLabel = loaded.splits.map((s) => s.label).join('; ');
      for (const set of sets) {
        const cell = cells.get(set.name)!;
        const key = cellKey(task, set, seed);
        let result = cache[key];
        if (!result && args['cached-only']) continue;
        if (!result) {
          const features = set.featurize(loaded.records.map((r) => r.composition));
          const t1 = Date.now();
          const fresh = await runCell(features, set.dim, loaded.records, loaded.splits, seed, set);
          result = { ...fresh, seconds: (Date.now() - t1) / 1000, finishedAt: new Date().toISOString() };
          cache[key] = result;
          writeCache(cache);
        }
        cell.seconds += result.seconds;
        cell.metrics.push(result.metrics);
        cell.trainRows = result.trainRows;
        cell.testRows = result.testRows;
        cell.training.push(...result.training);
        const m = result.metrics;
        console.error(`${task.id} ${set.name} seed ${seed}: MAE ${m.mae.toFixed(4)} RMSE ${m.rmse.toFixed(4)} R² ${m.r2.toFixed(3)} (${result.trainRows} train, ${result.testRows} test rows, ${result.seconds.toFixed(0)} s${cache[key].finishedAt < new Date(started).toISOString() ? ', cached' : ''}) ${new Date().toISOString()}`);
      }
    }
    for (const [name, c] of cells) if (c.metrics.length === 0) cells.delete(name);
    sections.push(section(task, cells, rows, dropped, splitLabel));
    summary.push({
      task,
      mae: new Map([...cells].map(([name, c]) => [name, c.metrics.reduce((s, m) => s + m.mae, 0) / c.metrics.length])),
      seeds: new Map([...cells].map(([name, c]) => [name, c.metrics.length])),
    });
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const trainingMinutes = (Object.values(cache).reduce((s, c) => s + c.seconds, 0) / 60).toFixed(1);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, report(sections, seeds, backend.kernels, minutes, trainingMinutes, sets.map((f) => f.name), speed, summary));
  console.error(`wrote ${args.out} in ${minutes} min`);
}

interface SummaryRow {
  task: Task;
  mae: Map<string, number>;
  /** Seeds averaged into each MAE. */
  seeds: Map<string, number>;
}

/** The summary table and the issue's targets, stated as reached or not. */
function summarySection(rows: SummaryRow[], names: string[]): string[] {
  // One row per feature set (there are more of them than data sets); "(n)" = mean over n seeds.
  const lines = ['## Summary: MAE per data set and features (lower is better; "(3)" = mean over 3 seeds)', '', `| features | ${rows.map((r) => r.task.id).join(' | ')} |`, `|---|${rows.map(() => '---|').join('')}`];
  const cellText = (row: SummaryRow, name: string) => {
    const mae = row.mae.get(name);
    if (mae === undefined) return '–';
    const seeds = row.seeds.get(name) ?? 1;
    return `${mae.toFixed(4)}${seeds > 1 ? ` (${seeds})` : ''}`;
  };
  for (const name of names) lines.push(`| ${name} | ${rows.map((row) => cellText(row, name)).join(' | ')} |`);
  lines.push(`| **best** | ${rows.map((row) => [...row.mae].sort((a, b) => a[1] - b[1])[0]?.[0] ?? '–').join(' | ')} |`, '');
  const ganVersusMagpie = (magpie: string, gans: string[]) => {
    const withBoth = rows.filter((r) => r.mae.has(magpie) && gans.some((g) => r.mae.has(g)));
    if (withBoth.length === 0) return;
    const wins = (gan: string) => withBoth.filter((r) => r.mae.has(gan) && r.mae.get(gan)! <= r.mae.get(magpie)!).length;
    const counts = gans.filter((g) => names.includes(g)).map((g) => `\`${g}\` on ${wins(g)} of ${withBoth.length}`);
    lines.push(`- **GAN ≥ Magpie (MAE no worse), target 4 of 6 data sets, against \`${magpie}\`:** ${counts.join(', ')} — ${Math.max(...gans.map(wins)) >= 4 ? 'reached' : 'not reached'}.`);
  };
  ganVersusMagpie('magpie', ['gan', 'gan-frac']);
  ganVersusMagpie('magpie@l1', ['gan@l1', 'gan-frac@l1']);
  const target = (id: string, goal: number, what: string) => {
    const row = rows.find((r) => r.task.id === id);
    if (!row || row.mae.size === 0) return;
    const best = [...row.mae].sort((a, b) => a[1] - b[1])[0];
    lines.push(`- **${what} ≤ ${goal}:** best ${best[1].toFixed(4)} (${best[0]}) — ${best[1] <= goal ? 'reached' : 'not reached'}.`);
  };
  target('oqmd_bandgap', 0.055, 'OQMD band-gap val MAE (eV)');
  target('expt_gap_matbench', 0.4, 'expt_gap_matbench 5-fold MAE (eV)');
  return [...lines, ''];
}

function section(task: Task, cells: Map<string, Cell>, rows: number, dropped: number, splitLabel: string): string {
  const info: DatasetInfo = DATASETS[task.dataset];
  const lines = [
    `### ${task.id} (${info.target?.description ?? ''}, ${task.unit})`,
    '',
    `Protocol: ${task.protocol}. ${rows.toLocaleString('en')} rows after cleaning (${dropped} skipped: outside the 85 elements, duplicates, unparsable). Splits: ${splitLabel}.`,
    '',
    '| featurizer | seeds | MAE | RMSE | R² | train rows | reported rows | epochs (batch) | best epoch / run | train s |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, c] of cells) {
    const first = c.training[0];
    const epochs = first ? `${first.epochs} (${first.batchSize})` : '–';
    const best = c.training.map((t) => `${t.bestEpoch + 1}/${t.epochsRun}`).join(', ');
    lines.push(`| ${name} | ${c.metrics.length} | ${meanStd(c.metrics.map((m) => m.mae))} | ${meanStd(c.metrics.map((m) => m.rmse))} | ${meanStd(c.metrics.map((m) => m.r2))} | ${c.trainRows.toLocaleString('en')} | ${c.testRows.toLocaleString('en')} | ${epochs} | ${best} | ${c.seconds.toFixed(0)} |`);
  }
  lines.push('', `Published anchors (method §10): ${task.anchors}.`, '');
  return lines.join('\n');
}

/** Wall time to featurize the first 100,000 GAN-training formulas (already parsed), best of 3 runs. */
function featurizationSpeed(featurizers: FeatureSet[], dataDir: string): string {
  const compositions = loadDataset('gan_train_oqmd', 'oqmd', { dataDir }).records.slice(0, 100_000).map((r) => r.composition);
  return featurizers.map((f) => {
    let best = Infinity, bestCpu = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      f.featurize(compositions);
      const cpu = process.cpuUsage(c0);
      best = Math.min(best, performance.now() - t0);
      bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
    }
    // CPU time as well as wall time: on a shared machine the wall time mostly measures the queue.
    return `${f.name} ${best.toFixed(0)} ms wall / ${bestCpu.toFixed(0)} ms CPU`;
  }).join(', ') + ` for ${compositions.length.toLocaleString('en')} formulas (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`;
}

function report(sections: string[], seeds: number[], backend: string, minutes: string, trainingMinutes: string, featurizers: string[], speed: string, summary: SummaryRow[]): string {
  const preset = isPresetName(args.preset) ? args.preset : 'tuned';
  return [
    '# Representations: one-hot vs Magpie vs GAN embeddings',
    '',
    `Generated by \`npx tsx scripts/experiment-representations.ts ${process.argv.slice(2).join(' ')}\` on ${new Date().toISOString().slice(0, 10)}; this invocation ${minutes} min wall, ${trainingMinutes} min of cell training in total (cells reused from --cache included), tfjs backend: ${backend}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores at the end.`,
    '',
    args.quick
      ? `**QUICK RUN — subsampled, not comparable with the anchors.** Training ≤ ${QUICK.trainRows.toLocaleString('en')} rows per split, reported split ≤ ${QUICK.testRows.toLocaleString('en')} rows, ${QUICK.epochs} epochs, one network, seed(s) ${seeds.join(', ')}. It shows the pipeline and the ordering of representations at small data, nothing more. The full run (\`npm run experiment:representations\`) trains on all rows.`
      : `Full run: all rows of every split; seed(s) ${seeds.join(', ')}${seeds.length > 1 ? ' (mean ± sample std over seeds)' : ' (one seed: no spread is given, differences of a few percent may be seed noise)'}; ${args.epochs ? `${args.epochs} epochs` : `epochs = min(${FULL.maxEpochs}, max(${FULL.minEpochs}, round(${FULL.rowEpochs.toLocaleString('en')} / training rows))), batch ${FULL.largeBatch} for splits with ≥ ${FULL.largeRows.toLocaleString('en')} training rows, else 256`}; early stopping (patience of the preset) on the early-stopping rows; one network per cell, except rows named \`*N\` (the mean of N networks with different seeds). Row suffixes: \`@l1\` trains with the L1 loss instead of the paper's squared error, \`@eN\` for N epochs instead of the budget's, \`@wN\` with every hidden layer N times wider than the paper's.`,
    '',
    ...summarySection(summary, featurizers),
    '',
    `Model: the paper's MLP (F→128→128→64→64→32→32→1, Dense + BatchNorm blocks), preset \`${preset}\` (src/ml/regressor/presets.ts), the same settings for every feature set unless a row's suffix says otherwise, inputs and target standardised on the training rows, best epoch chosen on the early-stopping rows only; reported rows are touched once, after training. Featurizers: ${featurizers.join(', ')}. GAN: ${ganRunNote(args['gan-run'])}.`,
    '',
    `Featurization speed (parsed compositions → Float32Array, in process): ${speed}.`,
    '',
    'Where the published test split is withheld, the reported rows are the published val split (same distribution as the anchors\' test split, not the same rows). The anchors are other models (CrabNet, Roost, random forests) with their own tuning.',
    '',
    ...sections,
  ].join('\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
