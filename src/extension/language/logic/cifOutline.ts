// Outline, folding and "what is under the cursor" for a parsed CIF document. Pure functions over
// the shared CIF model (src/core/cif/types.ts), so they run under node:test and in a web host.
import type { CifBlock, CifDocument, CifItem, CifPosition, CifRange, CifValue } from '../../../core/cif/types';
import { LoopColumn } from '../../../core/cif/values';

export type OutlineKind = 'block' | 'loop' | 'cell' | 'atom-site' | 'item';

export interface OutlineNode {
  name: string;
  detail: string;
  kind: OutlineKind;
  range: CifRange;
  selectionRange: CifRange;
  children: OutlineNode[];
}

export interface FoldRegion {
  startLine: number;
  endLine: number;
  kind: 'loop' | 'text-field' | 'block';
}

export function comparePositions(a: CifPosition, b: CifPosition): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: CifRange, pos: CifPosition): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

function spanOf(ranges: CifRange[]): CifRange {
  let start = ranges[0].start;
  let end = ranges[0].end;
  for (const r of ranges) {
    if (comparePositions(r.start, start) < 0) start = r.start;
    if (comparePositions(r.end, end) > 0) end = r.end;
  }
  return { start, end };
}

/** The columns of loop `loopIndex` in a block, in file order. */
export function loopColumns(block: CifBlock, loopIndex: number): CifItem[] {
  return block.items.filter((item) => item.loop === loopIndex);
}

/**
 * Row `row` of a loop column without building the column's values (a 5 MB CIF has ~700k of them;
 * the outline, folding and token counts need a few rows, not all of them).
 */
function rowValue(item: CifItem, row: number): CifValue | undefined {
  return item instanceof LoopColumn ? item.valueAt(row) : item.values[row];
}

/** Range of a loop from `loop_` to its last value (or last tag when it has no values). */
export function loopExtent(block: CifBlock, loopIndex: number): CifRange {
  const columns = loopColumns(block, loopIndex);
  const rows = block.loops[loopIndex].rowCount;
  // Values follow their tags row by row, so the first and last values bound all of them.
  const ends = rows > 0 && columns.length > 0 ? [rowValue(columns[0], 0), rowValue(columns[columns.length - 1], rows - 1)].filter((v): v is CifValue => v !== undefined).map((v) => v.range) : [];
  return spanOf([block.loops[loopIndex].range, ...columns.map((c) => c.nameRange), ...ends]);
}

/** Category of a loop for its outline name: the common prefix of its keys, e.g. `_atom_site`. */
export function loopCategory(keys: string[]): string {
  if (keys.length === 0) return 'loop';
  if (keys.length === 1) return keys[0];
  const parts = keys.map((k) => k.split('_').filter(Boolean));
  const common: string[] = [];
  for (let i = 0; i < parts[0].length; i++) {
    if (parts.every((p) => p[i] === parts[0][i])) common.push(parts[0][i]);
    else break;
  }
  return common.length ? '_' + common.join('_') : keys[0];
}

const CELL_KEYS = ['_cell_length_a', '_cell_length_b', '_cell_length_c', '_cell_angle_alpha', '_cell_angle_beta', '_cell_angle_gamma'];

function cellNode(block: CifBlock): OutlineNode | undefined {
  const items = CELL_KEYS.map((k) => block.items.find((i) => i.key === k && i.loop === undefined));
  const present = items.filter((i): i is CifItem => i !== undefined);
  if (present.length === 0) return undefined;
  const text = (i: CifItem | undefined) => i?.values[0]?.text ?? '?';
  const ranges = present.flatMap((i) => [i.nameRange, ...i.values.map((v) => v.range)]);
  return {
    name: 'cell',
    detail: `a=${text(items[0])} b=${text(items[1])} c=${text(items[2])} α=${text(items[3])} β=${text(items[4])} γ=${text(items[5])}`,
    kind: 'cell',
    range: spanOf(ranges),
    selectionRange: present[0].nameRange,
    children: [],
  };
}

/** The first `cap` of `count` nodes, then one "… N more" node spanning the rest (built lazily). */
export function cappedNodes(count: number, cap: number, node: (index: number) => OutlineNode): OutlineNode[] {
  const shown = Array.from({ length: Math.min(count, cap) }, (_, i) => node(i));
  if (count <= cap) return shown;
  const first = node(cap);
  const last = node(count - 1);
  return [...shown, { name: `… ${(count - cap).toLocaleString('en-US')} more`, detail: 'not listed (large loop)', kind: last.kind, range: { start: first.range.start, end: last.range.end }, selectionRange: first.selectionRange, children: [] }];
}

function atomSiteNodes(block: CifBlock, loopIndex: number, cap: number): OutlineNode[] {
  const columns = loopColumns(block, loopIndex);
  const label = columns.find((c) => c.key === '_atom_site_label');
  if (!label) return [];
  const type = columns.find((c) => c.key === '_atom_site_type_symbol');
  const coords = ['_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z'].map((k) => columns.find((c) => c.key === k));
  return cappedNodes(block.loops[loopIndex].rowCount, cap, (row) => {
    const value = rowValue(label, row) as CifValue;
    const rowRanges = columns.map((c) => rowValue(c, row)?.range).filter((r): r is CifRange => r !== undefined);
    const xyz = coords.map((c) => (c ? rowValue(c, row)?.text : undefined) ?? '?').join(' ');
    return {
      name: value.text,
      detail: `${(type ? rowValue(type, row)?.text : undefined) ?? ''} ${xyz}`.trim(),
      kind: 'atom-site' as const,
      range: spanOf(rowRanges),
      selectionRange: value.range,
      children: [],
    };
  });
}

