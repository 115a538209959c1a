// Finds chemical formulas in ordinary text for hovers and inlay hints (docs cif-and-formulas.md
// §5), without lighting up English words and programming tokens:
//   1. in plain text a token counts only if it has a digit, a sub- or superscript or a group, or
//      at least two element symbols of which one has two letters (NaCl, SiC);
//   2. a stop-list removes the rest (NaN, CoCo, CPU, …) and common all-caps words;
//   3. in formula contexts (CIF _chemical_formula_* values, CSV 'formula' columns, code spans)
//      rule 1 is lifted, so Co, CO and NO are offered there.
// Tokens are then checked by the real parser, so whatever is offered also parses.
import { parseFormula } from './formula';

export type DetectionContext = 'plain' | 'formula-context';

export interface FormulaMatch {
  /** Offset of the first character (UTF-16 code units, as VS Code positions). */
  start: number;
  /** Offset just past the last character. */
  end: number;
  text: string;
  elements: Record<string, number>;
}

/** Programming tokens and English words that parse as formulas but almost never are one. */
const STOP_LIST = new Set([
  'NaN', 'CoCo', 'CPU', 'IO', 'UI', 'PC', 'SCF', 'CIF', 'CPUs', 'GPU', 'API', 'URL', 'JSON', 'YAML', 'HTTP',
  'OK', 'SO', 'HI', 'IF', 'OF', 'ON', 'BY', 'UP', 'US', 'HOW', 'WHY', 'SKY', 'SPY', 'COPY', 'BUNNY', 'YOU', 'BUY',
  'BUSY', 'PONY', 'SPOON', 'NOSY', 'CUP', 'PUB', 'SUP', 'SUNNY', 'FUNNY', 'SOUP', 'BOY', 'TOY', 'POP', 'HOP', 'SHOP',
  'V8', 'S3', 'W3C', 'P2P', 'B2B', 'B2C', 'U2', 'I2C', 'C3PO', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
]);

/** Capitalised one-symbol words: in plain text rule 1 already drops them; listed for formula contexts' sake. */
const ENGLISH_SINGLE_SYMBOLS = new Set(['I', 'In', 'As', 'At', 'Be', 'He', 'No', 'Am', 'Os', 'Pa']);

const SUBSCRIPT_OR_SUPERSCRIPT = /[\u2070-\u209f\u00b2\u00b3\u00b9]/;

function isTokenChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === '.' || ch === '·' || ch === '⋅' || ch === '•' || ch === '^' ||
    SUBSCRIPT_OR_SUPERSCRIPT.test(ch)
  );
}

/** Extends [start, end) over formula characters, and a sign right after '^' (Fe^3+). */
function tokenBounds(text: string, at: number): [number, number] {
  let start = at;
  let end = at;
  while (start > 0 && (isTokenChar(text[start - 1]) || isCaretSign(text, start - 1))) start--;
  while (end < text.length && (isTokenChar(text[end]) || isCaretSign(text, end))) end++;
  return [start, end];
}

function isCaretSign(text: string, i: number): boolean {
  return (text[i] === '+' || text[i] === '-') && /\^\d*$/.test(text.slice(Math.max(0, i - 4), i));
}

function bracketBalance(s: string): number {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
  }
  return depth;
}

/** Trims sentence punctuation and brackets that belong to the prose: "(NaCl)." → NaCl. */
function trimToken(text: string, start: number, end: number): [number, number] {
  for (;;) {
    const s = text.slice(start, end);
    if (s.endsWith('.') || s.endsWith('·')) end--;
    else if ((s.startsWith('(') || s.startsWith('[')) && (bracketBalance(s) > 0 || isWrapped(s))) start++;
    else if ((s.endsWith(')') || s.endsWith(']')) && bracketBalance(s) < 0) end--;
    else return [start, end];
    if (end <= start) return [start, start];
  }
}

