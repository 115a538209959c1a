// Turns tokens into CifValues: `.` and `?` stay distinct from numbers, and numbers keep their
// standard uncertainty (`0.4154(4)` → 0.4154 ± 0.0004; `34.5(12)` → 34.5 ± 1.2).
import { tokenRange, type CifToken } from './lexer';
import type { CifDiagnostic, CifValue } from './types';

const NUMBER = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?(?:\((\d+)(\))?)?$/;

export interface ParsedNumber {
  value: number;
  su?: number;
  /** True when `(su` lacks its closing parenthesis. */
  unclosedSu: boolean;
}

/** Parses CIF number syntax; undefined when the text is not a number. */
export function parseCifNumber(text: string): ParsedNumber | undefined {
  const c = text.charCodeAt(0);
  // Fast reject: numbers start with a digit, a sign or a point.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return undefined;
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const mantissa = m[1];
  const exponent = m[2] ? parseInt(m[2], 10) : 0;
  const value = exponent ? parseFloat(`${mantissa}e${exponent}`) : parseFloat(mantissa);
  if (!Number.isFinite(value)) return undefined;
  if (m[3] === undefined) return { value, unclosedSu: false };
  const dot = mantissa.indexOf('.');
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  const su = parseInt(m[3], 10) * Math.pow(10, exponent - decimals);
  return { value, su: Number(su.toPrecision(12)), unclosedSu: m[4] === undefined };
}

/** The CifValue of a value token; pushes a warning when an su misses its `)`. */
export function valueFromToken(token: CifToken, diagnostics: CifDiagnostic[]): CifValue {
  const range = tokenRange(token);
  const text = token.text;
  if (token.kind === 'text-field') return { text, kind: 'text-field', range };
  if (token.kind === 'value') {
    if (text === '.') return { text, kind: 'inapplicable', range };
    if (text === '?') return { text, kind: 'unknown', range };
  }
  const parsed = parseCifNumber(text);
  if (!parsed) return { text, kind: token.kind === 'quoted' ? 'quoted' : 'string', range };
  if (parsed.unclosedSu) {
    const at = { line: token.endLine, character: token.endCharacter - (token.kind === 'quoted' ? 1 : 0) };
    diagnostics.push({
      severity: 'warning',
      code: 'su-unclosed',
      message: `Standard uncertainty in ${text} misses its closing ')': add it (other readers may reject the value).`,
      range: range,
      fix: { title: "Add the missing ')'", replacement: ')', range: { start: at, end: at } },
    });
  }
  const value: CifValue = { text, kind: 'number', number: parsed.value, range };
  if (parsed.su !== undefined) value.su = parsed.su;
  return value;
}
