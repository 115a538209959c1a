// Picks the formula under the cursor inside a scope (see formulaScope.ts). Which tokens count is
// decided by the shared detector (core/chem/detect.ts, the English-word filter of
// cif-and-formulas.md §5); this module adds the editor's parts: whole CIF formula values, and in
// formula contexts a positioned parse error for tokens the detector rejects. Web-safe, vscode-free.
import { findFormulaAt, findFormulas } from '../../../core/chem/detect';
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

const TOKEN_CHARS = /[A-Za-z0-9().[\]·⋅•*₀-₉⁰-⁹⁺⁻^+\-−]/;

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
  if (scope.lifted && context !== 'free-text') return wholeValue(scope, context);
  const wide = widestToken(scope, local, context);
  // Variable stoichiometry (YBa2Cu3O7-x) is recognised everywhere, so no prediction is made for
  // the fixed part alone; in formula contexts any token is shown, with its parse error if broken.
  if (wide && (scope.lifted || (!wide.result.ok && wide.result.variable))) return wide;
  const match = findFormulaAt(scope.text, local, 'plain');
  if (!match) return undefined;
  // A broken token (Sm1Ba-1Cu3O6.94) gets no hover for a piece of it: never a guess.
  if (wide && !wide.result.ok && wide.text.length > match.text.length) return undefined;
  return { text: match.text, start: scope.offset + match.start, end: scope.offset + match.end, result: parseFormula(match.text, { context }) };
}

/** The whole run of formula characters under the cursor, parsed as written. */
function widestToken(scope: FormulaScope, local: number, context: FormulaContext): FormulaHit | undefined {
  const span = tokenAround(scope.text, local);
  if (!span) return undefined;
  const text = scope.text.slice(span.start, span.end);
  if (!/^[A-Z([0-9]/.test(text)) return undefined;
  return { text, start: scope.offset + span.start, end: scope.offset + span.end, result: parseFormula(text, { context }) };
}

/** A CIF formula value ('C12 H10 N2 O', moieties) is one formula, spaces included. */
function wholeValue(scope: FormulaScope, context: FormulaContext): FormulaHit | undefined {
  const leading = scope.text.length - scope.text.trimStart().length;
  const text = scope.text.trim();
  if (!text) return undefined;
  const start = scope.offset + leading;
  return { text, start, end: start + text.length, result: parseFormula(text, { context }) };
}

/** Every formula worth a hint in a scope (used by inlay hints): parsed, filtered, no errors. */
export function formulasInScope(scope: FormulaScope, context: FormulaContext = 'free-text'): FormulaHit[] {
  if (scope.lifted && context !== 'free-text') {
    const hit = wholeValue(scope, context);
    return hit?.result.ok ? [hit] : [];
  }
  return findFormulas(scope.text, scope.lifted ? 'formula-context' : 'plain').map((m) => ({
    text: m.text,
    start: scope.offset + m.start,
    end: scope.offset + m.end,
    result: parseFormula(m.text),
  }));
}
