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

/** One row of the per-composition breakdown of a generated set (where duplicates and density errors sit). */
export interface CompositionBreakdownRow {
  /** Reduced formula and atoms in the cell, e.g. "NbO (2 atoms)". */
  key: string;
  samples: number;
  /** First members of their matcher group among these samples. */
  unique: number;
  /** Quartiles (25/50/75 %) of the volume per atom, Å³. */
  volumePerAtom: [number, number, number];
  /** Median volume per atom of the reference structures with the same reduced formula (NaN if none). */
  referenceVolumePerAtom: number;
}

/** Linearly interpolated quantile of sorted values (numpy's default). */
function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Groups evaluated structures by reduced formula and cell size: how many samples and unique ones
 * each has, and its volume per atom beside the reference's. Most rows first.
 */
export function compositionBreakdown(
  structures: Structure[],
  evaluation: { formula: string; unique: boolean }[],
  reference: Structure[] = [],
): CompositionBreakdownRow[] {
  const perAtom = (s: Structure): number => volume(s.lattice) / Math.max(1, s.sites.length);
  const referenceByFormula = new Map<string, number[]>();
  for (const s of reference) referenceByFormula.set(reducedFormula(s), [...(referenceByFormula.get(reducedFormula(s)) ?? []), perAtom(s)]);
  const groups = new Map<string, { formula: string; samples: number; unique: number; volumes: number[] }>();
  structures.forEach((s, i) => {
    const key = `${evaluation[i].formula} (${s.sites.length} atoms)`;
    const row = groups.get(key) ?? { formula: evaluation[i].formula, samples: 0, unique: 0, volumes: [] };
    row.samples += 1;
    row.unique += evaluation[i].unique ? 1 : 0;
    row.volumes.push(perAtom(s));
    groups.set(key, row);
  });
  return [...groups.entries()]
    .map(([key, g]) => {
      const v = [...g.volumes].sort((x, y) => x - y);
      const ref = [...(referenceByFormula.get(g.formula) ?? [])].sort((x, y) => x - y);
      return { key, samples: g.samples, unique: g.unique, volumePerAtom: [quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75)] as [number, number, number], referenceVolumePerAtom: quantile(ref, 0.5) };
    })
    .sort((x, y) => y.samples - x.samples || x.key.localeCompare(y.key));
}
