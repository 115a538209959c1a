// CSV in and out for the formula commands (featurize, predict, generate-compositions): read the
// `formula` column with line numbers, write RFC 4180 fields (quoted only when needed).
import { readCsv } from '../data/csv';

export interface FormulaRow {
  formula: string;
  /** 1-based line in the input file. */
  line: number;
}

/** Every row's `formula` value in file order; throws naming the file when the column is missing. */
export function readFormulaColumn(file: string, column = 'formula'): FormulaRow[] {
  const table = readCsv(file);
  if (!table.columns.includes(column)) {
    throw new Error(`${file}: no '${column}' column (columns: ${table.columns.join(', ') || 'none'}); the first line must be a header with a '${column}' column`);
  }
  return table.records.map((r) => ({ formula: (r.values[column] ?? '').trim(), line: r.line }));
}

export function csvField(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | undefined)[]): string {
  return values.map(csvField).join(',');
}
