// The composition data sets (../shared/data/composition, method §10): loading with parsed formulas,
// row-level reports of dirty rows, and seeded splits (random, by Matbench fold, and grouped by
// reduced composition so one composition never sits on both sides of a split).
import path from 'node:path';
import { readCsv, type CsvTable, type SkippedRow } from './csv';
import { resolveDataDir } from './dataDir';
import { parseComposition } from '../features/parse';
import type { ElementAmounts } from '../features/types';

export interface DatasetInfo {
  folder: string;
  /** File of each published part. */
  parts: Record<string, string>;
  /** Target column, its meaning and unit; undefined for formula-only sets. */
  target?: { column: string; description: string; unit: string };
  /** Column holding the official Matbench test fold (0-4). */
  foldColumn?: string;
}

const gap = (description: string) => ({ column: 'target', description, unit: 'eV' });
const ef = (description: string) => ({ column: 'target', description, unit: 'eV/atom' });

export const DATASETS = {
  oqmd_bandgap: { folder: 'oqmd_bandgap', parts: { train: 'train.csv', val: 'val.csv' }, target: gap('PBE band gap (OQMD)') },
  oqmd_hf: { folder: 'oqmd_hf', parts: { val: 'val.csv' }, target: ef('formation enthalpy (OQMD)') },
  mp_hf_critexam: { folder: 'mp_hf_critexam', parts: { train: 'train.csv', val: 'val.csv' }, target: ef('formation energy (MP, Bartel 2020)') },
  hu2020_mp_bandgap: { folder: 'hu2020_mp_bandgap', parts: { all: 'mp_bandgap.csv' }, target: gap('PBE band gap (MP, Hu 2020 set)') },
  expt_gap_matbench: { folder: 'expt_gap_matbench', parts: { all: 'expt_gap.csv' }, target: gap('experimental band gap (Matbench)'), foldColumn: 'fold' },
  mp_gap_matbench: { folder: 'mp_gap_matbench', parts: { all: 'mp_gap.csv' }, target: gap('PBE band gap (Matbench)'), foldColumn: 'fold' },
  mp_e_form_matbench: { folder: 'mp_e_form_matbench', parts: { all: 'mp_e_form.csv' }, target: ef('formation energy (Matbench)'), foldColumn: 'fold' },
  hu2020_supercon_tc: { folder: 'hu2020_supercon_tc', parts: { all: 'supercon_tc.csv' }, target: { column: 'target', description: 'superconducting Tc', unit: 'K' } },
  supercon_stanev2018: { folder: 'supercon_stanev2018', parts: { all: 'supercon.csv' }, target: { column: 'target', description: 'superconducting Tc (0 = none reported)', unit: 'K' } },
  roost_mp_nonmetals_gap: { folder: 'roost_mp_nonmetals_gap', parts: { all: 'mp-non-metals.csv' }, target: gap('PBE band gap of non-metals (MP)') },
  roost_expt_nonmetals_gap: { folder: 'roost_expt_nonmetals_gap', parts: { all: 'expt-non-metals.csv' }, target: gap('experimental band gap of non-metals') },
  zhuo2018_expt_gap_raw: { folder: 'zhuo2018_expt_gap_raw', parts: { all: 'expt_bandgaps.csv' }, target: gap('experimental band gap (raw list)') },
  gan_train_oqmd: { folder: 'gan_train_oqmd', parts: { oqmd: 'oqmd_formulas.csv', icsd: 'icsd_formulas.csv' } },
} satisfies Record<string, DatasetInfo>;

export type DatasetId = keyof typeof DATASETS;

export function isDatasetId(id: string): id is DatasetId {
  return id in DATASETS;
}

export interface CompositionRecord {
  formula: string;
  composition: ElementAmounts;
  /** NaN for formula-only sets. */
  target: number;
  /** 1-based line in the file. */
  line: number;
  /** Official Matbench test fold, when the set has one. */
  fold?: number;
}

export interface CompositionDataset {
  file: string;
  records: CompositionRecord[];
  skipped: SkippedRow[];
}

/** What to do with a formula string seen before: skip it (reported), average the targets, or keep every row. */
export type DuplicatePolicy = 'skip' | 'mean' | 'keep';

export interface CompositionLoadOptions {
  formulaColumn?: string;
  /** Target column; undefined for formula-only files. */
  targetColumn?: string;
  foldColumn?: string;
  /** Element vocabulary (e.g. the 85 elements): formulas using others are skipped with a reason. */
  elements?: ReadonlySet<string>;
  duplicates?: DuplicatePolicy;
}

/** Reasons for skipped rows (SkippedRow.reason); the details go into SkippedRow.value. */
export const SKIP_REASONS = {
  missingFormula: 'missing formula',
  unknownElement: 'unknown element symbol',
  malformed: 'malformed formula',
  outsideVocabulary: 'element outside the vocabulary',
  badTarget: 'non-numeric target',
  badFold: 'invalid fold',
  duplicate: 'duplicate formula',
} as const;

