// Incremental CIF analysis: the document is split into data blocks (src/core/cif/segments.ts),
// each block is read and summarized once, and after an edit only blocks whose text changed are
// read again; the rest keep their results, moved to their new first line. The merged analysis
// equals analyzeCif on the whole text (test/language.incremental.test.ts checks that on random
// edits). Over the limits, with non-ASCII characters (the lexer caps those reports per file) or a
// data_ in the middle of a line, the whole text is read as before. No vscode, no Node imports.
import { parseCif, readParsedCif, type CifReading } from '../../core/cif';
import { SegmentCache, type Segment } from '../../core/cif/segments';
import type { CifDiagnostic, CifPosition, CifRange } from '../../core/cif/types';
import { analyzeCif, CIF_LIMITS, hoverAnswer, mayHaveTextFields, maxAtomSiteRows, summarize, tooManyDiagnostics, type CifAnalysis, type CifLimits, type HoverAnswer } from './cifWorkerAnalysis';
import { loopColumnTokenBound, type OutlineNode } from './logic/cifOutline';

export interface IncrementalOptions {
  fileName?: string;
  unknownTags?: boolean;
  limits?: CifLimits;
}

interface SegmentRead {
  reading: CifReading;
  /** Summary relative to the segment's first line, nothing capped except the outline. */
  summary: CifAnalysis;
  /** Upper bound on the loop-column tokens (exact without text fields). */
  tokenBound: number;
  /** Reasons to read the whole text instead: too many sites, non-ASCII, blocks not one per segment. */
  wholeTextNeeded: boolean;
  /** The summary moved to the segment's line when it was last merged (most edits move no block). */
  moved?: MovedSummary;
}

type MovedSummary = Pick<CifAnalysis, 'outline' | 'folding' | 'blocks' | 'formulaValues'> & { line: number };

function moveSummary(summary: CifAnalysis, line: number): MovedSummary {
  return {
    line,
    outline: summary.outline.map((node) => shiftOutline(node, line)),
    folding: summary.folding.map((f) => ({ ...f, startLine: f.startLine + line, endLine: f.endLine + line })),
    blocks: summary.blocks.map((b) => ({ ...b, range: shiftRange(b.range, line) })),
    formulaValues: summary.formulaValues.map((f) => ({ ...f, line: f.line + line })),
  };
}

const UNCAPPED: Pick<CifLimits, 'diagnostics' | 'foldingRegions'> = { diagnostics: Number.MAX_SAFE_INTEGER, foldingRegions: Number.MAX_SAFE_INTEGER };

function shiftPosition(p: CifPosition, lines: number): CifPosition {
  return { line: p.line + lines, character: p.character };
}

function shiftRange(r: CifRange, lines: number): CifRange {
  return { start: shiftPosition(r.start, lines), end: shiftPosition(r.end, lines) };
}

/** Codes whose message names the line of an earlier occurrence in the same block: "(first at line N". */
const MESSAGES_WITH_LINES = new Set(['duplicate-tag', 'duplicate-label']);

