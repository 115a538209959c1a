// Training sets for the crystal GAN, read with the project's own parsers at run time:
//   nbo        the 267 Nb–O POSCARs, minus cells with atoms closer than 0.5 Å, deduplicated
//              with the structure matcher; novelty is judged against the kept set;
//   perov-5, carbon-24  the CDVAE val split (the train split is not in the data directory),
//              with the test split as the reference for property distances;
//   mp-20      the 847-row prefix of the official train split, test prefix as reference;
//   FILE       a CDVAE-style CSV (a `cif` column) or a folder of .cif / .vasp files.
// Every structure left out is reported with its file, line and reason.
import fs from 'node:fs';
import path from 'node:path';
import type { SkippedRow } from '../../core/data/csv';
import { loadCifCsv, loadNbo, loadStructureFolder, type LabelledStructure, type StructureDataset } from '../../core/data/structureDatasets';
import { reducedFormula } from '../../core/structure/composition';
import { minPairDistance } from '../../core/structure/distances';
import { matchPrepared, prepareStructure, type PreparedStructure } from '../../core/structure/matcher';
import type { Structure } from '../../core/structure/types';
import { rightHandedNiggli } from './augmentation';

/** CDVAE's structural-validity threshold (Å): training cells closer than this are broken. */
export const MIN_DISTANCE = 0.5;

export const NAMED_DATASETS = ['nbo', 'perov-5', 'carbon-24', 'mp-20'] as const;

export interface CrystalTrainingSet {
  name: string;
  structures: LabelledStructure[];
  /** Held-out structures for property distances (EMD); the training set itself for Nb–O. */
  reference: LabelledStructure[];
  skipped: SkippedRow[];
  /** Per reduced formula: how many were read and how many were kept. */
  perComposition: { formula: string; read: number; kept: number }[];
}

export interface TrainingSetOptions {
  /** Structures with more atoms are left out (reported). Default: no limit. */
  maxAtoms?: number;
  /** Same-crystal test for deduplication (the structure matcher); none = keep duplicates. */
  sameCrystal?: (a: Structure, b: Structure) => boolean;
  /**
   * Deduplicate with our structure matcher, each structure reduced once (the fast path for large
   * sets of one formula such as Carbon-24, where `sameCrystal` would reduce both cells again for
   * every pair). Wins over sameCrystal.
   */
  dedupe?: boolean;
}

function isOrdered(structure: Structure): boolean {
  return structure.sites.every((s) => s.species.length === 1 && Math.abs(s.species[0].occupancy - 1) < 1e-6);
}

function where(item: LabelledStructure): { file: string; line: number } {
  return { file: item.file, line: item.line ?? 1 };
}

/** Drops broken, disordered and oversized cells, then duplicates (first of each group kept). */
export function filterTrainingStructures(items: LabelledStructure[], options: TrainingSetOptions): { kept: LabelledStructure[]; skipped: SkippedRow[] } {
  const skipped: SkippedRow[] = [];
  const candidates: LabelledStructure[] = [];
  for (const item of items) {
    const s = item.structure;
    if (!isOrdered(s)) skipped.push({ ...where(item), reason: 'disordered or partially occupied sites', value: item.id });
    else if (options.maxAtoms !== undefined && s.sites.length > options.maxAtoms) skipped.push({ ...where(item), reason: `more than ${options.maxAtoms} atoms`, value: item.id });
    else if (s.sites.length > 1 && minPairDistance(s) < MIN_DISTANCE) skipped.push({ ...where(item), reason: `atoms closer than ${MIN_DISTANCE} Å`, value: item.id });
    else candidates.push(item);
  }
  if (options.dedupe) return dedupeWithMatcher(candidates, skipped);
  if (!options.sameCrystal) return { kept: candidates, skipped };
  const kept: LabelledStructure[] = [];
  const byFormula = new Map<string, LabelledStructure[]>();
  for (const item of candidates) {
    const formula = reducedFormula(item.structure);
    const group = byFormula.get(formula) ?? [];
    const twin = group.find((k) => options.sameCrystal?.(k.structure, item.structure));
    if (twin) {
      skipped.push({ ...where(item), reason: 'duplicate of an earlier structure (structure matcher)', value: `${item.id} = ${twin.id}` });
      continue;
    }
    group.push(item);
    byFormula.set(formula, group);
    kept.push(item);
  }
  return { kept, skipped };
}

