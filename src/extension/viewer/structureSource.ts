// Turns editor text into a Structure for the viewer and the atom-site hovers: CIF through the
// shared parser and block builder, POSCAR/VASP through the POSCAR reader. Pure (no vscode, no
// Node) so it is unit-tested and could run in a web host.
import { parsePoscar } from '../../core/structure/poscar';
import type { Structure } from '../../core/structure/types';
import type { CifReading } from '../../core/cif';
import { buildCifStructure } from './cifStructure';

export interface LoadedStructure {
  structure: Structure;
  /** Hermann–Mauguin symbol when the source gives one. */
  spaceGroup?: string;
  /** Messages worth showing above the view (the file is still drawn when possible). */
  warnings: string[];
  /** Names of every data block, for the block picker (CIF only). */
  blockNames: string[];
  blockIndex: number;
}

export type StructureFormat = 'cif' | 'poscar';

/** POSCAR, CONTCAR and *.vasp files are POSCAR; everything else is read as CIF. */
export function formatOf(path: string): StructureFormat {
  const base = path.split(/[\\/]/).pop() ?? path;
  return /\.vasp$/i.test(base) || /^(POSCAR|CONTCAR)/i.test(base) ? 'poscar' : 'cif';
}

/** Reads a structure; throws an Error whose message says what is wrong and where. */
export function loadStructure(text: string, path: string, blockIndex = 0, parsed?: CifReading): LoadedStructure {
  if (formatOf(path) === 'poscar') {
    return { structure: parsePoscar(text, path), warnings: [], blockNames: [], blockIndex: 0 };
  }
  return buildCifStructure(text, path, blockIndex, parsed);
}