function loopNode(block: CifBlock, loopIndex: number, cap: number): OutlineNode {
  const loop = block.loops[loopIndex];
  const isAtomSite = loop.keys.includes('_atom_site_label') && loop.keys.some((k) => k.startsWith('_atom_site_fract'));
  return {
    name: `loop ${loopCategory(loop.keys)}`,
    detail: `${loop.keys.length} columns × ${loop.rowCount} rows`,
    kind: 'loop',
    range: loopExtent(block, loopIndex),
    selectionRange: loop.range,
    children: isAtomSite ? atomSiteNodes(block, loopIndex, cap) : [],
  };
}

/**
 * Document symbols: one node per data block holding its cell, its loops (atom sites expanded).
 * Above `cap` children a node lists the first `cap` and one "… N more" node.
 */
export function outline(doc: CifDocument, cap = Infinity): OutlineNode[] {
  return doc.blocks.map((block) => {
    const children: OutlineNode[] = [];
    const cell = cellNode(block);
    if (cell) children.push(cell);
    block.loops.forEach((_loop, i) => children.push(loopNode(block, i, cap)));
    children.sort((a, b) => comparePositions(a.range.start, b.range.start));
    return { name: `data_${block.name}`, detail: `${block.items.length} items`, kind: 'block' as const, range: block.extent, selectionRange: block.range, children: cappedNodes(children.length, cap, (i) => children[i]) };
  });
}

/**
 * Folding regions for blocks, loops and multi-line text fields. `textFields: false` says the text
 * has none (no line starts with `;`), so loop values need not be looked at.
 */
export function foldingRegions(doc: CifDocument, textFields = true): FoldRegion[] {
  const regions: FoldRegion[] = [];
  for (const block of doc.blocks) {
    if (block.extent.end.line > block.extent.start.line) regions.push({ startLine: block.extent.start.line, endLine: block.extent.end.line, kind: 'block' });
    block.loops.forEach((_loop, i) => {
      const extent = loopExtent(block, i);
      if (extent.end.line > extent.start.line) regions.push({ startLine: extent.start.line, endLine: extent.end.line, kind: 'loop' });
    });
    for (const item of textFields ? block.items : []) {
      for (const value of item.values) {
        if (value.kind === 'text-field' && value.range.end.line > value.range.start.line) {
          regions.push({ startLine: value.range.start.line, endLine: value.range.end.line, kind: 'text-field' });
        }
      }
    }
  }
  return regions.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

export type CifTarget =
  | { kind: 'tag'; block: CifBlock; item: CifItem }
  | { kind: 'value'; block: CifBlock; item: CifItem; value: CifValue; row: number };

/** The tag or value under a position, with its loop row for looped values. */
export function targetAt(doc: CifDocument, pos: CifPosition): CifTarget | undefined {
  const block = doc.blocks.find((b) => rangeContains(b.extent, pos));
  if (!block) return undefined;
  for (const item of block.items) {
    if (rangeContains(item.nameRange, pos)) return { kind: 'tag', block, item };
    const row = item.values.findIndex((v) => rangeContains(v.range, pos));
    if (row >= 0) return { kind: 'value', block, item, value: item.values[row], row };
  }
  return undefined;
}

/** The value of column `key` in the same loop row as `item`'s value `row`. */
export function sameRowValue(block: CifBlock, item: CifItem, row: number, key: string): CifValue | undefined {
  if (item.loop === undefined) return undefined;
  return loopColumns(block, item.loop).find((c) => c.key === key)?.values[row];
}

/** Index of the data block holding a position (for the code lens and the viewer). */
export function blockIndexAt(doc: CifDocument, pos: CifPosition): number {
  return doc.blocks.findIndex((b) => rangeContains(b.extent, pos));
}

export interface ColumnToken {
  line: number;
  character: number;
  length: number;
  /** Column index within its loop: the tag in the header and every value below share it. */
  column: number;
}

/** How many loop-column tokens there are at most: every tag and value (multi-line text fields are not tokens). */
export function loopColumnTokenBound(doc: CifDocument): number {
  let count = 0;
  for (const block of doc.blocks) for (const loop of block.loops) count += loop.keys.length * (loop.rowCount + 1);
  return count;
}

/**
 * Tokens that tie each loop value to its column (for "rainbow" loop colouring): the tag names
 * and the single-line values, sorted by position as semantic tokens require.
 */
export function loopColumnTokens(doc: CifDocument): ColumnToken[] {
  const tokens: ColumnToken[] = [];
  const add = (range: CifRange, column: number) => {
    if (range.start.line === range.end.line && range.end.character > range.start.character) {
      tokens.push({ line: range.start.line, character: range.start.character, length: range.end.character - range.start.character, column });
    }
  };
  for (const block of doc.blocks) {
    block.loops.forEach((_loop, loopIndex) => {
      loopColumns(block, loopIndex).forEach((item, column) => {
        add(item.nameRange, column);
        for (const value of item.values) add(value.range, column);
      });
    });
  }
  return tokens.sort((a, b) => a.line - b.line || a.character - b.character);
}