/** "(NaCl)" with nothing after the closing bracket: prose parentheses, not a group. */
function isWrapped(s: string): boolean {
  const close = s[0] === '(' ? ')' : ']';
  if (!s.endsWith(close)) return false;
  return bracketBalance(s.slice(0, -1)) === 1 && bracketBalance(s.slice(1, -1)) === 0;
}

function symbolsIn(s: string): string[] {
  return s.match(/[A-Z][a-z]?/g) ?? [];
}

/** Rule 1: digit, sub/superscript or group, or ≥ 2 symbols with a two-letter one. */
function looksLikeFormula(s: string): boolean {
  if (/[0-9()[\]^]/.test(s) || SUBSCRIPT_OR_SUPERSCRIPT.test(s)) return true;
  const symbols = symbolsIn(s);
  return symbols.length >= 2 && symbols.some((x) => x.length === 2);
}

function accept(s: string, context: DetectionContext): Record<string, number> | undefined {
  if (s.length === 0 || STOP_LIST.has(s) || !/^[A-Z([]|^\d/.test(s)) return undefined;
  if (/^\d+(\.\d*)?$/.test(s)) return undefined;
  if (context === 'plain' && (ENGLISH_SINGLE_SYMBOLS.has(s) || !looksLikeFormula(s))) return undefined;
  const r = parseFormula(s);
  return r.ok ? r.elements : undefined;
}

const isSign = (ch: string | undefined) => ch === '+' || ch === '-' || ch === '\u2212';

/**
 * A sign glued into the token (YBa2Cu3O7-x, Li1-xCoO2, Sm1Ba-1Cu3O6.94): the whole is a
 * variable-stoichiometry or malformed formula, so no piece of it is offered as a formula
 * (never a guess). Prose such as "Fe2O3-based" keeps its hover: a word follows the hyphen.
 */
function gluedToSign(text: string, start: number, end: number): boolean {
  const next = text[end + 1] ?? '';
  const afterNext = text[end + 2] ?? '';
  if (isSign(text[end]) && (/[0-9]/.test(next) || (/[xyzδ]/.test(next) && !/[a-z]/.test(afterNext)))) return true;
  return start >= 2 && isSign(text[start - 1]) && !isCaretSign(text, start - 1) && isTokenChar(text[start - 2]);
}

function matchAt(text: string, at: number, context: DetectionContext): FormulaMatch | undefined {
  const [rawStart, rawEnd] = tokenBounds(text, at);
  const [start, end] = trimToken(text, rawStart, rawEnd);
  if (end === rawEnd && start === rawStart && gluedToSign(text, start, end)) return undefined;
  const token = text.slice(start, end);
  const elements = accept(token, context);
  return elements ? { start, end, text: token, elements } : undefined;
}

/**
 * The formula under `character` on a line (hover), or undefined. The cursor may sit on any
 * character of the formula or just after it.
 */
export function findFormulaAt(lineText: string, character: number, context: DetectionContext): FormulaMatch | undefined {
  if (character < 0 || character > lineText.length) return undefined;
  const onToken = character < lineText.length && (isTokenChar(lineText[character]) || isCaretSign(lineText, character));
  const at = onToken ? character : character - 1;
  if (at < 0 || !(isTokenChar(lineText[at]) || isCaretSign(lineText, at))) return undefined;
  const match = matchAt(lineText, at, context);
  return match && match.start <= character && character <= match.end ? match : undefined;
}

/** Every formula in a text, in order, with offsets into it (for inlay hints and diagnostics). */
export function findFormulas(text: string, context: DetectionContext = 'plain'): FormulaMatch[] {
  const matches: FormulaMatch[] = [];
  let i = 0;
  while (i < text.length) {
    if (!(isTokenChar(text[i]) || isCaretSign(text, i))) {
      i++;
      continue;
    }
    const [, rawEnd] = tokenBounds(text, i);
    const match = matchAt(text, i, context);
    if (match) matches.push(match);
    i = Math.max(rawEnd, i + 1);
  }
  return matches;
}
