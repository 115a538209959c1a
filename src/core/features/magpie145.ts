// Magpie-145 (method §6; Ward et al. 2016): the 132 Magpie statistics plus 13 composition-level
// features that no per-element statistic can express:
// - stoichiometry (6): L0 = number of elements, Lp = (Σ x_i^p)^(1/p) for p = 2, 3, 5, 7, 10;
// - valence orbitals (4): Σ x_i N_s,i / Σ x_i N_val,i, and the same for p, d, f (Magpie table);
// - ionic (3): "compound possible", max pairwise ionic character I = 1 − exp(−(χ_A − χ_B)²/4),
//   mean ionic character Σ_{i<j} x_i x_j I_ij (χ: the Magpie table's Electronegativity column).
// One documented deviation: Ward's "compound possible" asks whether one *common* oxidation state per
// element makes the compound neutral; we have no table of common states, so it is MatGAN's CN + EB
// test (src/core/chem/smact.ts: some SMACT 2014 assignment is neutral and every cation is less
// electronegative than every anion) on the smallest integer multiple of the amounts (amounts that
// are not a ratio of integers with a common denominator ≤ 100 give 0.5, "unknown"). The flag
// matters for band gaps: on oqmd_bandgap val, 94 % of the total gap sits in CN + EB compositions.
import { matganChemicalValidity, type SmactTables } from '../chem/smact';
import { MAGPIE_LABELS, MAGPIE_PROPERTIES, magpieStatistics, type MagpieTable } from './magpie';
import { elementFractions, MAX_ELEMENTS, type ElementAmounts, type Featurizer } from './types';

/** The SMACT tables the ionic flag needs (oxidation states and Pauling χ; no metals list). */
export type IonicTables = Pick<SmactTables, 'oxidationStates' | 'electronegativity'>;

const NORM_POWERS = [2, 3, 5, 7, 10] as const;
const ORBITALS = ['s', 'p', 'd', 'f'] as const;

export const MAGPIE145_EXTRA_LABELS: readonly string[] = [
  'Stoichiometry 0-norm',
  ...NORM_POWERS.map((p) => `Stoichiometry ${p}-norm`),
  ...ORBITALS.map((o) => `ValenceOrbital frac ${o} valence electrons`),
  'IonProperty compound possible (SMACT CN+EB)',
  'IonProperty max ionic char',
  'IonProperty avg ionic char',
];

/** Largest common denominator tried when turning fractional amounts into integer counts. */
const MAX_DENOMINATOR = 100;
/** Bound on the oxidation-state search per composition (many-element formulas). */
const MAX_ASSIGNMENTS = 20_000;

const column = (name: (typeof MAGPIE_PROPERTIES)[number]): number => MAGPIE_PROPERTIES.indexOf(name);
const VALENCE_COLUMNS = [column('NsValence'), column('NpValence'), column('NdValence'), column('NfValence')];
const TOTAL_VALENCE = column('NValence');
const ELECTRONEGATIVITY = column('Electronegativity');

export function createMagpie145Featurizer(table: MagpieTable, ionic: IonicTables): Featurizer {
  const statistics = magpieStatistics(table);
  const rows = new Int32Array(MAX_ELEMENTS);
  const fractions = new Float64Array(MAX_ELEMENTS);
  const smact: SmactTables = { ...ionic, metals: new Set() };
  return {
    name: 'magpie145',
    dim: MAGPIE_LABELS.length + MAGPIE145_EXTRA_LABELS.length,
    labels: [...MAGPIE_LABELS, ...MAGPIE145_EXTRA_LABELS],
    featurizeInto(composition: ElementAmounts, out, offset) {
      // Rows and fractions once, for the 132 statistics and the 13 extras alike.
      const n = elementFractions(composition, statistics.rowOf, 'Magpie element', rows, fractions);
      statistics.write(rows, fractions, n, out, offset);
      let o = offset + MAGPIE_LABELS.length;
      o = writeStoichiometry(fractions, n, out, o);
      o = writeValenceFractions(table, rows, fractions, n, out, o);
      out[o] = compoundPossible(composition, smact);
      writeIonicCharacter(table, rows, fractions, n, out, o + 1);
    },
  };
}

function writeStoichiometry(x: Float64Array, n: number, out: Float64Array | Float32Array, offset: number): number {
  out[offset] = n;
  NORM_POWERS.forEach((p, k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] ** p;
    out[offset + 1 + k] = sum ** (1 / p);
  });
  return offset + 1 + NORM_POWERS.length;
}

function writeValenceFractions(table: MagpieTable, rows: Int32Array, x: Float64Array, n: number, out: Float64Array | Float32Array, offset: number): number {
  let totalValence = 0;
  for (let i = 0; i < n; i++) totalValence += x[i] * table.values[rows[i]][TOTAL_VALENCE];
  VALENCE_COLUMNS.forEach((c, k) => {
    let shell = 0;
    for (let i = 0; i < n; i++) shell += x[i] * table.values[rows[i]][c];
    out[offset + k] = totalValence > 0 ? shell / totalValence : 0;
  });
  return offset + VALENCE_COLUMNS.length;
}

function writeIonicCharacter(table: MagpieTable, rows: Int32Array, x: Float64Array, n: number, out: Float64Array | Float32Array, offset: number): void {
  let max = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = table.values[rows[i]][ELECTRONEGATIVITY] - table.values[rows[j]][ELECTRONEGATIVITY];
      const character = 1 - Math.exp(-(d * d) / 4);
      if (character > max) max = character;
      mean += x[i] * x[j] * character;
    }
  }
  out[offset] = max;
  out[offset + 1] = mean;
}

/** 1 if MatGAN's CN + EB test passes on integer counts, 0 if not, 0.5 if the amounts have no small integer ratio. */
function compoundPossible(composition: ElementAmounts, smact: SmactTables): number {
  const counts = integerCounts(composition.amounts);
  if (!counts) return 0.5;
  const record: Record<string, number> = {};
  composition.symbols.forEach((s, i) => (record[s] = counts[i]));
  return matganChemicalValidity(record, smact, { maxAssignments: MAX_ASSIGNMENTS }).valid ? 1 : 0;
}

/** The amounts times the smallest multiplier ≤ MAX_DENOMINATOR that makes them all integers, or undefined. */
export function integerCounts(amounts: readonly number[]): number[] | undefined {
  for (let multiplier = 1; multiplier <= MAX_DENOMINATOR; multiplier++) {
    const scaled = amounts.map((a) => a * multiplier);
    if (scaled.every((v) => Math.abs(v - Math.round(v)) < 1e-6 * Math.max(1, v))) return scaled.map(Math.round);
  }
  return undefined;
}
