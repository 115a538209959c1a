// What the CIF language features need from one read of a document, as plain data small enough to
// cross a thread boundary cheaply: capped diagnostics, a capped outline, folding regions, block
// summaries (code lens, status), formula values (inlay hints) and packed loop-column tokens. The
// same function runs in the extension host for small documents and in the CIF worker
// (cifWorker.ts) for large ones, so both paths show the same thing. No vscode, no Node imports.
import { parseCif, readParsedCif, type CifReading } from '../../core/cif';
import type { CifDiagnostic, CifDocument, CifPosition, CifRange } from '../../core/cif/types';
import { reducedFormulaOf } from '../viewer/viewerModel';
import { foldingRegions, loopCategory, loopColumnTokenBound, loopColumnTokens, outline, rangeContains, sameRowValue, targetAt, type CifTarget, type FoldRegion, type OutlineNode } from './logic/cifOutline';
import { atomSiteMarkdown, tagMarkdown, valueMarkdown } from './logic/hoverText';
import { isFormulaTag } from './logic/tagDictionary';

/**
 * The documented limits. readCif costs about 0.25 µs per character and 50 bytes of memory per
 * character (50 MB CIF: 12 s, 2.5 GB), parse-only about a tenth of the time.
 */
export const CIF_LIMITS = {
  /** Files up to this many characters are read directly by the viewer and the gallery. */
  syncChars: 100_000,
  /**
   * The language features read documents up to this many characters in the extension host, larger
   * ones in the worker. 100,000 took 70-95 ms on the loaded 2-core machine (bench `host` mode,
   * 2026-11-22), too close to the 50 ms budget for a host that must never block; the worker path is
   * incremental, so the hop costs little.
   */
  hostAnalysisChars: 50_000,
  /** Above this many characters only syntax is checked: no symmetry expansion, no structures. */
  fullReadChars: 10_000_000,
  /** Above this many atom-site rows in one block, likewise (checked after parsing). */
  fullReadSites: 200_000,
  /** Diagnostics shown at most (the counts in the status item stay exact). */
  diagnostics: 1_000,
  /** Atom sites listed under one loop in the outline at most. */
  outlineChildren: 1_000,
  /** Folding regions at most. */
  foldingRegions: 5_000,
  /** Rainbow loop-column tokens at most; beyond that the loops are not coloured. */
  tokens: 200_000,
  /** Atoms the crystal viewer draws at most. */
  viewerAtoms: 20_000,
} as const;

export type CifLimits = { readonly [K in keyof typeof CIF_LIMITS]: number };

export interface BlockSummary {
  name: string;
  /** Range of the `data_…` header (where the code lens goes). */
  range: CifRange;
  structure?: { formula: string; sites: number; spaceGroup?: string };
}

/** A single-line value of a formula tag, for band-gap inlay hints. */
export interface FormulaValue {
  line: number;
  start: number;
  end: number;
  text: string;
  context: 'cif-moiety' | 'cif-sum';
}

export interface CifAnalysis {
  version: number;
  /** 'full': structures built; 'syntax-only': over a limit; 'failed': the background read died. */
  mode: 'full' | 'syntax-only' | 'failed';
  /** Why the mode is not 'full', in words. */
  note?: string;
  diagnostics: CifDiagnostic[];
  /** Exact counts, also of diagnostics left out of the capped list. */
  counts: Record<CifDiagnostic['severity'], number>;
  outline: OutlineNode[];
  folding: FoldRegion[];
  blocks: BlockSummary[];
  formulaValues: FormulaValue[];
  /** Loop-column tokens, four numbers each: line, character, length, column. */
  tokens: Uint32Array;
}

export interface AnalyzeOptions {
  fileName?: string;
  unknownTags?: boolean;
  version: number;
  limits?: CifLimits;
}

const START: CifRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function megabytes(chars: number): string {
  return `${(chars / 1e6).toFixed(1)} MB`;
}

/** Rows of the largest atom-site loop of any block: a cheap bound on the structure's size before building it. */
export function maxAtomSiteRows(document: CifDocument): number {
  let max = 0;
  for (const block of document.blocks) {
    for (const loop of block.loops) {
      if (loop.keys.some((k) => /^_atom_site_(fract|cartn)_/.test(k))) max = Math.max(max, loop.rowCount);
    }
  }
  return max;
}

