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

/**
 * Offsets where the pieces start: 0 (comments and anything before the first block), then every
 * line beginning with `data_` that is not inside a `;` text field. One native regex scan finds the
 * candidates (`^` after LF, CR or CRLF, as the lexer breaks lines; U+2028/9 also count for a regex,
 * but a file with them is read whole anyway, being non-ASCII). CIF 2.0 files are one piece.
 */
export function cifSegmentOffsets(text: string): number[] {
  const offsets = [0];
  if (/^\uFEFF?#\\#CIF_2\.0/.test(text)) return offsets;
  const lineStarts = /^(?:data_|;)/gim;
  let inTextField = false;
  for (let m = lineStarts.exec(text); m; m = lineStarts.exec(text)) {
    if (m[0] === ';') inTextField = !inTextField;
    else if (!inTextField && m.index > 0) offsets.push(m.index);
  }
  return offsets;
}

/** Line breaks in `text`: LF, CRLF and lone CR each count once (as in the lexer). */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  if (text.includes('\r')) count += text.match(/\r(?!\n)/g)?.length ?? 0;
  return count;
}

/** Where the pieces start, with their first lines (see cifSegmentOffsets). */
export function cifSegmentStarts(text: string): SegmentStart[] {
  const offsets = cifSegmentOffsets(text);
  let line = 0;
  return offsets.map((offset, i) => {
    if (i > 0) line += countLineBreaks(text.slice(offsets[i - 1], offset));
    return { offset, line };
  });
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

interface Kept<R> {
  result: R;
  /** Line breaks in the segment's text, so the next segment's line needs no recount. */
  lineBreaks: number;
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
  private current: (Segment<R> & Kept<R>)[] = [];

  constructor(private readonly read: (segmentText: string) => R) {}

  get segments(): readonly Segment<R>[] {
    return this.current;
  }

  /** Re-splits `text`; returns how many segments had to be read. */
  update(text: string): number {
    const offsets = cifSegmentOffsets(text);
    const texts = offsets.map((offset, i) => text.slice(offset, i + 1 < offsets.length ? offsets[i + 1] : text.length));
    const reused = this.unchanged(texts);
    let read = 0;
    let line = 0;
    this.current = texts.map((segmentText, i) => {
      let kept = reused[i];
      if (kept === undefined) {
        kept = { result: this.read(detached(segmentText, text.length)), lineBreaks: countLineBreaks(segmentText) };
        read++;
      }
      const segment = { line, text: segmentText, result: kept.result, lineBreaks: kept.lineBreaks };
      line += kept.lineBreaks;
      return segment;
    });
    return read;
  }

  /**
   * The previous results of segments whose text is unchanged, by new index. An edit changes a run
   * of segments, so equal prefixes and suffixes are matched in place (no hashing of megabytes of
   * text); what remains in the middle is matched by text.
   */
  private unchanged(texts: string[]): (Kept<R> | undefined)[] {
    const old = this.current;
    const out = new Array<Kept<R> | undefined>(texts.length);
    let front = 0;
    while (front < texts.length && front < old.length && texts[front] === old[front].text) {
      out[front] = old[front];
      front++;
    }
    let back = 0;
    while (back < texts.length - front && back < old.length - front && texts[texts.length - 1 - back] === old[old.length - 1 - back].text) {
      out[texts.length - 1 - back] = old[old.length - 1 - back];
      back++;
    }
    const middle = new Map<string, Kept<R>[]>();
    for (const segment of old.slice(front, old.length - back)) middle.set(segment.text, [...(middle.get(segment.text) ?? []), segment]);
    for (let i = front; i < texts.length - back; i++) out[i] = middle.get(texts[i])?.shift();
    return out;
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
