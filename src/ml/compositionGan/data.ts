// Training data for the composition GAN: a CSV with a `formula` column (OQMD or ICSD lists),
// each formula parsed and encoded as 85 integer counts. Rows that do not fit (parse errors,
// counts above 8, fractional counts, elements outside the 85) are skipped and reported with
// their line numbers, never silently dropped. Then a seeded 90/10 train/held-out split and an
// endless, reshuffled-per-epoch batch stream whose position can be checkpointed.
import { readCsv, type SkippedRow } from '../../core/data/csv';
import { parseFormula } from '../../core/chem/formula';
import { countsToMatrix, ELEMENT_COUNT, ELEMENTS_85, encodeCountVector, MATRIX_SIZE } from '../../core/features/encoding';
import { SeededRng } from './rng';

export interface FormulaCounts {
  /** Row-major [n, 85] integer counts. */
  counts: Uint8Array;
  n: number;
  /** The formula text of each kept row (for novelty checks downstream). */
  formulas: string[];
  skipped: SkippedRow[];
}

export class TrainingDataError extends Error {}

/** Reads and encodes a formula CSV; throws TrainingDataError when the file is unusable as a whole. */
export function loadFormulaCounts(file: string): FormulaCounts {
  let table;
  try {
    table = readCsv(file);
  } catch (error) {
    throw new TrainingDataError(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!table.columns.includes('formula')) {
    throw new TrainingDataError(`${file}:1: no \`formula\` column (columns: ${table.columns.join(', ') || 'none'}); the file needs a header row with a formula column`);
  }
  const counts = new Uint8Array(table.records.length * ELEMENT_COUNT);
  const formulas: string[] = [];
  const skipped: SkippedRow[] = [];
  for (const record of table.records) {
    const text = (record.values.formula ?? '').trim();
    const parsed = parseFormula(text);
    if (!parsed.ok) {
      skipped.push({ file, line: record.line, reason: text ? 'formula does not parse' : 'empty formula', value: text ? `${text} (column ${parsed.column}: ${parsed.error})` : '' });
      continue;
    }
    const encoded = encodeCountVector(parsed.elements);
    if (!encoded.ok) {
      skipped.push({ file, line: record.line, reason: encodingReasonClass(encoded.reason), value: `${text}: ${encoded.reason}` });
      continue;
    }
    counts.set(encoded.value, formulas.length * ELEMENT_COUNT);
    formulas.push(text);
  }
  if (formulas.length === 0) throw new TrainingDataError(`${file}: no usable formula (${skipped.length} rows skipped${skipped[0] ? `; line ${skipped[0].line}: ${skipped[0].value}` : ''})`);
  return { counts: counts.slice(0, formulas.length * ELEMENT_COUNT), n: formulas.length, formulas, skipped };
}

/** Groups the encoder's reasons into a few classes for run.json's skippedRows summary. */
function encodingReasonClass(reason: string): string {
  if (reason.includes('outside the 85')) return 'element outside the 85-element vocabulary';
  if (reason.includes('not an integer')) return 'fractional count';
  if (reason.includes('exceeds')) return 'count above 8';
  return 'cannot be encoded';
}

/** Seeded split of row indices into train (90 %) and held-out (10 %, at least 1 when n ≥ 2). */
export function splitIndices(n: number, seed: number, heldOutFraction = 0.1): { train: Int32Array; heldOut: Int32Array } {
  const order = new SeededRng(seed ^ 0x51171).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const heldOutSize = n >= 2 ? Math.max(1, Math.round(n * heldOutFraction)) : 0;
  return { heldOut: order.slice(0, heldOutSize).sort(), train: order.slice(heldOutSize).sort() };
}

/** Fills one-hot matrices for the given rows into a fresh Float32Array [rows, 85, 8]. */
export function matricesFor(data: FormulaCounts, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * MATRIX_SIZE);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    countsToMatrix(data.counts.subarray(row * ELEMENT_COUNT, (row + 1) * ELEMENT_COUNT), out, i * MATRIX_SIZE);
  }
  return out;
}

/** Where a batch stream stands: the current epoch's order and the next position in it. */
export interface StreamPosition {
  epoch: number;
  cursor: number;
  order: Int32Array;
}

/**
 * Endless batches over the training rows: each epoch is a fresh shuffle (drawn from the training
 * RNG) and the last incomplete batch of an epoch is dropped, as the reference code does.
 */
export class BatchStream {
  readonly batchSize: number;
  position: StreamPosition;

  constructor(private readonly data: FormulaCounts, private readonly rows: Int32Array, batchSize: number, rng: SeededRng, position?: StreamPosition) {
    this.batchSize = Math.min(batchSize, rows.length);
    this.position = position ?? { epoch: 0, cursor: 0, order: rng.shuffle(Int32Array.from(rows)) };
  }

  /** Batches in one epoch. */
  get batchesPerEpoch(): number {
    return Math.floor(this.rows.length / this.batchSize);
  }

  next(rng: SeededRng): Float32Array {
    if (this.position.cursor + this.batchSize > this.position.order.length) {
      this.position = { epoch: this.position.epoch + 1, cursor: 0, order: rng.shuffle(Int32Array.from(this.rows)) };
    }
    const { cursor, order } = this.position;
    this.position.cursor += this.batchSize;
    return matricesFor(this.data, order.subarray(cursor, cursor + this.batchSize));
  }
}

/** The composition of one encoded row: element symbol → count, as written. */
export function rowComposition(data: FormulaCounts, row: number): Record<string, number> {
  const composition: Record<string, number> = {};
  const start = row * ELEMENT_COUNT;
  for (let e = 0; e < ELEMENT_COUNT; e++) if (data.counts[start + e] > 0) composition[ELEMENTS_85[e]] = data.counts[start + e];
  return composition;
}

/**
 * Keeps the rows whose composition passes `keep` (e.g. MatGAN's CN + EB check, as MatGAN trained on
 * CN/EB-filtered ICSD) and says how many it dropped. Skipped rows of the file stay reported as they were.
 */
export function filterFormulaCounts(data: FormulaCounts, keep: (composition: Record<string, number>) => boolean): { data: FormulaCounts; dropped: number } {
  const kept: number[] = [];
  for (let row = 0; row < data.n; row++) if (keep(rowComposition(data, row))) kept.push(row);
  const counts = new Uint8Array(kept.length * ELEMENT_COUNT);
  kept.forEach((row, i) => counts.set(data.counts.subarray(row * ELEMENT_COUNT, (row + 1) * ELEMENT_COUNT), i * ELEMENT_COUNT));
  return { data: { counts, n: kept.length, formulas: kept.map((row) => data.formulas[row]), skipped: data.skipped }, dropped: data.n - kept.length };
}