/** The reading (full when within the limits, else parse only) and why it was limited. */
export function readWithinLimits(text: string, options: Omit<AnalyzeOptions, 'version'>): { reading: CifReading; note?: string } {
  const limits = options.limits ?? CIF_LIMITS;
  const parseOptions = { fileName: options.fileName, unknownTags: options.unknownTags };
  if (text.length <= limits.fullReadChars) {
    const document = parseCif(text, parseOptions);
    const rows = maxAtomSiteRows(document);
    if (rows <= limits.fullReadSites) return { reading: readParsedCif(document, parseOptions) };
    return { reading: syntaxOnly(document), note: `${rows.toLocaleString('en-US')} atom sites (limit ${limits.fullReadSites.toLocaleString('en-US')})` };
  }
  return { reading: syntaxOnly(parseCif(text, parseOptions)), note: `${megabytes(text.length)} (limit ${megabytes(limits.fullReadChars)})` };
}

function syntaxOnly(document: CifDocument): CifReading {
  return { document, blocks: document.blocks.map((block) => ({ block, diagnostics: [] })), diagnostics: document.diagnostics };
}

function formulaValues(document: CifDocument): FormulaValue[] {
  const out: FormulaValue[] = [];
  for (const block of document.blocks) {
    for (const item of block.items) {
      if (!isFormulaTag(item.name)) continue;
      for (const value of item.values) {
        if (value.range.start.line !== value.range.end.line) continue;
        out.push({ line: value.range.start.line, start: value.range.start.character, end: value.range.end.character, text: value.text, context: /moiety/i.test(item.name) ? 'cif-moiety' : 'cif-sum' });
      }
    }
  }
  return out;
}

/** `textFields: false`: no line starts with `;`, so the bound on the token count is exact. */
function packTokens(document: CifDocument, cap: number, textFields: boolean): Uint32Array {
  // Over the cap nothing is coloured; counting first spares building ~700k values of a 5 MB file.
  if (!textFields && loopColumnTokenBound(document) > cap) return new Uint32Array(0);
  const tokens = loopColumnTokens(document);
  if (tokens.length > cap) return new Uint32Array(0);
  const packed = new Uint32Array(tokens.length * 4);
  tokens.forEach((t, i) => packed.set([t.line, t.character, t.length, t.column], i * 4));
  return packed;
}

/**
 * The parser builds loop values lazily from its token table; over the limits nothing here touches
 * them, so memory stays at the token table's (the full outline, folding and tokens of a 50 MB file
 * would build ~7 M value objects). Blocks and loops are listed; sites are not.
 */
function syntaxOnlyOutline(document: CifDocument): OutlineNode[] {
  return document.blocks.map((block) => ({
    name: `data_${block.name}`,
    detail: `${block.items.length} items`,
    kind: 'block' as const,
    range: block.extent,
    selectionRange: block.range,
    children: block.loops.map((loop) => ({ name: `loop ${loopCategory(loop.keys)}`, detail: `${loop.keys.length} columns × ${loop.rowCount.toLocaleString('en-US')} rows (large file: rows not listed)`, kind: 'loop' as const, range: loop.range, selectionRange: loop.range, children: [] })),
  }));
}

function syntaxOnlyFolding(document: CifDocument): FoldRegion[] {
  return document.blocks.filter((b) => b.extent.end.line > b.extent.start.line).map((b) => ({ startLine: b.extent.start.line, endLine: b.extent.end.line, kind: 'block' as const }));
}

/** True when a line of the text starts with `;` (a text field may be there). */
export function mayHaveTextFields(text: string): boolean {
  return text.startsWith(';') || /[\r\n];/.test(text);
}

/** The note after the first `limits.diagnostics` of `total` diagnostics (full reads and incremental ones). */
export function tooManyDiagnostics(total: number, limits: CifLimits, range: CifRange): CifDiagnostic {
  return { severity: 'info', code: 'too-many-diagnostics', range, message: `${total.toLocaleString('en-US')} problems in this file; the first ${limits.diagnostics.toLocaleString('en-US')} are shown. Run \`crystal-gan parse-cif --all\` for the full list.` };
}

