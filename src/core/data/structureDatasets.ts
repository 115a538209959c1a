// Crystal-structure data sets, read at run time from the data directory: the 267 Nb–O POSCARs
// (nbo/poscar/<entry>/<structure>.vasp), the CDVAE benchmark CSVs (structures/*/…csv, a P1 CIF per
// row) and folders of generated .cif / POSCAR files. Files that cannot be read are skipped and
// reported (file, line, reason), never silently dropped.
import fs from 'node:fs';
import path from 'node:path';
import { parsePoscar, PoscarParseError } from '../structure/poscar';
import { volume } from '../structure/lattice';
import { minPairDistance } from '../structure/distances';
import type { Structure } from '../structure/types';
import { readCsv, type SkippedRow } from './csv';
import { parseCif } from '../cif/parser';
import { cifBlockToStructure, isStructureBlock } from '../cif/structure';

export interface LabelledStructure {
  /** Stable id: "entry/structure" for Nb–O, material_id for CDVAE, the file name for folders. */
  id: string;
  /** File the structure came from (and the CSV line for CDVAE rows). */
  file: string;
  line?: number;
  structure: Structure;
}

export interface StructureDataset {
  name: string;
  structures: LabelledStructure[];
  skipped: SkippedRow[];
}

/** Turns a parse failure into a skipped-row record with the best position we know. */
export function skippedFromError(file: string, error: unknown, line = 1): SkippedRow {
  if (error instanceof PoscarParseError) return { file, line: error.line, reason: error.reason };
  return { file, line, reason: error instanceof Error ? error.message : String(error) };
}

function listPoscars(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory()) files.push(...listPoscars(p));
    else if (entry.name.endsWith('.vasp')) files.push(p);
  }
  return files;
}

/** Numeric-aware ordering so "2921/48375" sorts before "10057/…". */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The Nb–O structures from `<dataDir>/nbo/poscar`, parsed with our POSCAR reader. */
export function loadNbo(dataDir: string): StructureDataset {
  const root = path.join(dataDir, 'nbo', 'poscar');
  if (!fs.existsSync(root)) throw new Error(`${root} does not exist: the data directory has no Nb–O POSCARs (nbo/poscar/)`);
  const dataset: StructureDataset = { name: 'nbo', structures: [], skipped: [] };
  for (const file of listPoscars(root).sort(naturalCompare)) {
    const id = path.relative(root, file).replace(/\\/g, '/').replace(/\.vasp$/, '');
    try {
      dataset.structures.push({ id, file, structure: parsePoscar(fs.readFileSync(file, 'utf8'), file) });
    } catch (error) {
      dataset.skipped.push(skippedFromError(file, error));
    }
  }
  return dataset;
}

interface NboJsonEntry {
  entry_id: number;
  structure_id: number;
  lattice: number[][];
  species: string[];
  volume: number;
  min_pbc_distance: number;
}

/** One disagreement between our parse and nbo_structures.json. */
export interface NboMismatch {
  id: string;
  field: 'missing' | 'lattice' | 'species' | 'volume' | 'minDistance';
  detail: string;
}

/**
 * Compares the parsed Nb–O set with nbo_structures.json (pymatgen's parse): lattice within 1e-6 Å,
 * species in order, volume and minimum distance within 1e-4 (the JSON rounds to 5 decimals).
 */
