// Plain-text summaries of structures for the CLI tables (demo, evaluate-crystals). Web-safe.
import { closestPair } from './distances';
import { reducedFormula } from './composition';
import { parametersFromLattice, volume } from './lattice';
import type { CellParameters, Structure } from './types';

export interface StructureSummary extends CellParameters {
  formula: string;
  natoms: number;
  volume: number;
  /** Minimum-image distance between distinct atoms (Infinity for one atom). */
  minDistance: number;
  /** 1-based site numbers and elements of the closest pair, for messages. */
  closestPair?: { i: number; j: number; elements: [string, string] };
}

export function summarise(structure: Structure): StructureSummary {
  const pair = closestPair(structure);
  const element = (k: number): string => structure.sites[k]?.species[0]?.element ?? '?';
  return {
    formula: reducedFormula(structure),
    natoms: structure.sites.length,
    ...parametersFromLattice(structure.lattice),
    volume: volume(structure.lattice),
    minDistance: pair.distance,
    closestPair: pair.i >= 0 ? { i: pair.i + 1, j: pair.j + 1, elements: [element(pair.i), element(pair.j)] } : undefined,
  };
}

export type Align = 'left' | 'right';

/** Pads columns to a common width; numbers are usually right-aligned. */
export function formatTable(headers: string[], rows: string[][], align: Align[] = []): string[] {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => ((align[c] ?? 'left') === 'right' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Fixed decimals, with "inf"/"nan" spelled out. */
export function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(digits);
}

/** "NbO 73, NbO2 49, …" sorted by count (descending), then name. */
export function countsLine(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