export function summarize(reading: CifReading, version: number, limits: CifLimits, note?: string, textFields = true): CifAnalysis {
  const full = note === undefined;
  const counts = { error: 0, warning: 0, info: 0 };
  // A capped code's summary is not a problem of its own: it stands for the `suppressed` ones it counts.
  for (const d of reading.diagnostics) counts[d.severity] += d.suppressed ?? 1;
  const diagnostics = reading.diagnostics.slice(0, limits.diagnostics);
  const firstBlock = reading.document.blocks[0]?.range ?? START;
  if (reading.diagnostics.length > limits.diagnostics) {
    diagnostics.push(tooManyDiagnostics(reading.diagnostics.length, limits, firstBlock));
  }
  if (note) {
    diagnostics.unshift({ severity: 'info', code: 'large-file', range: firstBlock, message: `Large CIF (${note}): only syntax checks and the outline are shown; symmetry expansion, structure checks and the viewer are skipped above ${megabytes(limits.fullReadChars)} or ${limits.fullReadSites.toLocaleString('en-US')} atom sites.` });
    counts.info++;
  }
  const blocks = reading.blocks.map((b) => ({
    name: b.block.name,
    range: b.block.range,
    ...(b.structure ? { structure: { formula: reducedFormulaOf(b.structure), sites: b.structure.sites.length, spaceGroup: b.spaceGroup } } : {}),
  }));
  return {
    version,
    mode: note ? 'syntax-only' : 'full',
    ...(note ? { note } : {}),
    diagnostics,
    counts,
    outline: full ? outline(reading.document, limits.outlineChildren) : syntaxOnlyOutline(reading.document),
    folding: (full ? foldingRegions(reading.document, textFields) : syntaxOnlyFolding(reading.document)).slice(0, limits.foldingRegions),
    blocks,
    formulaValues: formulaValues(reading.document),
    tokens: full ? packTokens(reading.document, limits.tokens, textFields) : new Uint32Array(0),
  };
}

/** Reads `text` within the limits and summarizes it; the reading is returned too (hovers, viewer). */
export function analyzeCif(text: string, options: AnalyzeOptions): { analysis: CifAnalysis; reading: CifReading } {
  const limits = options.limits ?? CIF_LIMITS;
  const { reading, note } = readWithinLimits(text, { ...options, limits });
  return { analysis: summarize(reading, options.version, limits, note, mayHaveTextFields(text)), reading };
}

/** The analysis shown when the background read failed (e.g. it ran out of memory). */
export function failedAnalysis(version: number, reason: string): CifAnalysis {
  const message = `This CIF could not be read in the background (${reason}): diagnostics, outline and structure features are off for it. \`crystal-gan parse-cif FILE\` reads it in a terminal.`;
  return { version, mode: 'failed', note: reason, diagnostics: [{ severity: 'warning', code: 'read-failed', range: START, message }], counts: { error: 0, warning: 1, info: 0 }, outline: [], folding: [], blocks: [], formulaValues: [], tokens: new Uint32Array(0) };
}

/** A hover, as plain data: Markdown for a tag or value, plus the value when it is a formula. */
export interface HoverAnswer {
  markdown: string;
  range: CifRange;
  /** A single-line formula value: the host asks the band-gap model and shows the formula hover. */
  formula?: { text: string; offset: number; context: 'cif-moiety' | 'cif-sum' };
}

/** Tags, and values outside loops: what a hover finds without building loop values. */
function lightTargetAt(document: CifDocument, pos: CifPosition): CifTarget | undefined {
  const block = document.blocks.find((b) => rangeContains(b.extent, pos));
  if (!block) return undefined;
  for (const item of block.items) {
    if (rangeContains(item.nameRange, pos)) return { kind: 'tag', block, item };
    if (item.loop !== undefined) continue;
    const row = item.values.findIndex((v) => rangeContains(v.range, pos));
    if (row >= 0) return { kind: 'value', block, item, value: item.values[row], row };
  }
  return undefined;
}

/** `syntaxOnly`: a file over the limits, where looped values are not looked at (memory). */
export function hoverAnswer(reading: CifReading, position: CifPosition, syntaxOnly = false): HoverAnswer | undefined {
  const target = syntaxOnly ? lightTargetAt(reading.document, position) : targetAt(reading.document, position);
  if (!target) return undefined;
  if (target.kind === 'tag') return { markdown: tagMarkdown(target.item.name), range: target.item.nameRange };
  const { block, item, value, row } = target;
  const parts = [valueMarkdown(block, item, value, row)];
  const label = sameRowValue(block, item, row, '_atom_site_label')?.text ?? (item.key === '_atom_site_label' ? value.text : undefined);
  if (label && item.key.startsWith('_atom_site_') && !item.key.startsWith('_atom_site_aniso')) {
    const structure = reading.blocks.find((b) => b.block.name === block.name)?.structure;
    const site = structure ? atomSiteMarkdown(structure, label) : undefined;
    if (site) parts.unshift(site, '\n---\n');
  }
  const answer: HoverAnswer = { markdown: parts.join('\n'), range: value.range };
  if (isFormulaTag(item.name) && value.range.start.line === value.range.end.line) {
    // A quoted value's range includes its quote; the formula starts one character later.
    answer.formula = { text: value.text, offset: value.range.start.character + (value.kind === 'quoted' ? 1 : 0), context: /moiety/i.test(item.name) ? 'cif-moiety' : 'cif-sum' };
  }
  return answer;
}
