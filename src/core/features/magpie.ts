// Magpie-132 (method §6): matminer's ElementProperty "magpie" preset. For each of 22 element
// properties, in order, 6 statistics over the composition's elements with atomic fractions x_i:
// minimum, maximum, range (these three ignore fractions), mean = Σ x_i p_i,
// avg_dev = Σ x_i |p_i − mean|, mode = value of the element with the largest x_i (ties: smallest
// value). Property-major: the 6 statistics of Number come first. Missing element values are filled
// before they get here (the imputed table: mean over elements, as current matminer does).
import { elementFractions, MAX_ELEMENTS, type ElementAmounts, type Featurizer } from './types';

export const MAGPIE_PROPERTIES = [
  'Number', 'MendeleevNumber', 'AtomicWeight', 'MeltingT', 'Column', 'Row', 'CovalentRadius',
  'Electronegativity', 'NsValence', 'NpValence', 'NdValence', 'NfValence', 'NValence', 'NsUnfilled',
  'NpUnfilled', 'NdUnfilled', 'NfUnfilled', 'NUnfilled', 'GSvolume_pa', 'GSbandgap', 'GSmagmom',
  'SpaceGroupNumber',
] as const;

export const MAGPIE_STATISTICS = ['minimum', 'maximum', 'range', 'mean', 'avg_dev', 'mode'] as const;

/** Element property table: one row of MAGPIE_PROPERTIES values per element (no missing values). */
export interface MagpieTable {
  elements: string[];
  /** `values[e]` holds the 22 properties of `elements[e]`, in MAGPIE_PROPERTIES order. */
  values: number[][];
}

export const MAGPIE_LABELS: readonly string[] = MAGPIE_PROPERTIES.flatMap((p) => MAGPIE_STATISTICS.map((s) => `MagpieData ${s} ${p}`));

/** The Magpie table checked and laid out for the hot loop; shared by magpie and magpie145. */
export interface MagpieStatistics {
  /** Table row of each element symbol. */
  rowOf: ReadonlyMap<string, number>;
  /** Writes the 132 statistics of the elements in `rows` with atomic fractions `x`. */
  write(rows: Int32Array, x: Float64Array, n: number, out: Float64Array | Float32Array, offset: number): void;
}

export function magpieStatistics(table: MagpieTable): MagpieStatistics {
  const nProps = MAGPIE_PROPERTIES.length;
  const flat = new Float64Array(table.elements.length * nProps);
  table.values.forEach((row, e) => {
    if (row.length !== nProps || row.some((v) => !Number.isFinite(v))) {
      throw new Error(`Magpie table row ${table.elements[e]} must hold ${nProps} finite numbers`);
    }
    flat.set(row, e * nProps);
  });
  return {
    rowOf: new Map(table.elements.map((e, i) => [e, i] as const)),
    write: (rows, x, n, out, offset) => writeMagpieStatistics(flat, nProps, rows, x, n, out, offset),
  };
}

export function createMagpieFeaturizer(table: MagpieTable): Featurizer {
  const statistics = magpieStatistics(table);
  const rows = new Int32Array(MAX_ELEMENTS);
  const fractions = new Float64Array(MAX_ELEMENTS);
  return {
    name: 'magpie',
    dim: MAGPIE_LABELS.length,
    labels: MAGPIE_LABELS,
    featurizeInto(composition: ElementAmounts, out, offset) {
      const n = elementFractions(composition, statistics.rowOf, 'Magpie element', rows, fractions);
      statistics.write(rows, fractions, n, out, offset);
    },
  };
}

/** The hot loop, kept free of allocation per property: 100k compositions must take well under 1 s. */
function writeMagpieStatistics(
  flat: Float64Array, nProps: number, rows: Int32Array, x: Float64Array, n: number, out: Float64Array | Float32Array, offset: number,
): void {
  // The mode element is the same for every property except for ties, so find the largest fraction once.
  let maxFraction = -Infinity;
  for (let i = 0; i < n; i++) if (x[i] > maxFraction) maxFraction = x[i];
  for (let p = 0; p < nProps; p++) {
    let min = Infinity, max = -Infinity, mean = 0, mode = Infinity;
    for (let i = 0; i < n; i++) {
      const v = flat[rows[i] * nProps + p];
      if (v < min) min = v;
      if (v > max) max = v;
      mean += x[i] * v;
      if (x[i] === maxFraction && v < mode) mode = v;
    }
    let avgDev = 0;
    for (let i = 0; i < n; i++) avgDev += x[i] * Math.abs(flat[rows[i] * nProps + p] - mean);
    const o = offset + p * 6;
    out[o] = min;
    out[o + 1] = max;
    out[o + 2] = max - min;
    out[o + 3] = mean;
    out[o + 4] = avgDev;
    out[o + 5] = mode;
  }
}
