// Picks the formula under the cursor inside a scope (see formulaScope.ts) and decides whether it
// deserves a hover, with the English-word filter of cif-and-formulas.md §5: outside formula
// contexts a token needs a digit, a sub/superscript or a group, or two element symbols of which
// one has two letters (NaCl, SiC); a stop-list catches the rest. Web-safe and vscode-free.
import { parseFormula, type FormulaContext, type FormulaResult } from '../../../core/chem/formula';
import type { FormulaScope } from './formulaScope';

export interface FormulaHit {
  /** The token as written. */
  text: string;
  /** Start and end (exclusive) in the line. */
  start: number;
  end: number;
  result: FormulaResult;
}

/** Words that pass the filter yet are almost never formulas in prose or code. */
const STOP_LIST = new Set(['NaN', 'CoCo', 'NaNs', 'InN', 'SnS', 'CIF', 'CPU', 'GPU', 'IO', 'UI', 'PC', 'SCF', 'HTTP', 'JSON', 'YAML', 'CSV', 'NiCo', 'PoC', 'BaSe', 'CaSe', 'BiOS', 'NaCl.']);

const TOKEN_CHARS = /[A-Za-z0-9().[\]·⋅•*₀-₉⁰-⁹⁺⁻^+\-−]/;

const HAS_DIGIT_OR_GROUP = /[0-9₀-₉⁰-⁹⁺⁻^()[\]]/;

/** True when a bare token (no formula context) looks enough like a formula to offer a hover. */
export function passesWordFilter(token: string): boolean {
  if (STOP_LIST.has(token)) return false;
  if (!/^[A-Z([0-9]/.test(token)) return false;
  if (HAS_DIGIT_OR_GROUP.test(token)) return /[A-Z]/.test(token);
  const symbols = token.match(/[A-Z][a-z]?/g) ?? [];
  return symbols.length >= 2 && symbols.some((s) => s.length === 2) && symbols.join('') === token;
}

/** The maximal run of formula characters around `index` in `text`, trailing punctuation trimmed. */
export function tokenAround(text: string, index: number): { start: number; end: number } | undefined {
  if (index < 0 || index > text.length) return undefined;
  let start = index;
  let end = index;
  while (start > 0 && TOKEN_CHARS.test(text[start - 1])) start--;
  while (end < text.length && TOKEN_CHARS.test(text[end])) end++;
  // Sentence punctuation and stray signs at the ends are not part of the formula.
  while (end > start && /[.,;:)\]*+\-−]/.test(text[end - 1]) && !balancedClose(text.slice(start, end))) end--;
  while (start < end && /[([]/.test(text[start]) && !balancedOpen(text.slice(start, end))) start++;
  return end > start ? { start, end } : undefined;
}

function depth(s: string): number {
  let d = 0;
  for (const c of s) d += c === '(' || c === '[' ? 1 : c === ')' || c === ']' ? -1 : 0;
  return d;
}

/** A closing bracket at the end that balances an opening one belongs to the formula. */
function balancedClose(s: string): boolean {
  const last = s[s.length - 1];
  return (last === ')' || last === ']') && depth(s) === 0;
}

function balancedOpen(s: string): boolean {
  return depth(s) <= 0;
}

/**
 * The formula at `character` (a position in the whole line) inside `scope`, or undefined when the
 * token is not a formula worth a hover. In a lifted scope (formula columns, code spans, CIF formula
 * values) a parse error is returned too, so the hover can point at the broken character.
 */
export function formulaAt(scope: FormulaScope, character: number, context: FormulaContext = 'free-text'): FormulaHit | undefined {
  const local = character - scope.offset;
  const span = scope.lifted && context !== 'free-text' ? { start: 0, end: scope.text.length } : tokenAround(scope.text, local);
  if (!span) return undefined;
  const raw = scope.text.slice(span.start, span.end);
  const leading = raw.length - raw.trimStart().length;
  const text = raw.trim();
  if (!text) return undefined;
  const start = scope.offset + span.start + leading;
  if (!scope.lifted && !passesWordFilter(text)) return undefined;
  if (scope.lifted && !/^[A-Z([0-9]/.test(text)) return undefined;
  const result = parseFormula(text, { context });
  if (!result.ok && !scope.lifted) return undefined;
  return { text, start, end: start + text.length, result };
}

/** Every formula worth a hint in a scope (used by inlay hints): parsed, filtered, no errors. */
export function formulasInScope(scope: FormulaScope, context: FormulaContext = 'free-text'): FormulaHit[] {
  const hits: FormulaHit[] = [];
  if (scope.lifted && context !== 'free-text') {
    const hit = formulaAt(scope, scope.offset, context);
    return hit?.result.ok ? [hit] : [];
  }
  let i = 0;
  while (i < scope.text.length) {
    if (!TOKEN_CHARS.test(scope.text[i])) {
      i++;
      continue;
    }
    const hit = formulaAt(scope, scope.offset + i, context);
    const span = tokenAround(scope.text, i);
    if (hit?.result.ok) hits.push(hit);
    i = span ? Math.max(span.end, i + 1) : i + 1;
    while (i < scope.text.length && TOKEN_CHARS.test(scope.text[i])) i++;
  }
  return hits;
}
