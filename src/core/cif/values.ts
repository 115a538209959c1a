// Turns tokens into CifValues: `.` and `?` stay distinct from numbers, and numbers keep their
// standard uncertainty (`0.4154(4)` → 0.4154 ± 0.0004; `34.5(12)` → 34.5 ± 1.2). Values are small
// objects whose range is computed on demand, and loop columns build them only when read: a 5 MB
// CIF has about a million values, and the editor re-parses on every edit.
import { FLAG_OPEN_PAREN, TOKEN_QUOTED, TOKEN_TEXT_FIELD, TOKEN_VALUE, type TokenTable } from './lexer';
import type { CifDiagnostic, CifItem, CifRange, CifValue } from './types';

export interface ParsedNumber {
  value: number;
  su?: number;
  /** True when `(su` lacks its closing parenthesis. */
  unclosedSu: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parses CIF number syntax `^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\(\d+\)?)?$` by hand (no regex
 * match arrays); undefined when the text is not a number.
 */
export function parseCifNumber(text: string): ParsedNumber | undefined {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) c = text.charCodeAt(++i);
  let intDigits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    intDigits++;
  }
  let decimals = 0;
  if (text.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      decimals++;
    }
  }
  if (intDigits === 0 && decimals === 0) return undefined;
  let exponent = 0;
  c = text.charCodeAt(i);
  if (c === 69 || c === 101) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    const expStart = j;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    if (j === expStart) return undefined;
    exponent = parseInt(text.slice(i + 1, j), 10);
    i = j;
  }
  if (i === n) {
    const value = parseFloat(text);
    return Number.isFinite(value) ? { value, unclosedSu: false } : undefined;
  }
  if (text.charCodeAt(i) !== 40) return undefined;
  const suStart = ++i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i === suStart) return undefined;
  const suEnd = i;
  const closed = text.charCodeAt(i) === 41;
  if (closed) i++;
  if (i !== n) return undefined;
  // parseFloat stops at the '(' after the mantissa, so it reads the mantissa without a substring.
  const value = parseFloat(text);
  if (!Number.isFinite(value)) return undefined;
  return { value, su: standardUncertainty(text, suStart, suEnd, exponent - decimals), unclosedSu: !closed };
}

/** Exact powers of ten, 10^0 … 10^22. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * digits(text[start, end)) · 10^scale, rounded to 12 significant digits (float noise such as
 * 0.00039999999999999996 removed). For up to 12 digits and a scale of 0 to -22 that is the one
 * division digits / 10^-scale: both operands are exact doubles and the quotient is correctly
 * rounded, which is what rounding the noisy product to 12 digits and back gives, without the two
 * strings. Other cases take the general path.
 */
function standardUncertainty(text: string, start: number, end: number, scale: number): number {
  if (end - start <= 12 && scale <= 0 && scale >= -22) {
    let digits = 0;
    for (let k = start; k < end; k++) digits = digits * 10 + (text.charCodeAt(k) - 48);
    return digits / POWERS_OF_TEN[-scale];
  }
  const su = parseInt(text.slice(start, end), 10) * Math.pow(10, scale);
  return Number(su.toPrecision(12));
}

/** A value backed by its token; the range is built when asked for. */
class TokenValue implements CifValue {
  readonly text: string;
  readonly kind: CifValue['kind'];
  readonly number: number | undefined;
  readonly su: number | undefined;

  constructor(
    private readonly table: TokenTable,
    private readonly index: number,
    text: string,
    kind: CifValue['kind'],
    parsed?: ParsedNumber,
  ) {
    this.text = text;
    this.kind = kind;
    this.number = parsed?.value;
    this.su = parsed?.su;
  }

  get range(): CifRange {
    return this.table.range(this.index);
  }

  toJSON(): object {
    return { text: this.text, kind: this.kind, number: this.number, su: this.su, range: this.range };
  }
}

