// CIF text → the structure of one data block, through the same readCif the CLI and the language
// features use, so the viewer draws exactly what the diagnostics describe.
import { readCif, type CifReading } from '../../core/cif';
import type { LoadedStructure } from './structureSource';

export function buildCifStructure(text: string, path: string, blockIndex: number, reading?: CifReading): LoadedStructure {
  const read = reading ?? readCif(text, { fileName: path, unknownTags: false });
  const blockNames = read.blocks.map((b) => b.block.name);
  if (read.blocks.length === 0) throw new Error(`${path}: no data block found (a CIF starts its data with data_<name>)`);
  // Prefer the requested block; else the first block that has atoms.
  const candidates = [blockIndex, ...read.blocks.map((_b, i) => i)].filter((i) => i >= 0 && i < read.blocks.length);
  const index = candidates.find((i) => read.blocks[i].structure) ?? -1;
  if (index < 0) {
    const errors = read.diagnostics.filter((d) => d.severity === 'error').slice(0, 3);
    const why = errors.map((d) => `line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message}`).join('\n');
    throw new Error(`${path}: no data block with a complete structure${why ? `\n${why}` : ' (cell parameters and _atom_site coordinates are needed)'}`);
  }
  const chosen = read.blocks[index];
  const structure = chosen.structure;
  if (!structure) throw new Error(`${path}: block data_${chosen.block.name} has no structure`);
  const warnings = chosen.diagnostics.filter((d) => d.severity !== 'info').map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  if (index !== blockIndex && blockIndex < read.blocks.length) warnings.unshift(`block data_${read.blocks[blockIndex]?.block.name} has no structure; showing data_${chosen.block.name}`);
  return { structure, spaceGroup: chosen.spaceGroup, warnings, blockNames, blockIndex: index };
}
