// What every featurizer consumes and produces. A composition arrives as parallel arrays of element
// symbols and amounts *as written* (Fe4O6 stays 4 and 6); each featurizer decides whether it uses
// raw amounts or fractions. Computation is web-safe (no Node imports): the tables it needs are
// loaded elsewhere (tables.ts, Node) and passed in.

/** A composition as parallel arrays: element symbols (each once) and their amounts as written. */
export interface ElementAmounts {
  readonly symbols: readonly string[];
  readonly amounts: readonly number[];
}

export type FeaturizerName = 'onehot' | 'magpie' | 'magpie145' | 'gan' | 'gan-frac';

export const FEATURIZER_NAMES: readonly FeaturizerName[] = ['onehot', 'magpie', 'magpie145', 'gan', 'gan-frac'];

export interface Featurizer {
  readonly name: FeaturizerName;
  /** Length of one feature vector. */
  readonly dim: number;
  /** One label per feature, e.g. `MagpieData mean Number`. */
  readonly labels: readonly string[];
  /** Writes the `dim` features of one composition into `out` from `offset`; throws FeaturizeError. */
  featurizeInto(composition: ElementAmounts, out: Float64Array | Float32Array, offset: number): void;
}

/** A composition the featurizer cannot represent (an element outside its table, a bad amount). */
export class FeaturizeError extends Error {}

/** Features of one composition as a fresh Float64Array. */
export function featurize(featurizer: Featurizer, composition: ElementAmounts): Float64Array {
  const out = new Float64Array(featurizer.dim);
  featurizer.featurizeInto(composition, out, 0);
  return out;
}

/** Features of many compositions as one row-major Float32Array (rows × dim). */
export function featurizeMany(featurizer: Featurizer, compositions: readonly ElementAmounts[]): Float32Array {
  const out = new Float32Array(compositions.length * featurizer.dim);
  compositions.forEach((c, i) => featurizer.featurizeInto(c, out, i * featurizer.dim));
  return out;
}

/**
 * Looks up each symbol's row in a table into `rows` (reused between calls: featurizing 100k
 * formulas must not allocate per formula), throwing a FeaturizeError that names the element.
 * Returns the number of elements.
 */
export function elementRows(composition: ElementAmounts, rowOf: ReadonlyMap<string, number>, tableName: string, rows: Int32Array): number {
  const n = composition.symbols.length;
  if (n > rows.length) throw new FeaturizeError(`${n} elements: at most ${rows.length} are supported`);
  for (let i = 0; i < n; i++) {
    const symbol = composition.symbols[i];
    const row = rowOf.get(symbol);
    if (row === undefined) throw new FeaturizeError(`element ${symbol} is not in the ${tableName} table`);
    const amount = composition.amounts[i];
    if (!(amount > 0) || !Number.isFinite(amount)) throw new FeaturizeError(`amount of ${symbol} must be a positive number, got ${amount}`);
    rows[i] = row;
  }
  return n;
}

/**
 * elementRows, plus each element's atomic fraction x_i = amount / Σ amounts into `fractions`
 * (reused scratch, like `rows`). Returns the number of elements.
 */
export function elementFractions(composition: ElementAmounts, rowOf: ReadonlyMap<string, number>, tableName: string, rows: Int32Array, fractions: Float64Array): number {
  const n = elementRows(composition, rowOf, tableName, rows);
  let total = 0;
  for (let i = 0; i < n; i++) total += composition.amounts[i];
  for (let i = 0; i < n; i++) fractions[i] = composition.amounts[i] / total;
  return n;
}

/** Largest number of distinct elements in one composition that the featurizers accept. */
export const MAX_ELEMENTS = 118;
