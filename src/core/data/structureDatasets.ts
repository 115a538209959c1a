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
import type { SkippedRow } from './csv';

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