export function checkNboAgainstJson(dataDir: string, dataset: StructureDataset): NboMismatch[] {
  const file = path.join(dataDir, 'nbo', 'nbo_structures.json');
  const entries = (JSON.parse(fs.readFileSync(file, 'utf8')) as { structures: NboJsonEntry[] }).structures;
  const byId = new Map(dataset.structures.map((s) => [s.id, s.structure]));
  const mismatches: NboMismatch[] = [];
  for (const e of entries) {
    const id = `${e.entry_id}/${e.structure_id}`;
    const s = byId.get(id);
    if (!s) {
      mismatches.push({ id, field: 'missing', detail: 'in nbo_structures.json but not parsed' });
      continue;
    }
    const latticeError = Math.max(...s.lattice.flatMap((row, i) => row.map((x, j) => Math.abs(x - e.lattice[i][j]))));
    if (latticeError > 1e-6) mismatches.push({ id, field: 'lattice', detail: `differs by ${latticeError} Å` });
    const species = s.sites.map((x) => x.species[0]?.element).join(' ');
    if (species !== e.species.join(' ')) mismatches.push({ id, field: 'species', detail: `${species} vs ${e.species.join(' ')}` });
    const v = volume(s.lattice);
    if (Math.abs(v - e.volume) > 1e-4) mismatches.push({ id, field: 'volume', detail: `${v} vs ${e.volume}` });
    const d = minPairDistance(s);
    if (Math.abs(d - e.min_pbc_distance) > 1e-4) mismatches.push({ id, field: 'minDistance', detail: `${d} vs ${e.min_pbc_distance}` });
  }
  return mismatches;
}

// ---------------------------------------------------------------------------------------------
// CIF-based sources: CDVAE benchmark CSVs and folders of generated files.

export type CdvaeDatasetName = 'perov-5' | 'carbon-24' | 'mp-20';
export type CdvaeSplit = 'test' | 'val' | 'train';

/** Where each split lives under <data>/structures (MP-20 is only a prefix of each split). */
export const CDVAE_FILES: Record<CdvaeDatasetName, Partial<Record<CdvaeSplit, string>>> = {
  'perov-5': { test: 'perov_5/test.csv', val: 'perov_5/val.csv' },
  'carbon-24': { test: 'carbon_24/test.csv', val: 'carbon_24/val.csv' },
  'mp-20': { test: 'mp_20_head/test_first142.csv', val: 'mp_20_head/val_first123.csv', train: 'mp_20_head/train_first847.csv' },
};

export function isCdvaeDatasetName(name: string): name is CdvaeDatasetName {
  return name in CDVAE_FILES;
}

/**
 * Structures from CIF text: every data block that describes atoms. Blocks that cannot be built are
 * reported with the line of their first error (offset by `firstLine` − 1 for CIFs inside a CSV).
 */
export function structuresFromCif(text: string, file: string, idPrefix: string, firstLine = 1): { structures: LabelledStructure[]; skipped: SkippedRow[] } {
  const doc = parseCif(text, { fileName: file, unknownTags: false, spellingHints: false });
  const structures: LabelledStructure[] = [];
  const skipped: SkippedRow[] = [];
  const structureBlocks = doc.blocks.filter(isStructureBlock);
  for (const block of structureBlocks) {
    const result = cifBlockToStructure(block, doc, file);
    const id = structureBlocks.length > 1 ? `${idPrefix}#${block.name}` : idPrefix;
    if (result.structure) {
      structures.push({ id, file, line: firstLine + block.range.start.line, structure: result.structure });
      continue;
    }
    const firstError = [...doc.diagnostics, ...result.diagnostics].find((d) => d.severity === 'error');
    skipped.push({ file, line: firstLine + (firstError?.range.start.line ?? block.range.start.line), reason: firstError?.message ?? `data block "${block.name}" has no usable cell or atoms` });
  }
  if (structureBlocks.length === 0) {
    const firstError = doc.diagnostics.find((d) => d.severity === 'error');
    skipped.push({ file, line: firstLine + (firstError?.range.start.line ?? 0), reason: firstError?.message ?? 'no data block with atom sites (_atom_site_fract_x)' });
  }
  return { structures, skipped };
}