/** Keeps the first of each group of matching structures; structures are reduced once each. */
function dedupeWithMatcher(candidates: LabelledStructure[], skipped: SkippedRow[]): { kept: LabelledStructure[]; skipped: SkippedRow[] } {
  const kept: LabelledStructure[] = [];
  const byKey = new Map<string, { item: LabelledStructure; prepared: PreparedStructure }[]>();
  for (const item of candidates) {
    const prepared = prepareStructure(item.structure);
    const group = byKey.get(prepared.key) ?? [];
    const twin = group.find((k) => matchPrepared(k.prepared, prepared) !== undefined);
    if (twin) {
      skipped.push({ ...where(item), reason: 'duplicate of an earlier structure (structure matcher)', value: `${item.id} = ${twin.item.id}` });
      continue;
    }
    group.push({ item, prepared });
    byKey.set(prepared.key, group);
    kept.push(item);
  }
  return { kept, skipped };
}

function perComposition(read: LabelledStructure[], kept: LabelledStructure[]): CrystalTrainingSet['perComposition'] {
  const table = new Map<string, { read: number; kept: number }>();
  for (const item of read) {
    const f = reducedFormula(item.structure);
    table.set(f, { read: (table.get(f)?.read ?? 0) + 1, kept: table.get(f)?.kept ?? 0 });
  }
  for (const item of kept) {
    const f = reducedFormula(item.structure);
    const row = table.get(f) ?? { read: 0, kept: 0 };
    table.set(f, { ...row, kept: row.kept + 1 });
  }
  return [...table.entries()].map(([formula, n]) => ({ formula, ...n })).sort((a, b) => b.read - a.read || a.formula.localeCompare(b.formula));
}

/** Files (relative to the data directory) of the named CDVAE sets: training split, reference split. */
const CSV_SPLITS: Record<string, [string, string]> = {
  'perov-5': ['structures/perov_5/val.csv', 'structures/perov_5/test.csv'],
  'carbon-24': ['structures/carbon_24/val.csv', 'structures/carbon_24/test.csv'],
  'mp-20': ['structures/mp_20_head/train_first847.csv', 'structures/mp_20_head/test_first142.csv'],
};

/** Loads, filters and deduplicates a training set by name or path. */
export function loadCrystalTrainingSet(dataset: string, dataDir: string, options: TrainingSetOptions = {}): CrystalTrainingSet {
  let read: StructureDataset;
  let reference: StructureDataset | undefined;
  if (dataset === 'nbo') {
    read = loadNbo(dataDir);
  } else if (CSV_SPLITS[dataset]) {
    const [train, ref] = CSV_SPLITS[dataset];
    read = loadCifCsv(path.join(dataDir, train));
    reference = loadCifCsv(path.join(dataDir, ref));
  } else if (/\.csv$/i.test(dataset) && fs.existsSync(dataset)) {
    read = loadCifCsv(dataset);
  } else if (fs.existsSync(dataset)) {
    read = loadStructureFolder(dataset);
  } else {
    throw new Error(`--dataset ${dataset}: not one of ${NAMED_DATASETS.join(', ')} and no such file or folder`);
  }
  const filtered = filterTrainingStructures(read.structures, options);
  const skipped = filtered.skipped;
  // Training cells are stored Niggli-reduced (same crystal, angles in [60°, 120°]).
  const kept = filtered.kept.map((item) => ({ ...item, structure: rightHandedNiggli(item.structure) }));
  if (kept.length === 0) throw new Error(`--dataset ${dataset}: no usable structures (${read.structures.length} read, ${skipped.length + read.skipped.length} skipped)`);
  return {
    name: dataset,
    structures: kept,
    reference: reference ? reference.structures : kept,
    skipped: [...read.skipped, ...skipped],
    perComposition: perComposition(read.structures, kept),
  };
}