function shiftDiagnostic(d: CifDiagnostic, lines: number): CifDiagnostic {
  const moved: CifDiagnostic = { ...d, range: shiftRange(d.range, lines) };
  if (lines !== 0 && MESSAGES_WITH_LINES.has(d.code)) moved.message = d.message.replace(/\(first at line (\d+)/, (_match, line: string) => `(first at line ${Number(line) + lines}`);
  if (d.fix) moved.fix = { ...d.fix, range: shiftRange(d.fix.range, lines) };
  return moved;
}

function shiftOutline(node: OutlineNode, lines: number): OutlineNode {
  return { ...node, range: shiftRange(node.range, lines), selectionRange: shiftRange(node.selectionRange, lines), children: node.children.map((c) => shiftOutline(c, lines)) };
}

export class IncrementalCifAnalyzer {
  private readonly limits: CifLimits;
  private readonly segments: SegmentCache<SegmentRead>;
  /** Set when the last text was read whole (see the file comment). */
  private whole: CifReading | undefined;
  /** Segments read by the last analyze (for benchmarks and tests). */
  lastSegmentsRead = 0;

  constructor(private readonly options: IncrementalOptions) {
    this.limits = options.limits ?? CIF_LIMITS;
    this.segments = new SegmentCache((text) => this.readSegment(text));
  }

  get segmentCount(): number {
    return this.segments.segments.length;
  }

  /** True when this analyzer reads with these options (else the host starts a new one). */
  matches(fileName: string | undefined, unknownTags: boolean | undefined): boolean {
    return this.options.fileName === fileName && this.options.unknownTags === unknownTags;
  }

  analyze(text: string, version: number): CifAnalysis {
    if (text.length <= this.limits.fullReadChars) {
      this.lastSegmentsRead = this.segments.update(text);
      const segments = this.segments.segments;
      if (!segments.some((s) => s.result.wholeTextNeeded)) {
        this.whole = undefined;
        return this.merge(segments, version);
      }
    }
    const { analysis, reading } = analyzeCif(text, { ...this.options, limits: this.limits, version });
    this.whole = reading;
    this.lastSegmentsRead = -1;
    return analysis;
  }

  /** The hover at an absolute position, from the segment that holds it. */
  hover(position: CifPosition, syntaxOnly = false): HoverAnswer | undefined {
    if (this.whole) return hoverAnswer(this.whole, position, syntaxOnly);
    const segment = this.segments.segmentAt(position.line);
    if (!segment) return undefined;
    const answer = hoverAnswer(segment.result.reading, shiftPosition(position, -segment.line), syntaxOnly);
    return answer && { ...answer, range: shiftRange(answer.range, segment.line) };
  }

  /** One reading of the whole text with every diagnostic at its absolute line (for the viewer). */
  reading(): CifReading {
    if (this.whole) return this.whole;
    const segments = this.segments.segments;
    const blocks = segments.flatMap((s) => s.result.reading.blocks.map((b) => ({ ...b, diagnostics: b.diagnostics.map((d) => shiftDiagnostic(d, s.line)) })));
    const diagnostics = segments.flatMap((s) => s.result.reading.diagnostics.map((d) => shiftDiagnostic(d, s.line)));
    // Block ranges stay relative to their segments; the viewer uses blocks by index only.
    return { document: { blocks: blocks.map((b) => b.block), diagnostics: [] }, blocks, diagnostics };
  }

  private readSegment(text: string): SegmentRead {
    const parseOptions = { fileName: this.options.fileName, unknownTags: this.options.unknownTags };
    const document = parseCif(text, parseOptions);
    const first = text.startsWith('data_') || text.slice(0, 5).toLowerCase() === 'data_';
    const oneBlock = first ? document.blocks.length === 1 : document.blocks.length === 0;
    const nonAscii = document.diagnostics.some((d) => d.code === 'non-ascii');
    const tooManySites = maxAtomSiteRows(document) > this.limits.fullReadSites;
    const wholeTextNeeded = !oneBlock || nonAscii || tooManySites;
    const reading = wholeTextNeeded ? { document, blocks: [], diagnostics: [] } : readParsedCif(document, parseOptions);
    const summary = wholeTextNeeded ? emptySummary() : summarize(reading, 0, { ...this.limits, ...UNCAPPED }, undefined, mayHaveTextFields(text));
    return { reading, summary, tokenBound: loopColumnTokenBound(document), wholeTextNeeded };
  }

  private merge(segments: readonly Segment<SegmentRead>[], version: number): CifAnalysis {
    const limits = this.limits;
    const counts = { error: 0, warning: 0, info: 0 };
    const diagnostics: CifDiagnostic[] = [];
    const duplicates = duplicateBlockDiagnostics(segments);
    let total = 0;
    for (const [i, segment] of segments.entries()) {
      const own = segment.result.summary;
      const extra = duplicates.get(i);
      const list = extra ? withDuplicates(segment.result.reading, extra) : own.diagnostics;
      for (const severity of ['error', 'warning', 'info'] as const) counts[severity] += own.counts[severity];
      for (const d of extra ?? []) counts[d.severity]++;
      total += list.length;
      for (const d of list) {
        if (diagnostics.length >= limits.diagnostics) break;
        diagnostics.push(shiftDiagnostic(d, segment.line));
      }
    }
    const firstBlock = segments.find((s) => s.result.summary.blocks.length > 0);
    if (total > limits.diagnostics) {
      const range = firstBlock ? shiftRange(firstBlock.result.summary.blocks[0].range, firstBlock.line) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      diagnostics.push(tooManyDiagnostics(total, limits, range));
    }
    const tokenBound = segments.reduce((sum, s) => sum + s.result.tokenBound, 0);
    const moved = segments.map((s) => (s.result.moved?.line === s.line ? s.result.moved : (s.result.moved = moveSummary(s.result.summary, s.line))));
    return {
      version,
      mode: 'full',
      diagnostics,
      counts,
      outline: moved.flatMap((m) => m.outline),
      folding: moved.flatMap((m) => m.folding).slice(0, limits.foldingRegions),
      blocks: moved.flatMap((m) => m.blocks),
      formulaValues: moved.flatMap((m) => m.formulaValues),
      // Over the cap nothing is coloured. The bound counts multi-line text fields too, so with many
      // of them a file just under the cap may lose its colours: accepted, not worth a second pass.
      tokens: tokenBound > limits.tokens ? new Uint32Array(0) : concatTokens(segments),
    };
  }
}

function emptySummary(): CifAnalysis {
  return { version: 0, mode: 'full', diagnostics: [], counts: { error: 0, warning: 0, info: 0 }, outline: [], folding: [], blocks: [], formulaValues: [], tokens: new Uint32Array(0) };
}

function concatTokens(segments: readonly Segment<SegmentRead>[]): Uint32Array {
  const out = new Uint32Array(segments.reduce((sum, s) => sum + s.result.summary.tokens.length, 0));
  let at = 0;
  for (const s of segments) {
    const tokens = s.result.summary.tokens;
    out.set(tokens, at);
    for (let i = at; i < at + tokens.length; i += 4) out[i] += s.line;
    at += tokens.length;
  }
  return out;
}

/**
 * "Duplicate block code" errors, which the parser of a single block cannot see: by segment index,
 * at the later block's header, relative to its segment (the parser's message, absolute first line).
 */
function duplicateBlockDiagnostics(segments: readonly Segment<SegmentRead>[]): Map<number, CifDiagnostic[]> {
  const firstLines = new Map<string, number>();
  const out = new Map<number, CifDiagnostic[]>();
  segments.forEach((segment, i) => {
    for (const block of segment.result.reading.document.blocks) {
      const code = block.name.toLowerCase();
      const first = firstLines.get(code);
      if (first === undefined) {
        firstLines.set(code, block.range.start.line + segment.line);
        continue;
      }
      const diagnostic: CifDiagnostic = { severity: 'error', code: 'duplicate-block', message: `Duplicate block code data_${block.name} (first at line ${first + 1}; codes are case-insensitive): rename one block, since readers keep only one of them.`, range: block.range };
      out.set(i, [...(out.get(i) ?? []), diagnostic]);
    }
  });
  return out;
}

/** The segment's diagnostics in readCif's order with the duplicate-block errors among the syntax ones. */
function withDuplicates(reading: CifReading, duplicates: CifDiagnostic[]): CifDiagnostic[] {
  const all = [...reading.document.diagnostics, ...duplicates, ...reading.blocks.flatMap((b) => b.diagnostics)];
  return all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