export function parseCompositionTable(table: CsvTable, options: CompositionLoadOptions = {}): CompositionDataset {
  const formulaColumn = options.formulaColumn ?? 'formula';
  for (const column of [formulaColumn, options.targetColumn, options.foldColumn]) {
    if (column && !table.columns.includes(column)) {
      throw new Error(`${table.file}: no column '${column}' (columns: ${table.columns.join(', ')})`);
    }
  }
  const records: CompositionRecord[] = [];
  const skipped: SkippedRow[] = [];
  const firstSeen = new Map<string, { index: number; line: number; sum: number; count: number }>();
  const skip = (line: number, reason: string, value: string) => skipped.push({ file: table.file, line, reason, value });

  for (const { line, values } of table.records) {
    const formula = (values[formulaColumn] ?? '').trim();
    if (!formula) {
      skip(line, SKIP_REASONS.missingFormula, '');
      continue;
    }
    const parsed = parseComposition(formula);
    if (!parsed.ok) {
      const reason = parsed.error.startsWith('unknown element') ? SKIP_REASONS.unknownElement : SKIP_REASONS.malformed;
      skip(line, reason, `${formula}: ${parsed.error} (column ${parsed.column})`);
      continue;
    }
    const outside = options.elements ? parsed.composition.symbols.filter((s) => !options.elements!.has(s)) : [];
    if (outside.length) {
      skip(line, SKIP_REASONS.outsideVocabulary, `${formula}: ${outside.join(', ')}`);
      continue;
    }
    const target = options.targetColumn ? parseNumber(values[options.targetColumn]) : NaN;
    if (options.targetColumn && Number.isNaN(target)) {
      skip(line, SKIP_REASONS.badTarget, `${formula}: '${values[options.targetColumn] ?? ''}'`);
      continue;
    }
    const record: CompositionRecord = { formula, composition: parsed.composition, target, line };
    if (options.foldColumn) {
      const fold = Number(values[options.foldColumn]);
      if (!Number.isInteger(fold) || fold < 0) {
        skip(line, SKIP_REASONS.badFold, `${formula}: '${values[options.foldColumn]}'`);
        continue;
      }
      record.fold = fold;
    }
    const seen = firstSeen.get(formula);
    if (seen && options.duplicates !== 'keep') {
      skip(line, SKIP_REASONS.duplicate, `${formula} (first on line ${seen.line})`);
      seen.sum += target;
      seen.count++;
      continue;
    }
    firstSeen.set(formula, { index: records.length, line, sum: target, count: 1 });
    records.push(record);
  }
  if (options.duplicates === 'mean') {
    for (const seen of firstSeen.values()) if (seen.count > 1) records[seen.index].target = seen.sum / seen.count;
  }
  return { file: table.file, records, skipped };
}

function parseNumber(text: string | undefined): number {
  const t = (text ?? '').trim();
  if (t === '') return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

export function loadCompositionCsv(file: string, options: CompositionLoadOptions = {}): CompositionDataset {
  return parseCompositionTable(readCsv(file), options);
}

export interface DatasetLoadOptions {
  dataDir?: string;
  elements?: ReadonlySet<string>;
  duplicates?: DuplicatePolicy;
}

/** Loads one part (train, val, all, …) of a known data set from the data directory. */
export function loadDataset(id: DatasetId, part: string, options: DatasetLoadOptions = {}): CompositionDataset {
  const info: DatasetInfo = DATASETS[id];
  const fileName = info.parts[part];
  if (!fileName) throw new Error(`data set ${id} has no part '${part}' (parts: ${Object.keys(info.parts).join(', ')})`);
  const dataDir = options.dataDir ?? resolveDataDir().path;
  return loadCompositionCsv(path.join(dataDir, 'composition', info.folder, fileName), {
    targetColumn: info.target?.column,
    foldColumn: info.foldColumn,
    elements: options.elements,
    duplicates: options.duplicates,
  });
}

// ---- seeded randomness and splits ----

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}

/** 0..n-1 in a seeded random order (Fisher–Yates). */
export function shuffledIndices(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Seeded random split of n rows by fractions (e.g. [0.8, 0.2]); the last part takes the remainder. */
export function randomSplit(n: number, fractions: readonly number[], seed: number): Int32Array[] {
  const order = shuffledIndices(n, createRandom(seed));
  return cutByFractions(order, fractions, (i) => i);
}

/**
 * Seeded split in which rows with the same key (e.g. the reduced composition) always land in the
 * same part. Groups are shuffled, then filled into parts in order until each reaches its share of rows.
 */
export function groupSplit(keys: readonly string[], fractions: readonly number[], seed: number): Int32Array[] {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const members = [...groups.values()];
  const order = shuffledIndices(members.length, createRandom(seed));
  const total = fractions.reduce((s, f) => s + f, 0);
  const parts: number[][] = fractions.map(() => []);
  let part = 0;
  let filled = 0;
  for (const g of order) {
    while (part < fractions.length - 1 && filled >= (keys.length * cumulative(fractions, part)) / total) part++;
    parts[part].push(...members[g]);
    filled += members[g].length;
  }
  return parts.map((p) => Int32Array.from(p.sort((a, b) => a - b)));
}

function cumulative(fractions: readonly number[], upTo: number): number {
  let s = 0;
  for (let i = 0; i <= upTo; i++) s += fractions[i];
  return s;
}

function cutByFractions(order: Int32Array, fractions: readonly number[], map: (i: number) => number): Int32Array[] {
  const total = fractions.reduce((s, f) => s + f, 0);
  const parts: Int32Array[] = [];
  let start = 0;
  fractions.forEach((f, k) => {
    const end = k === fractions.length - 1 ? order.length : start + Math.round((order.length * f) / total);
    parts.push(Int32Array.from(order.subarray(start, end), map));
    start = end;
  });
  return parts;
}

/** Matbench protocol: train on folds ≠ k, test on fold k. */
export function foldSplit(records: readonly CompositionRecord[], testFold: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  records.forEach((r, i) => {
    if (r.fold === undefined) throw new Error(`line ${r.line}: no fold`);
    (r.fold === testFold ? test : train).push(i);
  });
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
