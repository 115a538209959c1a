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
  return new Lexer(text).run();
}

class Lexer {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private readonly tokens: CifToken[] = [];
  private readonly diagnostics: CifDiagnostic[] = [];

  constructor(private readonly text: string) {}

  run(): CifLexResult {
    const cif2 = /^\uFEFF?#\\#CIF_2\.0/.test(this.text);
    if (cif2) {
      const end = this.text.search(/\r|\n|$/);
      this.diagnostics.push({
        severity: 'error',
        code: 'cif2-unsupported',
        message: 'CIF 2.0 is not supported: save the file as CIF 1.1 (first line #\\#CIF_1.1, ASCII only, no [lists] or {tables}).',
        range: rangeOf(0, 0, 0, end),
      });
    }
    this.checkCharacters();
    this.checkLineLengths();
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const n = this.text.length;
    while (this.pos < n) this.next();
    return { tokens: this.tokens, diagnostics: this.diagnostics, cif2 };
  }

  private column(offset: number): number {
    return offset - this.lineStart;
  }

  private newline(c: number): void {
    // CRLF counts as one line break; a lone CR or LF as one each (as VS Code counts lines).
    if (c === CR && this.text.charCodeAt(this.pos + 1) === LF) this.pos++;
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private next(): void {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LF || c === CR) return this.newline(c);
    if (isWhitespace(c)) {
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
      if (c === LF || c === CR) break;
      p++;
    }
    this.pos = p;
  }

  private push(kind: CifTokenKind, tokenText: string, start: number, end: number): void {
    const character = this.column(start);
    this.tokens.push({ kind, text: tokenText, start, end, line: this.line, character, endLine: this.line, endCharacter: character + (end - start) });
  }

  /** A run of non-whitespace: tag, reserved word or unquoted value. */
  private bare(first: number): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    while (p < text.length && !isWhitespace(text.charCodeAt(p))) p++;
    this.pos = p;
    const word = text.slice(start, p);
    if (first === UNDERSCORE) return this.push('tag', word, start, p);
    if (p - start >= 5 && word.charCodeAt(4) === UNDERSCORE) {
      const lower = word.toLowerCase();
      if (lower.startsWith('data_')) return this.push('data', word.slice(5), start, p);
      if (lower.startsWith('save_')) return this.push('save', word.slice(5), start, p);
      if (lower === 'loop_') return this.push('loop', word, start, p);
      if (lower === 'stop_') return this.push('stop', word, start, p);
    } else if (p - start === 7 && word.toLowerCase() === 'global_') {
      return this.push('global', word, start, p);
    }
    this.push('value', word, start, p);
  }

  /** '…' or "…": the closing quote counts only before whitespace or the end of the line. */
  private quoted(quote: number): void {
    const text = this.text;
    const start = this.pos;
    let p = start + 1;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c === LF || c === CR) break;
      if (c === quote) {
        const after = p + 1 < text.length ? text.charCodeAt(p + 1) : SPACE;
        if (isWhitespace(after)) {
          this.pos = p + 1;
          return this.push('quoted', text.slice(start + 1, p), start, p + 1);
        }
      }
      p++;
    }
    // No closing quote on this line: keep the rest of the line as the value so parsing goes on.
    this.pos = p;
    this.push('quoted', text.slice(start + 1, p), start, p);
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
      if (c === LF || c === CR) {
        const breakStart = p;
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
      p++;
    }
    this.pos = p;
    if (contentEnd < 0) {
      this.tokens.push({ kind: 'text-field', text: text.slice(start + 1, p), start, end: p, line: startLine, character: startCharacter, endLine: this.line, endCharacter: this.column(p) });
      this.diagnostics.push({
        severity: 'error',
        code: 'unterminated-text-field',
        message: 'Unterminated text field: the ; that opens it needs a closing line that starts with ; (column 1).',
        range: rangeOf(startLine, 0, startLine, 1),
      });
      return;
    }
    this.tokens.push({ kind: 'text-field', text: text.slice(start + 1, contentEnd), start, end: p, line: startLine, character: startCharacter, endLine: this.line, endCharacter: 1 });
  }

  /** Characters outside printable ASCII + TAB/LF/CR (CIF 1.1 §2.2.7.1). */
  private checkCharacters(): void {
    const bad = /[^\t\n\r\x20-\x7e]/g;
    if (!bad.test(this.text)) return;
    bad.lastIndex = 0;
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
      this.diagnostics.push({
        severity: 'warning',
        code: 'non-ascii',
        message: `${what}: CIF 1.1 allows printable ASCII, TAB, LF and CR only (other readers drop or misread it); use a CIF escape such as \\"o for ö, or plain ASCII.`,
        range,
      });
    }
    if (count > MAX_CHARACTER_REPORTS && first) {
      this.diagnostics.push({ severity: 'warning', code: 'non-ascii', message: `${count - MAX_CHARACTER_REPORTS} more characters outside CIF 1.1's ASCII set are not listed.`, range: first });
    }
  }

  private checkLineLengths(): void {
    const text = this.text;
    let start = 0;
    let line = 0;
    while (start <= text.length) {
      let end = start;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c === LF || c === CR) break;
        end++;
      }
      if (end - start > MAX_LINE_LENGTH) {
        this.diagnostics.push({
          severity: 'warning',
          code: 'line-too-long',
          message: `Line is ${end - start} characters long; CIF 1.1 allows at most ${MAX_LINE_LENGTH}: break it (loop values may continue on the next line).`,
          range: rangeOf(line, MAX_LINE_LENGTH, line, end - start),
        });
      }
      if (end >= text.length) break;
      start = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      line++;
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
