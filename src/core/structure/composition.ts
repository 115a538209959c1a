// Composition of a structure: element counts, the reduced ratio and a formula string written the
// way pymatgen writes reduced formulas (elements by increasing Pauling electronegativity, counts
// of 1 omitted), so our tables line up with nbo_structures.json and the CDVAE CSVs. Web-safe.
import { getElement } from '../chem/elements';
import type { Structure } from './types';

/** Occupancy-weighted element counts of the cell. */
export function composition(structure: Structure): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const site of structure.sites) {
    for (const sp of site.species) counts[sp.element] = (counts[sp.element] ?? 0) + sp.occupancy;
  }
  return counts;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Counts divided by their greatest common divisor when they are all (near-)integers. */
export function reducedComposition(counts: Record<string, number>): Record<string, number> {
  const values = Object.values(counts);
  const integral = values.every((v) => Math.abs(v - Math.round(v)) < 1e-6 && Math.round(v) > 0);
  if (!integral) return { ...counts };
  const divisor = values.map((v) => Math.round(v)).reduce(gcd);
  return Object.fromEntries(Object.entries(counts).map(([e, v]) => [e, Math.round(v) / divisor]));
}

/** Elements sorted like pymatgen's formulas: by Pauling electronegativity, then symbol. */
export function sortedElements(elements: string[]): string[] {
  const en = (e: string): number => getElement(e)?.paulingEN ?? Infinity;
  return [...elements].sort((x, y) => en(x) - en(y) || x.localeCompare(y));
}

function formatCount(n: number): string {
  if (Math.abs(n - 1) < 1e-9) return '';
  if (Math.abs(n - Math.round(n)) < 1e-9) return String(Math.round(n));
  return String(Number(n.toFixed(4)));
}

/** A formula string, e.g. { O: 5, Nb: 2 } → "Nb2O5". */
export function formulaString(counts: Record<string, number>): string {
  return sortedElements(Object.keys(counts))
    .map((e) => e + formatCount(counts[e]))
    .join('');
}

/** The reduced formula of a structure, e.g. "NbO2" for Nb2O4. */
export function reducedFormula(structure: Structure): string {
  return formulaString(reducedComposition(composition(structure)));
}

/** Number of distinct elements in a structure. */
export function elementCount(structure: Structure): number {
  return Object.keys(composition(structure)).length;
}
