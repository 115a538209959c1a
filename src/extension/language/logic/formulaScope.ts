// Where a formula may sit on a line, per file type (cif-and-formulas.md §5 rule 3): the slice of
// the line to search, and whether the English-word filter is lifted there. Python and JSON only
// offer strings (never identifiers); Markdown code spans, CSV columns named "formula" and strings
// passed to known formula APIs lift the filter; prose stays filtered. Web-safe and vscode-free.

export interface FormulaScope {
  /** The searchable slice of the line (a string's content, a CSV cell, a code span …). */
  text: string;
  /** Offset of `text` in the line, so positions map back. */
  offset: number;
  /** True in a formula context: a bare `NaCl`-free token such as `CO` or `Fe` still counts. */
  lifted: boolean;
}

/** Languages that get formula hovers, and whether they are "code" (strings only). */
export const FORMULA_LANGUAGES = ['markdown', 'plaintext', 'csv', 'json', 'jsonc', 'python'] as const;
export type FormulaLanguage = (typeof FORMULA_LANGUAGES)[number];

export function isFormulaLanguage(languageId: string): languageId is FormulaLanguage {
  return (FORMULA_LANGUAGES as readonly string[]).includes(languageId);
}

/** CSV files are 'plaintext' unless a CSV extension is installed: treat them as CSV by name. */
export function effectiveLanguage(languageId: string, path: string): string {
  return languageId === 'plaintext' && /\.(csv|tsv)$/i.test(path) ? 'csv' : languageId;
}

/** Code files get inlay hints only when the user asks for them everywhere. */
export function isCodeLanguage(languageId: string): boolean {
  return languageId === 'python' || languageId === 'json' || languageId === 'jsonc';
}

interface Span {
  start: number;
  end: number;
}

/** String literals on one line: [start, end) of each content, quotes excluded; backslash escapes. */
export function stringSpans(line: string, quotes: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '#' && quotes.includes("'")) break; // a Python comment ends the code on this line
    if (!quotes.includes(ch)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && line[j] !== ch) j += line[j] === '\\' ? 2 : 1;
    spans.push({ start: i + 1, end: Math.min(j, line.length) });
    i = j + 1;
  }
  return spans;
}

/** Markdown inline code spans (single backticks) on one line. */
export function codeSpans(line: string): Span[] {
  const spans: Span[] = [];
  const re = /(`+)([^`]+?)\1/g;
  for (let m = re.exec(line); m; m = re.exec(line)) spans.push({ start: m.index + m[1].length, end: m.index + m[1].length + m[2].length });
  return spans;
}

/** Splits one CSV line into cells (double quotes, "" escapes), with their content spans. */
export function csvCells(line: string): (Span & { value: string })[] {
  const cells: (Span & { value: string })[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let j = i + 1;
      let value = '';
      while (j < line.length) {
        if (line[j] === '"' && line[j + 1] === '"') {
          value += '"';
          j += 2;
        } else if (line[j] === '"') break;
        else value += line[j++];
      }
      cells.push({ start: i + 1, end: j, value });
      i = line.indexOf(',', j);
    } else {
      const j = line.indexOf(',', i);
      const end = j < 0 ? line.length : j;
      cells.push({ start: i, end, value: line.slice(i, end) });
      i = j;
    }
    if (i < 0 || i >= line.length) break;
    i++;
  }
  return cells;
}

const FORMULA_COLUMN = /^(formula|composition|pretty_formula|reduced_formula|full_formula|chemical_formula|material|compound)$/i;

/** Calls whose string argument is a formula: pymatgen Composition("…"), parse_formula("…"), formula="…". */
const FORMULA_API_BEFORE = /(Composition|parse_formula|Formula|from_formula|get_formula|Element)\(\s*$|\bformula\w*\s*[=:]\s*$|"(formula|composition|pretty_formula|reduced_formula)"\s*:\s*$/i;

function within(spans: Span[], character: number): Span | undefined {
  return spans.find((s) => character >= s.start && character <= s.end);
}

function scopeOf(line: string, span: Span, lifted: boolean): FormulaScope {
  return { text: line.slice(span.start, span.end), offset: span.start, lifted };
}

/**
 * The scope of a formula hover at `character` of `line`, or undefined where no formula should be
 * offered (Python identifiers, JSON keys …). `header` is the first line of the file (CSV only).
 */
export function formulaScopeAt(languageId: string, line: string, character: number, header?: string): FormulaScope | undefined {
  switch (languageId) {
    case 'python': {
      const span = within(stringSpans(line, `'"`), character);
      return span ? scopeOf(line, span, FORMULA_API_BEFORE.test(line.slice(0, span.start - 1))) : undefined;
    }
    case 'json':
    case 'jsonc': {
      const span = within(stringSpans(line, '"'), character);
      if (!span) return undefined;
      if (/^\s*:/.test(line.slice(span.end + 1))) return undefined; // a key, not a value
      return scopeOf(line, span, FORMULA_API_BEFORE.test(line.slice(0, span.start - 1)));
    }
    case 'markdown': {
      const code = within(codeSpans(line), character);
      return code ? scopeOf(line, code, true) : { text: line, offset: 0, lifted: false };
    }
    case 'csv': {
      const cells = csvCells(line);
      const index = cells.findIndex((c) => character >= c.start && character <= c.end);
      if (index < 0) return undefined;
      const column = header !== undefined ? csvCells(header)[index]?.value.trim() : undefined;
      return scopeOf(line, cells[index], column !== undefined && FORMULA_COLUMN.test(column));
    }
    case 'plaintext':
      return { text: line, offset: 0, lifted: false };
    default:
      return undefined;
  }
}

/** Index of the CSV column whose header names a formula, or -1 (the predictions panel reads it). */
export function formulaColumnIndex(header: string): number {
  return csvCells(header).findIndex((c) => FORMULA_COLUMN.test(c.value.trim()));
}
