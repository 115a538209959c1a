// From formula text to the featurizers' input: parse (src/core/chem/formula.ts), keep amounts as
// written. Web-safe. Errors carry the parser's reason and 1-based column.
import { canonicalKey } from '../chem/composition';
import { parseFormula } from '../chem/formula';
import type { ElementAmounts } from './types';

export type ParsedComposition = { ok: true; composition: ElementAmounts } | { ok: false; error: string; column: number };

export function parseComposition(formula: string): ParsedComposition {
  const parsed = parseFormula(formula);
  if (!parsed.ok) return { ok: false, error: parsed.error, column: parsed.column };
  const symbols = Object.keys(parsed.elements);
  return { ok: true, composition: { symbols, amounts: symbols.map((s) => parsed.elements[s]) } };
}

/** Reduced-composition key (Fe2O3 and Fe4O6 share one): the chem module's canonicalKey. */
export function compositionKey(composition: ElementAmounts): string {
  const record: Record<string, number> = {};
  composition.symbols.forEach((s, i) => {
    record[s] = composition.amounts[i];
  });
  return canonicalKey(record);
}
