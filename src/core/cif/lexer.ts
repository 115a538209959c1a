// CIF 1.1 lexer (IUCr CIF 1.1 syntax; see docs/cif-and-formulas.md §1). One pass over the text
// with charCodeAt, no regular expressions per character, because the editor re-lexes on every
// edit. Never throws: broken syntax becomes a token plus a diagnostic, and lexing goes on.
import type { CifDiagnostic, CifRange } from './types';

export type CifTokenKind =
  | 'data' // data_<code>
  | 'save' // save_<code> or save_
  | 'loop' // loop_
  | 'global' // global_ (reserved)
  | 'stop' // stop_ (reserved)
  | 'tag' // _name
  | 'value' // unquoted value
  | 'quoted' // '…' or "…"
  | 'text-field'; // ;…; block

export interface CifToken {
  kind: CifTokenKind;
  /** The value without quotes/delimiters; for data_/save_ the code after the prefix. */
  text: string;
  /** UTF-16 offsets into the source: [start, end). */
  start: number;
  end: number;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

const KINDS: readonly CifTokenKind[] = ['data', 'save', 'loop', 'global', 'stop', 'tag', 'value', 'quoted', 'text-field'];
const KIND_CODE: Readonly<Record<CifTokenKind, number>> = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<CifTokenKind, number>;
export const TOKEN_VALUE = KIND_CODE.value;
export const TOKEN_QUOTED = KIND_CODE.quoted;
export const TOKEN_TEXT_FIELD = KIND_CODE['text-field'];
export const TOKEN_TAG = KIND_CODE.tag;
export const TOKEN_LOOP = KIND_CODE.loop;
/** Flag: a number-like token with '(' but no closing ')' (checked for su-unclosed). */
export const FLAG_OPEN_PAREN = 1;

/** Int32 columns of the token table, in the order they sit in its one buffer. */
const INT_COLUMNS = ['starts', 'ends', 'lines', 'characters', 'endLines', 'endCharacters', 'textStarts', 'textEnds'] as const;
/** Bytes per token: eight Int32 columns, then the two Uint8 columns (kinds, flags). */
const BYTES_PER_TOKEN = INT_COLUMNS.length * 4 + 2;

/**
 * Tokens as parallel typed arrays: a 5 MB CIF has about a million tokens, and one object per
 * token made garbage collection the main cost. `token(i)` builds an object when one is needed.
 * All ten columns are views of one ArrayBuffer: each typed array of its own costs a backing-store
 * allocation, which for the many small files the editor re-parses was a tenth of the parse.
 */
export class TokenTable {
  count = 0;
  kinds!: Uint8Array;
  flags!: Uint8Array;
  starts!: Int32Array;
  ends!: Int32Array;
  lines!: Int32Array;
  characters!: Int32Array;
  endLines!: Int32Array;
  endCharacters!: Int32Array;
  textStarts!: Int32Array;
  textEnds!: Int32Array;

  constructor(
    readonly source: string,
    capacity: number,
  ) {
    this.allocate(capacity);
  }

  /** Points every column at a fresh buffer of `capacity` tokens (copying the first `count`). */
  private allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * BYTES_PER_TOKEN);
    const old = this.count ? { kinds: this.kinds, flags: this.flags, ints: INT_COLUMNS.map((key) => this[key]) } : undefined;
    INT_COLUMNS.forEach((key, column) => {
      this[key] = new Int32Array(buffer, column * capacity * 4, capacity);
    });
    this.kinds = new Uint8Array(buffer, INT_COLUMNS.length * capacity * 4, capacity);
    this.flags = new Uint8Array(buffer, INT_COLUMNS.length * capacity * 4 + capacity, capacity);
    if (!old) return;
    this.kinds.set(old.kinds);
    this.flags.set(old.flags);
    INT_COLUMNS.forEach((key, column) => this[key].set(old.ints[column]));
  }

  add(kind: number, start: number, end: number, line: number, character: number, endLine: number, endCharacter: number, textStart: number, textEnd: number, flags = 0): void {
    if (this.count === this.kinds.length) this.allocate(Math.max(64, this.kinds.length * 2));
    const i = this.count++;
    this.kinds[i] = kind;
    this.flags[i] = flags;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.characters[i] = character;
    this.endLines[i] = endLine;
    this.endCharacters[i] = endCharacter;
    this.textStarts[i] = textStart;
    this.textEnds[i] = textEnd;
  }

  kind(i: number): CifTokenKind {
    return KINDS[this.kinds[i]];
  }

  text(i: number): string {
    return this.source.slice(this.textStarts[i], this.textEnds[i]);
  }

  range(i: number): CifRange {
    return rangeOf(this.lines[i], this.characters[i], this.endLines[i], this.endCharacters[i]);
  }

  token(i: number): CifToken {
    return {
      kind: KINDS[this.kinds[i]],
      text: this.text(i),
      start: this.starts[i],
      end: this.ends[i],
      line: this.lines[i],
      character: this.characters[i],
      endLine: this.endLines[i],
      endCharacter: this.endCharacters[i],
    };
  }
}

