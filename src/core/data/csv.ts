// CSV reading with row-level provenance: every record keeps the line it started on, so a loader
// can report "file:line: reason" for each dirty row and go on (fields may span lines, e.g. the
// CIF column of the structure benchmarks, hence a real CSV parser rather than split(',')).
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based line number where the record starts in the file. */
  line: number;
  /** Values by column name (header row). */
  values: Record<string, string>;
}

export interface CsvTable {
  file: string;
  columns: string[];
  records: CsvRecord[];
}

/** Parses CSV text that has a header row. */
export function parseCsv(text: string, file = '<text>'): CsvTable {
  const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  if (rows.length === 0) return { file, columns: [], records: [] };
  const columns = rows[0].record.map((c) => c.trim());
  const records: CsvRecord[] = [];
  let startLine = rows[0].info.lines + 1;
  for (const row of rows.slice(1)) {
    const values: Record<string, string> = {};
    columns.forEach((c, i) => {
      values[c] = row.record[i] ?? '';
    });
    records.push({ line: startLine, values });
    startLine = row.info.lines + 1;
  }
  return { file, columns, records };
}

export function readCsv(file: string): CsvTable {
  return parseCsv(fs.readFileSync(file, 'utf8'), file);
}

/** One skipped row: where it is and why, for reports and run.json. */
export interface SkippedRow {
  file: string;
  line: number;
  reason: string;
  value?: string;
}

/** Counts of skipped rows by reason, plus the first few of each for the report. */
export function summariseSkipped(skipped: SkippedRow[], examplesPerReason = 5): { reason: string; count: number; examples: SkippedRow[] }[] {
  const byReason = new Map<string, SkippedRow[]>();
  for (const s of skipped) {
    const list = byReason.get(s.reason) ?? [];
    list.push(s);
    byReason.set(s.reason, list);
  }
  return [...byReason.entries()]
    .map(([reason, list]) => ({ reason, count: list.length, examples: list.slice(0, examplesPerReason) }))
    .sort((a, b) => b.count - a.count);
}
