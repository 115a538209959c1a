// Compositions (element → amount maps) and the ways we write and compare them.
// - reducedFormula follows pymatgen's Composition.reduced_formula (2022.11): gcd-reduced integer
//   amounts ordered by Pauling electronegativity (ties by symbol), a trailing polyanion in
//   parentheses (Ca3(PO4)2), the peroxide/diatomic special cases (LiO → Li2O2, O → O2), and for
//   fractional amounts the unreduced formula with explicit 1s (La1.85Sr0.15Cu1O4), as pymatgen does.
//   Difference: elements without a Pauling value (He, Ne, Ar, Z ≥ 104) sort last; pymatgen sorts NaN
//   keys unpredictably.
// - hillFormula is the Hill system: C, then H, then alphabetical; without C, all alphabetical.
//   (pymatgen 2022.11's hill_formula leaves H in its alphabetical place after C: 63 of 24,000
//   sampled data-set formulas differ for that reason only.)
// - canonicalKey is the cache/novelty key of cif-and-formulas.md §4: reduced fractions sorted by
//   symbol, so Fe2O3, Fe4O6 and Fe₂O₃ share one key.
import { getElement } from './elements';
import { roundAmount } from './formula';

/** Element symbol → amount (atoms per formula unit as written, or fractions). */
export type Composition = Readonly<Record<string, number>>;

/** Amounts closer than this to an integer count as integers (pymatgen's Composition.amount_tolerance). */
const AMOUNT_TOLERANCE = 1e-8;

/** pymatgen writes these reduced formulas as molecules / peroxides. */
const SPECIAL_FORMULAS: Readonly<Record<string, string>> = {
  LiO: 'Li2O2', NaO: 'Na2O2', KO: 'K2O2', HO: 'H2O2', CsO: 'Cs2O2', RbO: 'Rb2O2',
  O: 'O2', N: 'N2', F: 'F2', Cl: 'Cl2', H: 'H2',
};

/** pymatgen treats the last two elements (by χ) as a polyanion when their χ differ by less than this. */
const POLYANION_EN_GAP = 1.65;

function electronegativity(symbol: string): number {
  return getElement(symbol)?.paulingEN ?? Infinity;
}

/** Ascending χ; elements without χ last; ties (and two missing values) by symbol. */
function byElectronegativityThenSymbol(a: string, b: string): number {
  const d = electronegativity(a) - electronegativity(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending χ only; ties keep their order (Array.sort is stable), as pymatgen's Composition.formula. */
function byElectronegativity(a: string, b: string): number {
  const d = electronegativity(a) - electronegativity(b);
  return Number.isNaN(d) ? 0 : d;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return Math.abs(a);
}

/** Writes an amount the parser reads back: no exponent notation, float noise removed. */
export function formatAmount(amount: number): string {
  const rounded = roundAmount(amount);
  const text = String(rounded);
  if (!text.includes('e')) return text;
  return rounded.toFixed(20).replace(/\.?0+$/, '');
}

/** pymatgen's formula_double_format: '' for 1 (when ignoreOnes), integers without a decimal point. */
function pymatgenAmount(amount: number, ignoreOnes = true): string {
  if (ignoreOnes && amount === 1) return '';
  if (Math.abs(amount - Math.trunc(amount)) < AMOUNT_TOLERANCE) return String(Math.trunc(amount));
  return formatAmount(Math.round(amount * 1e8) / 1e8);
}

function positiveEntries(comp: Composition): [string, number][] {
  return Object.entries(comp).filter(([, n]) => Math.abs(n) > AMOUNT_TOLERANCE);
}

function allIntegers(entries: [string, number][]): boolean {
  return entries.every(([, n]) => Math.abs(n - Math.round(n)) < AMOUNT_TOLERANCE);
}

/**
 * Divides integer amounts by their gcd (Fe4O6 → Fe2O3, factor 2). Fractional compositions are
 * returned unchanged with factor 1, as pymatgen does.
 */
export function reduceComposition(comp: Composition): { composition: Record<string, number>; factor: number } {
  const entries = positiveEntries(comp);
  if (entries.length === 0 || !allIntegers(entries)) return { composition: Object.fromEntries(entries), factor: 1 };
  const factor = entries.reduce((g, [, n]) => gcd(g, Math.round(n)), 0) || 1;
  return { composition: Object.fromEntries(entries.map(([el, n]) => [el, Math.round(n) / factor])), factor };
}

function reduceIntegerFormula(amounts: Map<string, number>): { formula: string; factor: number } {
  const symbols = [...amounts.keys()].sort(byElectronegativityThenSymbol);
  const factor = [...amounts.values()].reduce((g, n) => gcd(g, n), 0) || 1;
  let polyanion = '';
  if (symbols.length >= 3) {
    const [second, last] = symbols.slice(-2);
    if (electronegativity(last) - electronegativity(second) < POLYANION_EN_GAP) {
      const inner = reduceIntegerFormula(new Map([second, last].map((el) => [el, (amounts.get(el) ?? 0) / factor])));
      if (inner.factor !== 1) polyanion = `(${inner.formula})${inner.factor}`;
    }
  }
  const kept = polyanion ? symbols.slice(0, -2) : symbols;
  const body = kept.map((el) => el + pymatgenAmount((amounts.get(el) ?? 0) / factor)).join('');
  return { formula: body + polyanion, factor };
}

/** The reduced formula as pymatgen's Composition.reduced_formula writes it (see the header). */
export function reducedFormula(comp: Composition): string {
  const entries = positiveEntries(comp);
  if (entries.length === 0) return '';
  if (!allIntegers(entries)) {
    return entries
      .map(([el]) => el)
      .sort(byElectronegativity)
      .map((el) => el + pymatgenAmount(comp[el], false))
      .join('');
  }
  const { formula } = reduceIntegerFormula(new Map(entries.map(([el, n]) => [el, Math.round(n)])));
  return SPECIAL_FORMULAS[formula] ?? formula;
}

/** Hill order: C first, then H, then the rest alphabetically; with no C, everything alphabetically. */
export function hillOrder(symbols: Iterable<string>): string[] {
  const sorted = [...symbols].sort();
  if (!sorted.includes('C')) return sorted;
  return ['C', ...(sorted.includes('H') ? ['H'] : []), ...sorted.filter((el) => el !== 'C' && el !== 'H')];
}

/** The Hill formula of the amounts as given (not reduced): C6H12O6, Fe2O3. */
export function hillFormula(comp: Composition): string {
  return formatFormula(comp, hillOrder(positiveEntries(comp).map(([el]) => el)));
}

/** Amounts divided by their total (atom fractions), in the composition's own order. */
export function fractionalComposition(comp: Composition): Record<string, number> {
  const entries = positiveEntries(comp);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return Object.fromEntries(entries.map(([el, n]) => [el, n / total]));
}

/** One key per composition regardless of scale or notation: atom fractions (10 significant digits) sorted by symbol. */
export function canonicalKey(comp: Composition): string {
  const fractions = fractionalComposition(comp);
  return Object.keys(fractions)
    .sort()
    .map((el) => el + Number(fractions[el].toPrecision(10)))
    .join('');
}

/**
 * Writes a composition as a formula the parser reads back (counts of 1 omitted), in the given
 * element order or the composition's own.
 */
export function formatFormula(comp: Composition, order: readonly string[] = Object.keys(comp)): string {
  return order
    .filter((el) => Math.abs(comp[el] ?? 0) > AMOUNT_TOLERANCE)
    .map((el) => (comp[el] === 1 ? el : el + formatAmount(comp[el])))
    .join('');
}
