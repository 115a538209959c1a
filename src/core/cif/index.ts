// Public entry of the CIF core (web-safe): parse, build structures, write. The editor's language
// features and the CLI both go through readCif so they show the same diagnostics.
import { parseCif, type ParseCifOptions } from './parser';
import { cifBlockToStructure, type CifStructureResult, type StructureOptions } from './structure';
import type { CifBlock, CifDiagnostic, CifDocument } from './types';

export * from './types';
export { parseCif, type ParseCifOptions } from './parser';
export { lexCif, type CifToken, type CifTokenKind } from './lexer';
export { findItem, findValue, findNumber, findText } from './block';
export { tagKey, keyAliases } from './dictionary';
export { parseCifNumber } from './values';
export { cifBlockToStructure, compositionOf, isStructureBlock, DIAGNOSTICS_PER_CODE, MERGE_TOLERANCE_ANGSTROM, type CifStructureResult, type StructureOptions } from './structure';
export { parseSymOp, formatSymOp, resolveSpaceGroup, spaceGroupOperations, spaceGroupSettingCount, type SymOp, type ResolvedSpaceGroup } from './symmetry';
export { writeCif, type WriteCifOptions } from './writer';

export interface CifBlockReading extends CifStructureResult {
  block: CifBlock;
}

/**
 * The parse options plus the structure checks' cap: `maxDiagnosticsPerCode` (default
 * DIAGNOSTICS_PER_CODE = 200) diagnostics of each per-row code (occupancy sums, occupancies, labels,
 * type symbols, coordinates) per data block, then one summary of the same code and severity on the
 * atom-site loop whose `suppressed` says how many more there are. `Infinity` reports every one.
 */
export interface ReadCifOptions extends ParseCifOptions, StructureOptions {}

export interface CifReading {
  document: CifDocument;
  blocks: CifBlockReading[];
  /** Syntax diagnostics and every block's structure diagnostics, sorted by position. */
  diagnostics: CifDiagnostic[];
}

/** Parses the text and builds a structure for every data block that has atom sites. Never throws. */
export function readCif(text: string, options: ReadCifOptions = {}): CifReading {
  return readParsedCif(parseCif(text, options), options);
}

/** readCif for a document already parsed with the same options (the editor checks its size first). */
export function readParsedCif(document: CifDocument, options: ReadCifOptions = {}): CifReading {
  const cif2 = document.diagnostics.some((d) => d.code === 'cif2-unsupported');
  const blocks = document.blocks.map((block) => ({ block, ...(cif2 ? { diagnostics: [] } : cifBlockToStructure(block, document, options.fileName, options)) }));
  const diagnostics = [...document.diagnostics, ...blocks.flatMap((b) => b.diagnostics)];
  // Usually in order already; the sort is stable, so skipping it then changes nothing. (A capped
  // code's summary sits on the loop_ before its rows, so such a block is sorted: a few hundred.)
  if (!inOrder(diagnostics)) diagnostics.sort(comparePositions);
  return { document, blocks, diagnostics };
}

function inOrder(diagnostics: CifDiagnostic[]): boolean {
  for (let i = 1; i < diagnostics.length; i++) if (comparePositions(diagnostics[i - 1], diagnostics[i]) > 0) return false;
  return true;
}

export function comparePositions(a: CifDiagnostic, b: CifDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
