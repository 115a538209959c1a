// Splitting a CIF into independently readable pieces, for re-reading only what an edit touched.
// Data blocks are independent in CIF 1.1 (only duplicate block codes compare blocks), so a document
// splits at every line that starts with `data_` outside a text field; a piece's reading does not
// depend on the other pieces. Web-safe, no Node imports.

/** Replace `length` characters at `offset` by `text` (VS Code's rangeOffset/rangeLength/text). */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** Applies edits one after another, each against the text the previous one left (VS Code's order). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of edits) {
    if (edit.offset < 0 || edit.length < 0 || edit.offset + edit.length > out.length) {
      throw new RangeError(`edit at ${edit.offset}+${edit.length} is outside a text of ${out.length} characters`);
    }
    out = out.slice(0, edit.offset) + edit.text + out.slice(edit.offset + edit.length);
  }
  return out;
}

export interface SegmentStart {
  /** Character offset of the segment's first character. */
  offset: number;
  /** 0-based line of that character. */
  line: number;
}

const LF = 10;
const CR = 13;
const SEMICOLON = 59;

/** True when a `data_` (any case) starts at `offset`. */
function startsDataBlock(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset) | 0x20;
  return c === 0x64 && text.slice(offset, offset + 5).toLowerCase() === 'data_';
}

/**
 * Where the pieces start: offset 0 (comments and anything before the first block), then every line
 * beginning with `data_` that is not inside a `;` text field. Line breaks are LF, CRLF or a lone CR,
 * as in the lexer. A CIF 2.0 file (which the lexer refuses as a whole) is one piece.
 */
export function cifSegmentStarts(text: string): SegmentStart[] {
  const starts: SegmentStart[] = [{ offset: 0, line: 0 }];
  if (/^\uFEFF?#\\#CIF_2\.0/.test(text)) return starts;
  const loneCarriageReturns = text.includes('\r');
  let inTextField = false;
  let line = 0;
  let offset = 0;
  while (offset < text.length) {
    const first = text.charCodeAt(offset);
    if (first === SEMICOLON) inTextField = !inTextField;
    else if (!inTextField && offset > 0 && startsDataBlock(text, offset)) starts.push({ offset, line });
    // Next line start.
    let end = loneCarriageReturns ? offset : text.indexOf('\n', offset);
    if (loneCarriageReturns) {
      while (end < text.length && text.charCodeAt(end) !== LF && text.charCodeAt(end) !== CR) end++;
      if (end >= text.length) break;
      offset = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    } else {
      if (end < 0) break;
      offset = end + 1;
    }
    line++;
  }
  return starts;
}

/**
 * A copy of a small piece of a large text. A slice keeps its whole parent string alive, so results
 * kept for unchanged blocks would otherwise hold on to every old version of the document.
 */
function detached(piece: string, wholeLength: number): string {
  if (piece.length * 2 > wholeLength) return piece;
  // join builds a new flat string (exact, unlike a UTF-8 round trip of lone surrogates).
  return piece.split('\n').join('\n');
}

export interface Segment<R> {
  /** First line of the segment in the current text; its results are relative to this line. */
  line: number;
  text: string;
  result: R;
}

/**
 * Segments of the current text with a result per segment, computed by `read` only for segment
 * texts that were not there before (a typed character re-reads one data block, not the file).
 */
export class SegmentCache<R> {
  private current: Segment<R>[] = [];

  constructor(private readonly read: (segmentText: string) => R) {}

  get segments(): readonly Segment<R>[] {
    return this.current;
  }

  /** Re-splits `text`; returns how many segments had to be read. */
  update(text: string): number {
    const previous = new Map<string, R[]>();
    for (const segment of this.current) {
      const list = previous.get(segment.text);
      if (list) list.push(segment.result);
      else previous.set(segment.text, [segment.result]);
    }
    const starts = cifSegmentStarts(text);
    let read = 0;
    this.current = starts.map((start, i) => {
      const segmentText = text.slice(start.offset, i + 1 < starts.length ? starts[i + 1].offset : text.length);
      let result = previous.get(segmentText)?.shift();
      if (result === undefined) {
        result = this.read(detached(segmentText, text.length));
        read++;
      }
      return { line: start.line, text: segmentText, result };
    });
    return read;
  }

  /** The segment holding `line`. */
  segmentAt(line: number): Segment<R> | undefined {
    let found: Segment<R> | undefined;
    for (const segment of this.current) {
      if (segment.line > line) break;
      found = segment;
    }
    return found;
  }
}