/** The CifValue of value token `index` (no diagnostics; see checkUnclosedSu). */
export function valueAt(table: TokenTable, index: number): CifValue {
  const text = table.text(index);
  const kind = table.kinds[index];
  if (kind === TOKEN_TEXT_FIELD) return new TokenValue(table, index, text, 'text-field');
  if (kind === TOKEN_VALUE && text.length === 1) {
    if (text === '.') return new TokenValue(table, index, text, 'inapplicable');
    if (text === '?') return new TokenValue(table, index, text, 'unknown');
  }
  const parsed = parseCifNumber(text);
  if (!parsed) return new TokenValue(table, index, text, kind === TOKEN_QUOTED ? 'quoted' : 'string');
  return new TokenValue(table, index, text, 'number', parsed);
}

/** Warns when a number's `(su` misses its `)`; the lexer flags the few candidate tokens. */
export function checkUnclosedSu(table: TokenTable, index: number, diagnostics: CifDiagnostic[]): void {
  if (!(table.flags[index] & FLAG_OPEN_PAREN)) return;
  const text = table.text(index);
  if (!parseCifNumber(text)?.unclosedSu) return;
  const at = { line: table.endLines[index], character: table.endCharacters[index] - (table.kinds[index] === TOKEN_QUOTED ? 1 : 0) };
  diagnostics.push({
    severity: 'warning',
    code: 'su-unclosed',
    message: `Standard uncertainty in ${text} misses its closing ')': add it (other readers may reject the value).`,
    range: table.range(index),
    fix: { title: "Add the missing ')'", replacement: ')', range: { start: at, end: { ...at } } },
  });
}

/**
 * source[start, end) as a number when it is a plain decimal (sign, at most 15 digits, one optional
 * point; no exponent, no su), else undefined. digits / 10^decimals is then one division of two
 * exact doubles, correctly rounded: the same double parseFloat gives.
 */
function plainDecimal(source: string, start: number, end: number): number | undefined {
  let i = start;
  const sign = source.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  let digits = 0;
  let decimals = -1;
  let mantissa = 0;
  for (; i < end; i++) {
    const c = source.charCodeAt(i);
    if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const value = decimals > 0 ? mantissa / POWERS_OF_TEN[decimals] : mantissa;
  return sign === 45 ? -value : value;
}

/** A loop column whose values are built from the loop's tokens on first access. */
export class LoopColumn implements CifItem {
  private built: CifValue[] | undefined;

  constructor(
    readonly name: string,
    readonly key: string,
    readonly nameRange: CifRange,
    readonly loop: number,
    private readonly table: TokenTable,
    private readonly firstValue: number,
    private readonly column: number,
    private readonly stride: number,
    private readonly rows: number,
  ) {}

  get values(): CifValue[] {
    if (!this.built) {
      const out = new Array<CifValue>(this.rows);
      for (let r = 0; r < this.rows; r++) out[r] = valueAt(this.table, this.firstValue + r * this.stride + this.column);
      this.built = out;
    }
    return this.built;
  }

  /**
   * Row `row`'s value without building the column: the built one when there is one, else a fresh
   * value that is not kept (structure building reads 100k-row columns once; keeping every value
   * alive made garbage collection its main cost).
   */
  valueAt(row: number): CifValue {
    return this.built ? this.built[row] : valueAt(this.table, this.firstValue + row * this.stride + this.column);
  }

  /**
   * `valueAt(row).number` (NaN when there is none) without building a value: the coordinates and
   * occupancies of a 5 MB CIF are half a million numbers (issue 6). Plain decimals are read here;
   * anything else goes through valueAt.
   */
  numberAt(row: number): number {
    if (this.built) return this.built[row].number ?? NaN;
    const index = this.firstValue + row * this.stride + this.column;
    if (this.table.kinds[index] === TOKEN_TEXT_FIELD) return NaN;
    return plainDecimal(this.table.source, this.table.textStarts[index], this.table.textEnds[index]) ?? valueAt(this.table, index).number ?? NaN;
  }

  toJSON(): object {
    return { name: this.name, key: this.key, nameRange: this.nameRange, values: this.values, loop: this.loop };
  }
}