export interface CifLexResult {
  tokens: CifToken[];
  diagnostics: CifDiagnostic[];
  /** True when the file declares itself CIF 2.0 (its first line is #\#CIF_2.0). */
  cif2: boolean;
}

export const MAX_LINE_LENGTH = 2048;
/** Non-ASCII reports per document; past this one summary line says how many more there are. */
const MAX_CHARACTER_REPORTS = 50;

const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const SEMICOLON = 59;
const UNDERSCORE = 95;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const TILDE = 126;

function isWhitespace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === VT || c === FF;
}

export function rangeOf(line: number, character: number, endLine: number, endCharacter: number): CifRange {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

export function tokenRange(t: CifToken): CifRange {
  return rangeOf(t.line, t.character, t.endLine, t.endCharacter);
}

/** Splits CIF text into tokens. Comments are dropped; every token keeps its source range. */
export function lexCif(text: string): CifLexResult {
  const { table, diagnostics, cif2 } = lexCifTable(text);
  const tokens: CifToken[] = new Array(table.count);
  for (let i = 0; i < table.count; i++) tokens[i] = table.token(i);
  return { tokens, diagnostics, cif2 };
}

/** The lexer's compact form, used by the parser. */
export function lexCifTable(text: string): { table: TokenTable; diagnostics: CifDiagnostic[]; cif2: boolean } {
  return new Lexer(text).run();
}

class Lexer {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  /** Set when a character outside printable ASCII + TAB/LF/CR was passed (checked in detail after lexing). */
  private sawBadCharacter = false;
  private readonly tokens: TokenTable;
  private readonly diagnostics: CifDiagnostic[] = [];
  /** line-too-long warnings, found while lexing and listed before the token diagnostics. */
  private readonly longLines: CifDiagnostic[] = [];

  constructor(private readonly text: string) {
    // Dense atom-site loops run about 6.5 characters per token (typical files 11–25): sized so a
    // 5 MB file of sites needs no growth, whose copy was a tenth of its parse.
    this.tokens = new TokenTable(text, Math.min(1 << 20, Math.ceil(text.length / 6) + 64));
  }

  run(): { table: TokenTable; diagnostics: CifDiagnostic[]; cif2: boolean } {
    const header: CifDiagnostic[] = [];
    const cif2 = /^\uFEFF?#\\#CIF_2\.0/.test(this.text);
    if (cif2) {
      const end = this.text.search(/\r|\n|$/);
      header.push({
        severity: 'error',
        code: 'cif2-unsupported',
        message: 'CIF 2.0 is not supported: save the file as CIF 1.1 (first line #\\#CIF_1.1, ASCII only, no [lists] or {tables}).',
        range: rangeOf(0, 0, 0, end),
      });
    }
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      // Blanks between tokens are skipped here rather than by a call each: before V8 has optimised
      // the lexer (the first files after start-up) a call per character dominated the time.
      let p = this.pos;
      let c = text.charCodeAt(p);
      while ((c === SPACE || c === TAB) && ++p < n) c = text.charCodeAt(p);
      this.pos = p;
      if (p < n) this.next(c);
    }
    this.endOfLine(n);
    // One pass over the text finds tokens, long lines and whether any character is outside CIF's
    // set; only then are such characters located (rare, so a second pass costs nothing usually).
    if (this.sawBadCharacter) this.checkCharacters(header);
    return { table: this.tokens, diagnostics: [...header, ...this.longLines, ...this.diagnostics], cif2 };
  }

  private column(offset: number): number {
    return offset - this.lineStart;
  }

  /** The current line ends at `breakOffset` (its line break, or the end of the text): checks its length. */
  private endOfLine(breakOffset: number): void {
    const length = breakOffset - this.lineStart;
    if (length <= MAX_LINE_LENGTH) return;
    this.longLines.push({
      severity: 'warning',
      code: 'line-too-long',
      message: `Line is ${length} characters long; CIF 1.1 allows at most ${MAX_LINE_LENGTH}: break it (loop values may continue on the next line).`,
      range: rangeOf(this.line, MAX_LINE_LENGTH, this.line, length),
    });
  }

  private newline(c: number): void {
    this.endOfLine(this.pos);
    // CRLF counts as one line break; a lone CR or LF as one each (as VS Code counts lines).
    if (c === CR && this.text.charCodeAt(this.pos + 1) === LF) this.pos++;
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Lexes what starts with character `c` at this.pos. */
  private next(c: number): void {
    if (c === LF || c === CR) return this.newline(c);
    if (c === SPACE || c === TAB) {
      this.pos++;
      return;
    }
    if (c === VT || c === FF) {
      this.sawBadCharacter = true;
      this.pos++;
      return;
    }
    if (c === HASH) return this.skipComment();
    if (c === SEMICOLON && this.pos === this.lineStart) return this.textField();
    if (c === SQUOTE || c === DQUOTE) return this.quoted(c);
    this.bare(c);
  }

  private skipComment(): void {
    const text = this.text;
    let p = this.pos;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c < SPACE || c > TILDE) {
        if (c === LF || c === CR) break;
        if (c !== TAB) this.sawBadCharacter = true;
      }
      p++;
    }
    this.pos = p;
  }

  /** A single-line token; its text is source[textStart, textEnd). */
  private push(kind: number, start: number, end: number, textStart = start, textEnd = end, flags = 0): void {
    const character = start - this.lineStart;
    this.tokens.add(kind, start, end, this.line, character, this.line, character + (end - start), textStart, textEnd, flags);
  }

  /** A run of non-whitespace: tag, reserved word or unquoted value. */
  private bare(first: number): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    let paren = first === OPEN_PAREN;
    if (first < SPACE || first > TILDE) this.sawBadCharacter = true;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c <= SPACE || c > TILDE) {
        if (isWhitespace(c)) break;
        this.sawBadCharacter = true;
      } else if (c === OPEN_PAREN) paren = true;
      p++;
    }
    this.pos = p;
    if (first === UNDERSCORE) return this.push(TOKEN_TAG, start, p);
    const length = p - start;
    if (length >= 5 && text.charCodeAt(start + 4) === UNDERSCORE) {
      const lower = text.slice(start, start + 5).toLowerCase();
      if (lower === 'data_') return this.push(KIND_CODE.data, start, p, start + 5, p);
      if (lower === 'save_') return this.push(KIND_CODE.save, start, p, start + 5, p);
      if (length === 5 && lower === 'loop_') return this.push(KIND_CODE.loop, start, p);
      if (length === 5 && lower === 'stop_') return this.push(KIND_CODE.stop, start, p);
    } else if (length === 7 && text.slice(start, p).toLowerCase() === 'global_') {
      return this.push(KIND_CODE.global, start, p);
    }
    const flags = paren && text.charCodeAt(p - 1) !== CLOSE_PAREN ? FLAG_OPEN_PAREN : 0;
    this.push(TOKEN_VALUE, start, p, start, p, flags);
  }

  /** '…' or "…": the closing quote counts only before whitespace or the end of the line. */
  private quoted(quote: number): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    let paren = false;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c < SPACE || c > TILDE) {
        if (c === LF || c === CR) break;
        if (c !== TAB) this.sawBadCharacter = true;
      } else if (c === quote) {
        const after = p + 1 < text.length ? text.charCodeAt(p + 1) : SPACE;
        if (isWhitespace(after)) {
          this.pos = p + 1;
          const flags = paren && text.charCodeAt(p - 1) !== CLOSE_PAREN ? FLAG_OPEN_PAREN : 0;
          return this.push(TOKEN_QUOTED, start, p + 1, start + 1, p, flags);
        }
      } else if (c === OPEN_PAREN) paren = true;
      p++;
    }
    // No closing quote on this line: keep the rest of the line as the value so parsing goes on.
    this.pos = p;
    this.push(TOKEN_QUOTED, start, p, start + 1, p);
    const q = String.fromCharCode(quote);
    this.diagnostics.push({
      severity: 'error',
      code: 'unterminated-quote',
      message: `Unterminated quoted value: add the closing ${q} on this line, followed by a space or the end of the line (a quoted value cannot span lines; use a ;-text field for multi-line text).`,
      range: rangeOf(this.line, this.column(start), this.line, this.column(p)),
    });
  }

  /** A text field: from a `;` in column 1 to the next line that starts with `;`. */
  private textField(): void {
    const text = this.text;
    const start = this.pos;
    const startLine = this.line;
    const startCharacter = 0;
    let p = start + 1;
    let contentEnd = -1;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c < SPACE || c > TILDE) {
        if (c === LF || c === CR) {
          const breakStart = p;
          this.endOfLine(breakStart);
          if (c === CR && text.charCodeAt(p + 1) === LF) p++;
          p++;
          this.line++;
          this.lineStart = p;
          if (text.charCodeAt(p) === SEMICOLON) {
            contentEnd = breakStart;
            p++;
            break;
          }
          continue;
        }
        if (c !== TAB) this.sawBadCharacter = true;
      }
      p++;
    }
    this.pos = p;
    if (contentEnd < 0) {
      this.tokens.add(TOKEN_TEXT_FIELD, start, p, startLine, startCharacter, this.line, this.column(p), start + 1, p);
      this.diagnostics.push({
        severity: 'error',
        code: 'unterminated-text-field',
        message: 'Unterminated text field: the ; that opens it needs a closing line that starts with ; (column 1).',
        range: rangeOf(startLine, 0, startLine, 1),
      });
      return;
    }
    this.tokens.add(TOKEN_TEXT_FIELD, start, p, startLine, startCharacter, this.line, 1, start + 1, contentEnd);
  }

  /** Characters outside printable ASCII + TAB/LF/CR (CIF 1.1 §2.2.7.1). */
  private checkCharacters(out: CifDiagnostic[]): void {
    const bad = /[^\t\n\r\x20-\x7e]/g;
    const lineStarts = computeLineStarts(this.text);
    let count = 0;
    let first: CifRange | undefined;
    for (let m = bad.exec(this.text); m; m = bad.exec(this.text)) {
      if (m.index === 0 && m[0] === '\uFEFF') continue;
      count++;
      if (count > MAX_CHARACTER_REPORTS) continue;
      const line = lineOfOffset(lineStarts, m.index);
      const character = m.index - lineStarts[line];
      const code = m[0].charCodeAt(0);
      const what = code < 128 ? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `non-ASCII character '${m[0]}' (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
      const range = rangeOf(line, character, line, character + 1);
      first ??= range;
      out.push({
        severity: 'warning',
        code: 'non-ascii',
        message: `${what}: CIF 1.1 allows printable ASCII, TAB, LF and CR only (other readers drop or misread it); use a CIF escape such as \\"o for ö, or plain ASCII.`,
        range,
      });
    }
    if (count > MAX_CHARACTER_REPORTS && first) {
      out.push({ severity: 'warning', code: 'non-ascii', message: `${count - MAX_CHARACTER_REPORTS} more characters outside CIF 1.1's ASCII set are not listed.`, range: first });
    }
  }
}

/** Offsets at which each line starts (LF, CRLF and lone CR are line breaks). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      starts.push(i + 1);
    } else if (c === LF) starts.push(i + 1);
  }
  return starts;
}

export function lineOfOffset(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
