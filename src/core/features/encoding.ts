// Encodings of a composition for the composition GAN (method-composition-gan.md §1, §2, §9).
// Web-safe: no Node imports.
//
// - The 85-element vocabulary in matrix-row order (H … Pu without He, Ne, Ar, Kr, Po, At, Rn, Fr,
//   Ra), embedded here and checked against <data>/composition/gan_train_oqmd/elements_85.csv by a test.
// - The 85×8 one-hot count matrix: X[e, n-1] = 1 for an element written with integer count n in
//   1..8, stored row-major as Float32Array(85 * 8). Counts are taken as written (Fe4O6 ≠ Fe2O3).
//   Counts above 8, fractional counts and elements outside the 85 are refused with a reason,
//   never clipped (the reference code writes fractional counts silently into slot 8).
// - Our own fraction-aware encoding for formulas that do not fit: the 85-vector of atomic
//   fractions (Σ = 1). It is what the `gan-frac` featurizer and generation filters can use for
//   Ba0.4K0.6Fe2As2-like formulas; it is not a GAN input.
import { parseFormula } from '../chem/formula';

export const ELEMENTS_85: readonly string[] = Object.freeze(
  ('H Li Be B C N O F Na Mg Al Si P S Cl K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Rb Sr Y Zr ' +
    'Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta ' +
    'W Re Os Ir Pt Au Hg Tl Pb Bi Ac Th Pa U Np Pu').split(' '),
);
export const ELEMENT_COUNT = ELEMENTS_85.length;
/** Count slots per element: integer counts 1..MAX_COUNT fit the matrix. */
export const MAX_COUNT = 8;
export const MATRIX_SIZE = ELEMENT_COUNT * MAX_COUNT;

const ROW_OF: ReadonlyMap<string, number> = new Map(ELEMENTS_85.map((e, i) => [e, i] as const));

/** Matrix row of an element, or undefined when it is outside the vocabulary. */
export function elementRow(symbol: string): number | undefined {
  return ROW_OF.get(symbol);
}

export type EncodeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Why a composition does not fit the 85×8 matrix, or undefined when it fits. */
export function whyNotEncodable(elements: Readonly<Record<string, number>>): string | undefined {
  const symbols = Object.keys(elements);
  if (symbols.length === 0) return 'no elements';
  for (const symbol of symbols) {
    const n = elements[symbol];
    if (!ROW_OF.has(symbol)) return `element ${symbol} is outside the 85-element vocabulary`;
    if (!Number.isInteger(n)) return `count ${n} of ${symbol} is not an integer (use the fraction encoding)`;
    if (n < 1) return `count ${n} of ${symbol} is below 1`;
    if (n > MAX_COUNT) return `count ${n} of ${symbol} exceeds ${MAX_COUNT}, the largest count the matrix holds`;
  }
  return undefined;
}

/** The 85-vector of integer counts (the critic's pooling weights n_e), or the reason it does not fit. */
export function encodeCountVector(elements: Readonly<Record<string, number>>): EncodeResult<Uint8Array> {
  const reason = whyNotEncodable(elements);
  if (reason) return { ok: false, reason };
  const counts = new Uint8Array(ELEMENT_COUNT);
  for (const [symbol, n] of Object.entries(elements)) counts[ROW_OF.get(symbol) as number] = n;
  return { ok: true, value: counts };
}

/** Writes the one-hot matrix of an 85-vector of counts (0 = absent) into `out` at `offset`. */
export function countsToMatrix(counts: ArrayLike<number>, out: Float32Array = new Float32Array(MATRIX_SIZE), offset = 0): Float32Array {
  out.fill(0, offset, offset + MATRIX_SIZE);
  for (let e = 0; e < ELEMENT_COUNT; e++) {
    const n = counts[e];
    if (n > 0) out[offset + e * MAX_COUNT + (n - 1)] = 1;
  }
  return out;
}

/** The 85×8 one-hot matrix (row-major Float32Array), or the reason the composition does not fit. */
export function encodeMatrix(elements: Readonly<Record<string, number>>): EncodeResult<Float32Array> {
  const counts = encodeCountVector(elements);
  return counts.ok ? { ok: true, value: countsToMatrix(counts.value) } : counts;
}

/** Parses a formula and encodes it as the 85×8 matrix; parse errors give the column. */
export function encodeFormulaMatrix(formula: string): EncodeResult<Float32Array> {
  const parsed = parseFormula(formula);
  if (!parsed.ok) return { ok: false, reason: `column ${parsed.column}: ${parsed.error}` };
  return encodeMatrix(parsed.elements);
}

/**
 * Our fraction-aware encoding: the 85-vector of atomic fractions (Σ = 1), for formulas with
 * fractional or large counts. Only elements outside the vocabulary are refused.
 */
export function encodeFractions(elements: Readonly<Record<string, number>>): EncodeResult<Float32Array> {
  const out = new Float32Array(ELEMENT_COUNT);
  let total = 0;
  for (const [symbol, n] of Object.entries(elements)) {
    const row = ROW_OF.get(symbol);
    if (row === undefined) return { ok: false, reason: `element ${symbol} is outside the 85-element vocabulary` };
    if (!(n > 0) || !Number.isFinite(n)) return { ok: false, reason: `amount ${n} of ${symbol} must be a positive number` };
    out[row] += n;
    total += n;
  }
  if (total === 0) return { ok: false, reason: 'no elements' };
  for (let e = 0; e < ELEMENT_COUNT; e++) out[e] /= total;
  return { ok: true, value: out };
}

/** MatGAN decoding rule: a cell is on at or above this sigmoid output. */
export const DECODE_THRESHOLD = 0.2;
export const MIN_DECODED_ELEMENTS = 2;
export const MAX_DECODED_ELEMENTS = 8;

/**
 * Decodes one generator output (85×8 row-major) the MatGAN way: cells ≥ threshold are on; when
 * several cells of one element are on, the count is the slot with the largest output (our rule);
 * kept only with 2–8 elements, else undefined. Elements come out in vocabulary order.
 */
export function decodeMatrix(values: ArrayLike<number>, offset = 0, threshold = DECODE_THRESHOLD): Record<string, number> | undefined {
  const composition: Record<string, number> = {};
  let elements = 0;
  for (let e = 0; e < ELEMENT_COUNT; e++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let slot = 0; slot < MAX_COUNT; slot++) {
      const v = values[offset + e * MAX_COUNT + slot];
      if (v >= threshold && v > bestValue) {
        best = slot;
        bestValue = v;
      }
    }
    if (best >= 0) {
      composition[ELEMENTS_85[e]] = best + 1;
      elements++;
    }
  }
  return elements >= MIN_DECODED_ELEMENTS && elements <= MAX_DECODED_ELEMENTS ? composition : undefined;
}

/** A composition as a Hill-order formula (C, H, then alphabetical; counts of 1 omitted), e.g. "FeLiO2". */
export function formatComposition(composition: Readonly<Record<string, number>>): string {
  const symbols = Object.keys(composition);
  const hasCarbon = symbols.includes('C');
  const rank = (s: string) => (hasCarbon && s === 'C' ? '0' : hasCarbon && s === 'H' ? '1' : '2' + s);
  return symbols
    .sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0))
    .map((symbol) => (composition[symbol] === 1 ? symbol : `${symbol}${composition[symbol]}`))
    .join('');
}