/** Reads a CSV whose `cif` column holds one CIF per row (the CDVAE format). */
export function loadCifCsv(file: string, name = path.basename(file)): StructureDataset {
  const table = readCsv(file);
  if (!table.columns.includes('cif')) throw new Error(`${file}: no "cif" column (columns: ${table.columns.join(', ')})`);
  const dataset: StructureDataset = { name, structures: [], skipped: [] };
  for (const record of table.records) {
    const id = record.values.material_id || record.values[''] || `line ${record.line}`;
    const cif = record.values.cif ?? '';
    if (!cif.trim()) {
      dataset.skipped.push({ file, line: record.line, reason: 'empty cif field' });
      continue;
    }
    const { structures, skipped } = structuresFromCif(cif, file, id, record.line);
    dataset.structures.push(...structures);
    dataset.skipped.push(...skipped);
  }
  return dataset;
}

/** One split of a CDVAE benchmark from `<dataDir>/structures`. */
export function loadCdvaeCsv(dataDir: string, name: CdvaeDatasetName, split: CdvaeSplit): StructureDataset {
  const relative = CDVAE_FILES[name][split];
  if (!relative) throw new Error(`${name} has no ${split} split here (available: ${Object.keys(CDVAE_FILES[name]).join(', ')})`);
  const file = path.join(dataDir, 'structures', relative);
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: the data directory lacks the ${name} ${split} split`);
  return { ...loadCifCsv(file), name: `${name}:${split}` };
}

const POSCAR_NAME = /(^(POSCAR|CONTCAR)([._-].*)?$)|(\.(vasp|poscar)$)/i;

/** Whether a file name is one evaluate-crystals reads (.cif, .vasp, .poscar, POSCAR*, CONTCAR*). */
export function isStructureFileName(name: string): boolean {
  return /\.cif$/i.test(name) || POSCAR_NAME.test(name);
}

/** Structures from one .cif / POSCAR file. */
export function loadStructureFile(file: string, id = path.basename(file)): { structures: LabelledStructure[]; skipped: SkippedRow[] } {
  const text = fs.readFileSync(file, 'utf8');
  if (/\.cif$/i.test(file)) return structuresFromCif(text, file, id);
  try {
    return { structures: [{ id, file, structure: parsePoscar(text, file) }], skipped: [] };
  } catch (error) {
    return { structures: [], skipped: [skippedFromError(file, error)] };
  }
}

/** Every .cif and POSCAR file in a folder (not recursive), in natural name order; or one file. */
export function loadStructureFolder(target: string): StructureDataset {
  if (!fs.existsSync(target)) throw new Error(`${target} does not exist`);
  const dataset: StructureDataset = { name: path.basename(target), structures: [], skipped: [] };
  const files = fs.statSync(target).isDirectory()
    ? fs.readdirSync(target).filter(isStructureFileName).sort(naturalCompare).map((f) => path.join(target, f))
    : [target];
  for (const file of files) {
    const { structures, skipped } = loadStructureFile(file);
    dataset.structures.push(...structures);
    dataset.skipped.push(...skipped);
  }
  return dataset;
}

/**
 * A reference set by name: "nbo", "perov-5" / "carbon-24" / "mp-20" (all splits here, or one with
 * ":test", ":val", ":train"), or a path to a folder, a .cif/POSCAR file or a CSV with a cif column.
 */
export function loadReference(spec: string, dataDir: () => string): StructureDataset {
  if (spec === 'nbo') return loadNbo(dataDir());
  const [name, split] = spec.split(':');
  if (isCdvaeDatasetName(name)) {
    const splits = split ? [split as CdvaeSplit] : (Object.keys(CDVAE_FILES[name]) as CdvaeSplit[]);
    const parts = splits.map((s) => loadCdvaeCsv(dataDir(), name, s));
    return { name: spec, structures: parts.flatMap((p) => p.structures), skipped: parts.flatMap((p) => p.skipped) };
  }
  if (/\.csv$/i.test(spec) && fs.existsSync(spec) && fs.statSync(spec).isFile()) return loadCifCsv(spec);
  if (!fs.existsSync(spec)) {
    throw new Error(`reference "${spec}" is neither a known set (nbo, perov-5, carbon-24, mp-20) nor an existing file or folder`);
  }
  return loadStructureFolder(spec);
}
