// The CIF document model shared by the lexer, parser, structure builder, the CLI and the editor.
// Plain data: positions are 0-based line/character (LSP style) plus UTF-16 offsets into the text.

export interface CifPosition {
  line: number;
  character: number;
}

export interface CifRange {
  start: CifPosition;
  end: CifPosition;
}

export type CifSeverity = 'error' | 'warning' | 'info';

/** A text replacement offered as a quick fix for a diagnostic. */
export interface CifFix {
  title: string;
  replacement: string;
  range: CifRange;
}

export interface CifDiagnostic {
  severity: CifSeverity;
  /** Says what is wrong and what to do about it. */
  message: string;
  /** Stable identifier (see DIAGNOSTIC_CODES in diagnostics.ts), for tests and settings. */
  code: string;
  range: CifRange;
  fix?: CifFix;
  /**
   * On the summary of a capped code (see ReadCifOptions.maxDiagnosticsPerCode): how many diagnostics
   * of this code were counted but not built. Exact problem counts add it to this one.
   */
  suppressed?: number;
}

/**
 * A value as written. `kind` keeps `.` (inapplicable) and `?` (unknown) distinct from numbers and
 * strings; `number`/`su` are filled for values that match the CIF number grammar.
 */
export interface CifValue {
  /** The text without quotes or text-field delimiters. */
  text: string;
  kind: 'inapplicable' | 'unknown' | 'number' | 'string' | 'quoted' | 'text-field';
  number?: number;
  /** Standard uncertainty in the units of the value: 0.4154(4) → 0.0004. */
  su?: number;
  range: CifRange;
}

/** One tag with its value (items) or one column of a loop. */
export interface CifItem {
  /** The name as written, e.g. `_atom_site.fract_x`. */
  name: string;
  /** Lookup key: lower-case, first `.` → `_` (see dictionary.ts `tagKey`). */
  key: string;
  nameRange: CifRange;
  values: CifValue[];
  /** Index into the block's loops when the tag belongs to a loop. */
  loop?: number;
}

export interface CifLoop {
  keys: string[];
  /** Range of the `loop_` keyword. */
  range: CifRange;
  rowCount: number;
}

export interface CifBlock {
  /** The block code after `data_`. */
  name: string;
  /** Range of the `data_…` header. */
  range: CifRange;
  /** Range of the whole block, header to the last token. */
  extent: CifRange;
  items: CifItem[];
  loops: CifLoop[];
}

export interface CifDocument {
  blocks: CifBlock[];
  diagnostics: CifDiagnostic[];
}
