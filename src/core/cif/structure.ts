// Builds a Structure from a parsed CIF data block: cell, symmetry operations (given, or expanded
// from the Hall / H-M symbol / IT number), the asymmetric unit expanded to the full cell, sites
// grouped by position (not by label), partial and unknown occupancies, charged type symbols.
// Never throws; every problem is a positioned diagnostic.
import { getElement } from '../chem/elements';
import { parseFormula } from '../chem/formula';
import { latticeFromParameters } from '../structure/lattice';
import type { CellParameters, Mat3, Site, SiteSpecies, Structure } from '../structure/types';
import { findItem, findItemExact, findValue } from './block';
import { PeriodicCellList } from './cellList';
import { FirstOccurrences } from './labelIndex';
import { parseSymOp, resolveSpaceGroup, spaceGroupOperations, symOpKey, type ResolvedSpaceGroup, type SymOp } from './symmetry';
import { LoopColumn } from './values';
import type { CifBlock, CifDiagnostic, CifDocument, CifItem, CifRange, CifValue } from './types';

/** Two atoms closer than this (Å, minimum image) are one site: symmetry images of a special position, or disorder partners. */
export const MERGE_TOLERANCE_ANGSTROM = 0.01;
/** Occupancies may exceed 1 by this much (rounding in files) before a warning. */
const OCCUPANCY_TOLERANCE = 1e-3;
/**
 * Default of `maxDiagnosticsPerCode`: how many diagnostics of one per-row code a data block reports
 * with their own ranges before the rest are only counted (one summary on the atom-site loop).
 */
export const DIAGNOSTICS_PER_CODE = 200;

export interface StructureOptions {
  /**
   * Per data block, at most this many diagnostics of each per-row code of the structure checks
   * (REPEATED_CODES: occupancy sums, occupancies, labels, type symbols, coordinates) are built;
   * the rest are counted and reported as one summary diagnostic of the same code and severity on
   * the atom-site loop. Default DIAGNOSTICS_PER_CODE; `Infinity` reports every one.
   */
  maxDiagnosticsPerCode?: number;
}

/** What a summary says about the diagnostics of a code left out: "… and N more WHAT (K shown): ADVICE." */
const REPEATED_CODES = {
  'occupancy-sum-above-one': { severity: 'warning', what: 'sites whose occupancies sum over 1 at a shared position', advice: 'fix the first ones or check the occupancy column and the coordinates' },
  'occupancy-above-one': { severity: 'warning', what: 'occupancies above 1', advice: 'check the occupancy column (a multiplicity does not belong there)' },
  'bad-occupancy': { severity: 'error', what: 'occupancies that are not numbers between 0 and 1 (those sites are skipped)', advice: 'check the occupancy column' },
  'duplicate-label': { severity: 'warning', what: 'atom-site labels used again', advice: 'make the labels unique (e.g. a suffix _2)' },
  'bad-type-symbol': { severity: 'warning', what: 'type symbols that are not an element with an optional charge', advice: 'check the _atom_site_type_symbol column' },
  'no-element': { severity: 'warning', what: 'atom sites whose element cannot be told (skipped)', advice: 'add an _atom_site_type_symbol column' },
  'coordinate-missing': { severity: 'error', what: "sites with '.' or '?' in a fractional coordinate (skipped)", advice: 'give numbers in the coordinate columns' },
  'bad-number': { severity: 'error', what: 'sites with a fractional coordinate that is not a number (skipped)', advice: 'check the coordinate columns' },
} as const satisfies Record<string, { severity: CifDiagnostic['severity']; what: string; advice: string }>;

type RepeatedCode = keyof typeof REPEATED_CODES;

/** 57486 → '57,486' as toLocaleString('en-US') writes it, without building a number format (~0.5 ms a call). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Counts the diagnostics of each repeated code in one block and says whether the next one is still
 * under the cap (then it is built) or only counted. A 5 MB file gave 57,686 identical warnings,
 * whose messages, ranges and garbage were a large part of the read; nobody reads past the first.
 */
class DiagnosticCap {
  private readonly counts = new Map<RepeatedCode, number>();
  readonly limit: number;

  constructor(limit: number | undefined) {
    this.limit = limit === undefined || Number.isNaN(limit) ? DIAGNOSTICS_PER_CODE : Math.max(0, Math.floor(limit));
  }

  /** Counts one diagnostic of `code`; true when it is among the first `limit` (build it). */
  admit(code: RepeatedCode): boolean {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    return count <= this.limit;
  }

  /** How many more of `code` may be built. */
  room(code: RepeatedCode): number {
    return Math.max(0, this.limit - (this.counts.get(code) ?? 0));
  }

  /** Counts `count` diagnostics of `code` at once (the caller built at most `room(code)` of them). */
  add(code: RepeatedCode, count: number): void {
    if (count > 0) this.counts.set(code, (this.counts.get(code) ?? 0) + count);
  }

  /** One summary per code over the cap, on `anchor` (the atom-site loop), in REPEATED_CODES order. */
  summarize(anchor: CifRange, diagnostics: CifDiagnostic[]): void {
    for (const code of Object.keys(REPEATED_CODES) as RepeatedCode[]) {
      const count = this.counts.get(code) ?? 0;
      if (count <= this.limit) continue;
      const more = count - this.limit;
      const { severity, what, advice } = REPEATED_CODES[code];
      diagnostics.push({
        severity,
        code,
        message: `… and ${thousands(more)} more ${what} (the first ${thousands(this.limit)} are shown, ${thousands(count)} in all): ${advice}.`,
        range: anchor,
        suppressed: more,
      });
    }
  }
}

export interface CifStructureResult {
  structure?: Structure;
  /** The space-group symbol as written (H-M, else Hall, else IT number). */
  spaceGroup?: string;
  /** The setting the operations came from when they were expanded from a symbol. */
  resolvedSpaceGroup?: ResolvedSpaceGroup;
  formulaSum?: string;
  cell?: CellParameters;
  diagnostics: CifDiagnostic[];
}

const CELL_TAGS: [keyof CellParameters, string][] = [
  ['a', '_cell_length_a'],
  ['b', '_cell_length_b'],
  ['c', '_cell_length_c'],
  ['alpha', '_cell_angle_alpha'],
  ['beta', '_cell_angle_beta'],
  ['gamma', '_cell_angle_gamma'],
];

/** True when the block describes atoms (an _atom_site loop with coordinates). */
export function isStructureBlock(block: CifBlock): boolean {
  return !!(findItem(block, '_atom_site_fract_x') || findItem(block, '_atom_site_Cartn_x'));
}

export function cifBlockToStructure(block: CifBlock, doc?: CifDocument, fileName?: string, options: StructureOptions = {}): CifStructureResult {
  void doc; // the document is accepted for future cross-block lookups (e.g. a shared global_ block)
  const diagnostics: CifDiagnostic[] = [];
  const result: CifStructureResult = { diagnostics };
  const hm = findValue(block, '_symmetry_space_group_name_H-M');
  const hall = findValue(block, '_symmetry_space_group_name_Hall');
  const number = findValue(block, '_symmetry_Int_Tables_number');
  const written = [hm, hall, number].find((v) => v && v.kind !== 'unknown' && v.kind !== 'inapplicable');
  if (written) result.spaceGroup = written.text.trim();
  const formula = findValue(block, '_chemical_formula_sum');
  if (formula && formula.kind !== 'unknown' && formula.kind !== 'inapplicable') result.formulaSum = formula.text.trim();
  if (!isStructureBlock(block)) return result;

  const cell = readCell(block, diagnostics);
  if (!cell) return result;
  result.cell = cell;
  let lattice: Mat3;
  try {
    lattice = latticeFromParameters(cell);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push({ severity: 'error', code: 'bad-cell', message: `The cell parameters do not form a cell (${message}): check lengths and angles.`, range: findItem(block, '_cell_angle_alpha')?.nameRange ?? block.range });
    return result;
  }

  const symmetry = readSymmetry(block, cell, diagnostics);
  if (symmetry.resolved) result.resolvedSpaceGroup = symmetry.resolved;
  const cap = new DiagnosticCap(options.maxDiagnosticsPerCode);
  const rows = readAtomSites(block, diagnostics, cap);
  if (!rows) {
    cap.summarize(atomSiteAnchor(block), diagnostics);
    return result;
  }
  const structure: Structure = { lattice, sites: expand(rows, symmetry.ops, lattice, diagnostics, cap) };
  structure.source = fileName ? `${fileName} data_${block.name}` : `data_${block.name}`;
  result.structure = structure;
  cap.summarize(atomSiteAnchor(block), diagnostics);
  checkFormula(block, structure, diagnostics);
  return result;
}

function readCell(block: CifBlock, diagnostics: CifDiagnostic[]): CellParameters | undefined {
  const cell: Partial<CellParameters> = {};
  const missing: string[] = [];
  for (const [key, tag] of CELL_TAGS) {
    const value = findValue(block, tag);
    if (value?.number === undefined) {
      missing.push(tag);
      if (value) {
        diagnostics.push({ severity: 'error', code: 'missing-cell', message: `${tag} is ${value.text === '?' || value.text === '.' ? `'${value.text}'` : 'not a number'}: give the cell ${key === 'a' || key === 'b' || key === 'c' ? 'length in Å' : 'angle in degrees'}.`, range: value.range });
      }
    } else cell[key] = value.number;
  }
  const absent = missing.filter((tag) => !findValue(block, tag));
  if (absent.length) {
    diagnostics.push({
      severity: 'error',
      code: 'missing-cell',
      message: `data_${block.name} has atom sites but no ${absent.join(', ')}: add the missing cell parameter${absent.length > 1 ? 's' : ''} so the structure can be built.`,
      range: block.range,
    });
  }
  return missing.length ? undefined : (cell as CellParameters);
}

interface SymmetryResult {
  ops: SymOp[];
  resolved?: ResolvedSpaceGroup;
}

const LEGACY_OPS = '_symmetry_equiv_pos_as_xyz';
const DDLM_OPS = '_space_group_symop_operation_xyz';

function readSymmetry(block: CifBlock, cell: CellParameters, diagnostics: CifDiagnostic[]): SymmetryResult {
  const legacy = findItemExact(block, LEGACY_OPS);
  const ddlm = findItemExact(block, DDLM_OPS);
  const legacyOps = legacy ? parseOpsItem(legacy, diagnostics) : undefined;
  const ddlmOps = ddlm ? parseOpsItem(ddlm, diagnostics) : undefined;
  if (legacy && ddlm && legacyOps && ddlmOps && !sameOps(legacyOps, ddlmOps)) {
    const second = legacy.nameRange.start.line > ddlm.nameRange.start.line ? legacy : ddlm;
    diagnostics.push({
      severity: 'error',
      code: 'symops-disagree',
      message: `${LEGACY_OPS} (${legacyOps.length} operations) and ${DDLM_OPS} (${ddlmOps.length}) list different operations: keep one spelling (the first one in the file is used).`,
      range: second.nameRange,
    });
  }
  const firstGiven = legacy && ddlm ? (legacy.nameRange.start.line <= ddlm.nameRange.start.line ? legacyOps : ddlmOps) : (legacyOps ?? ddlmOps);
  if (firstGiven && firstGiven.length) return { ops: firstGiven };
  return expandFromSymbol(block, cell, diagnostics);
}

/** Parses every operation of a loop column; bad ones become errors and are skipped. */
function parseOpsItem(item: CifItem, diagnostics: CifDiagnostic[]): SymOp[] {
  const ops: SymOp[] = [];
  for (const value of item.values) {
    if (value.kind === 'unknown' || value.kind === 'inapplicable') continue;
    const parsed = parseSymOp(value.text);
    if (parsed.ok) ops.push(parsed.op);
    else {
      diagnostics.push({ severity: 'error', code: 'bad-symop', message: `Symmetry operation '${value.text}' cannot be read (${parsed.error}): write it like 'x, y, z' or '-x+1/2, y, -z'.`, range: value.range });
    }
  }
  return ops;
}

function sameOps(a: SymOp[], b: SymOp[]): boolean {
  const keys = new Set(a.map(symOpKey));
  const other = new Set(b.map(symOpKey));
  return keys.size === other.size && [...keys].every((k) => other.has(k));
}

function expandFromSymbol(block: CifBlock, cell: CellParameters, diagnostics: CifDiagnostic[]): SymmetryResult {
  const hmValue = usable(findValue(block, '_symmetry_space_group_name_H-M'));
  const hallValue = usable(findValue(block, '_symmetry_space_group_name_Hall'));
  const numberValue = usable(findValue(block, '_symmetry_Int_Tables_number'));
  const query = { hermannMauguin: hmValue?.text, hall: hallValue?.text, number: numberValue?.number, cell };
  const anchor = hmValue ?? hallValue ?? numberValue;
  if (!anchor) {
    diagnostics.push({ severity: 'info', code: 'no-symmetry', message: 'No symmetry operations and no space group: read as P 1. Add _space_group_symop_operation_xyz or a space-group symbol if that is wrong.', range: block.range });
    return { ops: [identity()] };
  }
  const resolved = resolveSpaceGroup(query);
  if (!resolved) {
    diagnostics.push({
      severity: 'warning',
      code: 'unknown-space-group',
      message: `Space group '${anchor.text}' is not among the known Hall / H-M symbols and IT numbers, and no operations are listed: read as P 1. Add a _space_group_symop_operation_xyz loop or a standard symbol.`,
      range: anchor.range,
    });
    return { ops: [identity()] };
  }
  const ops = spaceGroupOperations(resolved);
  if (ops.length > 1) {
    const source = resolved.from === 'hall' ? hallValue : resolved.from === 'number' ? numberValue : hmValue;
    const what = resolved.from === 'hall' ? 'Hall symbol' : resolved.from === 'number' ? 'IT number' : 'H-M symbol';
    diagnostics.push({
      severity: 'info',
      code: 'symops-expanded',
      message: `No symmetry operations listed: expanded ${ops.length} operations from ${what} '${source?.text ?? anchor.text}' (setting ${resolved.symbol}, Hall ${resolved.hall}).`,
      range: (source ?? anchor).range,
    });
  }
  return { ops, resolved };
}

function usable(value: CifValue | undefined): CifValue | undefined {
  return value && value.kind !== 'unknown' && value.kind !== 'inapplicable' && value.text.trim() ? value : undefined;
}

function identity(): SymOp {
  return { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0] };
}

// ---------------------------------------------------------------------------------------------
// Atom sites

/**
 * The usable atom-site rows, column-wise: a 5 MB P1 file has 120k rows, and an object (plus range
 * objects) per row cost more than the rest of the read. Ranges are taken from the values only when
 * a diagnostic needs one.
 */
export interface AtomRows {
  count: number;
  /** Fractional x, y, z of row i at 3i, 3i + 1, 3i + 2 (as written, not wrapped). */
  frac: Float64Array;
  occupancies: Float64Array;
  /** Element and oxidation state (occupancy 1): shared between rows, never mutated. */
  species: SiteSpecies[];
  labels: string[];
  /** Where an occupancy diagnostic about row i points: its occupancy, else its x coordinate. */
  occupancyRange(i: number): CifRange;
}

const TYPE_SYMBOL = /^([A-Z][a-z]?)(?:(\d*)([+-])|([+-])(\d*))?$/;

/** Where the summaries of capped diagnostics go: the `loop_` of the atom sites (else the x tag, else the block). */
function atomSiteAnchor(block: CifBlock): CifRange {
  const xs = findItem(block, '_atom_site_fract_x');
  if (xs?.loop !== undefined) return block.loops[xs.loop].range;
  return xs?.nameRange ?? block.range;
}

function readAtomSites(block: CifBlock, diagnostics: CifDiagnostic[], cap: DiagnosticCap): AtomRows | undefined {
  const xs = findItem(block, '_atom_site_fract_x');
  const ys = findItem(block, '_atom_site_fract_y');
  const zs = findItem(block, '_atom_site_fract_z');
  if (!xs || !ys || !zs) {
    diagnostics.push({
      severity: 'error',
      code: 'no-fractional-coordinates',
      message: 'Atom sites need _atom_site_fract_x, _atom_site_fract_y and _atom_site_fract_z (Cartesian-only sites are not read): add fractional coordinates.',
      range: (xs ?? findItem(block, '_atom_site_Cartn_x') ?? findItem(block, '_atom_site_label'))?.nameRange ?? block.range,
    });
    return undefined;
  }
  const labels = columnReader(block, findItem(block, '_atom_site_label'));
  const types = columnReader(block, findItem(block, '_atom_site_type_symbol'));
  const occupancies = columnReader(block, findItem(block, '_atom_site_occupancy'));
  const calcFlags = columnReader(block, findItem(block, '_atom_site_calc_flag'));
  const x = columnReader(block, xs);
  const y = columnReader(block, ys);
  const z = columnReader(block, zs);
  const oxidation = oxidationNumbers(block);
  const typedSpecies = new Map<string, SiteSpecies | null>();
  const rowCount = Math.min(x.rows, y.rows, z.rows);
  // Loop rows by index, not value objects: keeping 100k values alive makes garbage collection slow.
  // Columns may come in any order, so a row without occupancy is anchored on its x value.
  const sourceRows = new Int32Array(rowCount);
  const occupancyRange = (i: number): CifRange => ((occupancies.at(sourceRows[i]) ?? x.at(sourceRows[i])) as CifValue).range;
  const rows: AtomRows = { count: 0, frac: new Float64Array(rowCount * 3), occupancies: new Float64Array(rowCount), species: [], labels: [], occupancyRange };
  const seenLabels = new FirstOccurrences(rowCount);
  let unknownOccupancies = 0;
  let firstUnknownOccupancy: CifRange | undefined;
  for (let r = 0; r < rowCount; r++) {
    if (calcFlags.at(r)?.text.toLowerCase() === 'dum') continue; // dummy atoms mark positions, not atoms
    const labelValue = labels.at(r);
    const label = labelValue && labelValue.kind !== 'unknown' && labelValue.kind !== 'inapplicable' ? labelValue.text : '';
    if (labelValue && label) {
      const first = seenLabels.firstOrAdd(label, r);
      if (first !== undefined && cap.admit('duplicate-label')) {
        const firstLine = (labels.at(first) as CifValue).range.start.line;
        diagnostics.push({ severity: 'warning', code: 'duplicate-label', message: `Atom-site label ${label} is used again (first at line ${firstLine + 1}): CIF requires unique labels; rename it (e.g. ${label}_2). Sites are grouped by position, not label.`, range: labelValue.range });
      }
    }
    const typeValue = types.at(r);
    const species = cachedTypedSpecies(typeValue, oxidation, typedSpecies) ?? speciesOf(typeValue, labelValue, oxidation, diagnostics, cap);
    const coordinatesRead = readNumericCoordinates(x, y, z, r, rows.frac, rows.count) || readCoordinates(x.at(r) as CifValue, y.at(r) as CifValue, z.at(r) as CifValue, rows.frac, rows.count, diagnostics, cap);
    if (!species || !coordinatesRead) continue;
    // The common case, an occupancy in [0, 1 + tolerance], needs no value object.
    const plainOccupancy = occupancies.number(r);
    const plain = plainOccupancy >= 0 && plainOccupancy <= 1 + OCCUPANCY_TOLERANCE;
    const occupancyValue = plain ? undefined : occupancies.at(r);
    let occupancy = plain ? plainOccupancy : 1;
    if (occupancyValue?.kind === 'unknown') {
      unknownOccupancies++;
      firstUnknownOccupancy ??= occupancyValue.range;
    } else if (occupancyValue && occupancyValue.kind !== 'inapplicable') {
      if (occupancyValue.number === undefined || occupancyValue.number < 0) {
        if (cap.admit('bad-occupancy')) diagnostics.push({ severity: 'error', code: 'bad-occupancy', message: `Occupancy '${occupancyValue.text}' is not a number between 0 and 1: fix it (use ? when unknown).`, range: occupancyValue.range });
        continue;
      }
      occupancy = occupancyValue.number;
      if (occupancy > 1 + OCCUPANCY_TOLERANCE && cap.admit('occupancy-above-one')) {
        diagnostics.push({ severity: 'warning', code: 'occupancy-above-one', message: `Occupancy ${occupancyValue.text} of ${label || species.element} is above 1: an occupancy is a fraction of a site; check the value (multiplicity does not belong here).`, range: occupancyValue.range });
      }
    }
    rows.occupancies[rows.count] = occupancy;
    rows.species.push(species);
    rows.labels.push(label);
    sourceRows[rows.count] = r;
    rows.count++;
  }
  if (unknownOccupancies && firstUnknownOccupancy) {
    diagnostics.push({ severity: 'warning', code: 'occupancy-unknown', message: `${unknownOccupancies} occupanc${unknownOccupancies > 1 ? 'ies are' : 'y is'} '?' (unknown): read as 1. Give the refined occupancy if the site is partially occupied.`, range: firstUnknownOccupancy });
  }
  return rows;
}

/** Row access to an item that does not build a loop column's values (see LoopColumn.valueAt). */
interface ColumnReader {
  rows: number;
  at(row: number): CifValue | undefined;
  /** `at(row)?.number`, NaN when undefined, without building a value where it can. */
  number(row: number): number;
}

const NO_COLUMN: ColumnReader = { rows: 0, at: () => undefined, number: () => NaN };

function columnReader(block: CifBlock, item: CifItem | undefined): ColumnReader {
  if (!item) return NO_COLUMN;
  if (item instanceof LoopColumn && item.loop !== undefined) {
    const rows = block.loops[item.loop].rowCount;
    return { rows, at: (row) => (row < rows ? item.valueAt(row) : undefined), number: (row) => (row < rows ? item.numberAt(row) : NaN) };
  }
  const values = item.values;
  return { rows: values.length, at: (row) => values[row], number: (row) => values[row]?.number ?? NaN };
}

/** Oxidation numbers from the _atom_type loop, by type symbol. */
function oxidationNumbers(block: CifBlock): Map<string, number> {
  const map = new Map<string, number>();
  const symbols = findItem(block, '_atom_type_symbol');
  const numbers = findItem(block, '_atom_type_oxidation_number');
  if (!symbols || !numbers) return map;
  symbols.values.forEach((s, i) => {
    const n = numbers.values[i]?.number;
    if (n !== undefined) map.set(s.text, n);
  });
  return map;
}

/**
 * The species of a well-formed type symbol (Ti, O2-, Cu2+), parsed once per distinct symbol; undefined
 * when there is none or it is malformed (speciesOf then reports it row by row, as before).
 */
function cachedTypedSpecies(type: CifValue | undefined, oxidation: Map<string, number>, cache: Map<string, SiteSpecies | null>): SiteSpecies | undefined {
  if (!type || type.kind === 'unknown' || type.kind === 'inapplicable') return undefined;
  let species = cache.get(type.text);
  if (species === undefined) {
    species = typedSpecies(type.text, oxidation) ?? null;
    cache.set(type.text, species);
  }
  return species ?? undefined;
}

function typedSpecies(typeText: string, oxidation: Map<string, number>): SiteSpecies | undefined {
  const m = TYPE_SYMBOL.exec(typeText);
  if (!m || !getElement(m[1])) return undefined;
  const species: SiteSpecies = { element: m[1], occupancy: 1 };
  const sign = m[3] ?? m[4];
  if (sign) species.oxidationState = (sign === '-' ? -1 : 1) * (m[2] || m[5] ? parseInt(m[2] || m[5], 10) : 1);
  else if (oxidation.has(typeText) && oxidation.get(typeText) !== 0) species.oxidationState = oxidation.get(typeText);
  return species;
}

/** Element and oxidation state from the type symbol (Ca2+, O2-, Ti), else from the label (Ca1). */
function speciesOf(type: CifValue | undefined, label: CifValue | undefined, oxidation: Map<string, number>, diagnostics: CifDiagnostic[], cap: DiagnosticCap): SiteSpecies | undefined {
  const typeText = type && type.kind !== 'unknown' && type.kind !== 'inapplicable' ? type.text : undefined;
  if (typeText !== undefined && type) {
    const typed = typedSpecies(typeText, oxidation);
    if (typed) return typed;
    const isotope = typeText === 'D' || typeText === 'T';
    const guess = isotope ? 'H' : elementPrefix(typeText);
    const labelGuess = label && label.kind !== 'unknown' && label.kind !== 'inapplicable' ? elementPrefix(label.text) : undefined;
    const element = guess ?? labelGuess;
    if (!cap.admit('bad-type-symbol')) return element ? { element, occupancy: 1 } : undefined;
    const digitsWithoutSign = /^[A-Za-z]{1,2}\d+$/.test(typeText);
    const outcome = element ? `read as ${element}` : 'the site is skipped';
    diagnostics.push({
      severity: 'warning',
      code: 'bad-type-symbol',
      message: isotope
        ? `Type symbol ${typeText} is a hydrogen isotope, not an element symbol: read as H (composition and features have no ${typeText}).`
        : digitsWithoutSign
          ? `Type symbol ${typeText} has a digit without a sign: write a charge as ${typeText}+ or ${typeText}-, or drop the digits (${outcome}).`
          : `Type symbol ${typeText} is not an element with an optional charge (Ti, O2-, Cu2+): fix the symbol (${outcome}).`,
      range: type.range,
    });
    return element ? { element, occupancy: 1 } : undefined;
  }
  const labelText = label && label.kind !== 'unknown' && label.kind !== 'inapplicable' ? label.text : undefined;
  const fromLabel = labelText ? elementPrefix(labelText) : undefined;
  if (fromLabel) return { element: fromLabel, occupancy: 1 };
  const anchor = type ?? label;
  if (anchor && cap.admit('no-element')) {
    diagnostics.push({ severity: 'warning', code: 'no-element', message: `Cannot tell the element of atom site ${anchor.text}: add an _atom_site_type_symbol such as Fe or O2-. The site is skipped.`, range: anchor.range });
  }
  return undefined;
}

/** The element a symbol or label starts with: 'Ca1' → Ca, 'O2-' → O, 'CA' → Ca, 'Wat' → undefined. */
function elementPrefix(text: string): string | undefined {
  const m = /^([A-Za-z])([A-Za-z]?)/.exec(text);
  if (!m) return undefined;
  const two = m[1].toUpperCase() + m[2].toLowerCase();
  if (m[2] && getElement(two) && (m[2] === m[2].toLowerCase() || !getElement(m[1].toUpperCase()))) return two;
  const one = m[1].toUpperCase();
  return getElement(one) ? one : undefined;
}


/** Writes row `r`'s coordinates into `frac` when all three are numbers (no value objects, no diagnostics). */
function readNumericCoordinates(x: ColumnReader, y: ColumnReader, z: ColumnReader, r: number, frac: Float64Array, index: number): boolean {
  const fx = x.number(r);
  const fy = y.number(r);
  const fz = z.number(r);
  if (Number.isNaN(fx) || Number.isNaN(fy) || Number.isNaN(fz)) return false;
  frac[3 * index] = fx;
  frac[3 * index + 1] = fy;
  frac[3 * index + 2] = fz;
  return true;
}

/** Writes row `index`'s coordinates into `frac`; false (with a diagnostic) when one is not a number. */
function readCoordinates(x: CifValue, y: CifValue, z: CifValue, frac: Float64Array, index: number, diagnostics: CifDiagnostic[], cap: DiagnosticCap): boolean {
  const values = [x, y, z];
  for (let axis = 0; axis < 3; axis++) {
    const value = values[axis];
    if (value.kind === 'unknown' || value.kind === 'inapplicable') {
      if (cap.admit('coordinate-missing')) diagnostics.push({ severity: 'error', code: 'coordinate-missing', message: `Fractional coordinate ${'xyz'[axis]} is '${value.text}' (${value.kind}): give a number; the site is skipped (other readers would put it at 0).`, range: value.range });
      return false;
    }
    if (value.number === undefined) {
      if (cap.admit('bad-number')) diagnostics.push({ severity: 'error', code: 'bad-number', message: `Fractional coordinate ${'xyz'[axis]} '${value.text}' is not a number: write it like 0.25 or 0.2571(4).`, range: value.range });
      return false;
    }
    frac[3 * index + axis] = value.number;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Expansion to the full cell

function wrap(x: number): number {
  const w = x - Math.floor(x);
  return w >= 1 - 1e-9 || w < 1e-9 ? 0 : w;
}

/**
 * Applies every operation to every row and merges images closer than MERGE_TOLERANCE_ANGSTROM
 * (a special position, or disorder partners) into one site, warning where the occupancies at one
 * position add up to more than 1. Positions live in a typed cell list, not in per-image objects.
 */
function expand(rows: AtomRows, ops: SymOp[], lattice: Mat3, diagnostics: CifDiagnostic[], cap: DiagnosticCap): Site[] {
  const sites: Site[] = [];
  /** The row that last added to each site (the occupancy-sum warning points at it). */
  let lastRow = new Int32Array(Math.max(16, rows.count));
  const index = new PeriodicCellList(lattice, rows.count * ops.length);
  const tolerance2 = MERGE_TOLERANCE_ANGSTROM * MERGE_TOLERANCE_ANGSTROM;
  // Over-full sites in the order they became so; flags instead of a Set (57k of them in the 5 MB file).
  const overfull: number[] = [];
  const isOverfull = new Uint8Array(rows.count * ops.length);
  const images = new Int32Array(ops.length);
  for (let r = 0; r < rows.count; r++) {
    const fx = rows.frac[3 * r];
    const fy = rows.frac[3 * r + 1];
    const fz = rows.frac[3 * r + 2];
    // Images of one row that coincide are one atom on a special position.
    let imageCount = 0;
    for (const op of ops) {
      const m = op.rotation;
      const t = op.translation;
      const x = wrap(m[0] * fx + m[1] * fy + m[2] * fz + t[0]);
      const y = wrap(m[3] * fx + m[4] * fy + m[5] * fz + t[1]);
      const z = wrap(m[6] * fx + m[7] * fy + m[8] * fz + t[2]);
      const existing = index.find(x, y, z, tolerance2);
      if (existing >= 0) {
        if (isAmong(images, imageCount, existing)) continue;
        images[imageCount++] = existing;
        addSpecies(sites[existing], rows, r);
        lastRow[existing] = r;
        if (!isOverfull[existing] && occupancySum(sites[existing]) > 1 + OCCUPANCY_TOLERANCE) {
          isOverfull[existing] = 1;
          overfull.push(existing);
        }
        continue;
      }
      const label = rows.labels[r];
      const species = [withOccupancy(rows.species[r], rows.occupancies[r])];
      // One literal per shape (same keys in the same order as adding label afterwards).
      const site: Site = label ? { frac: [x, y, z], species, label } : { frac: [x, y, z], species };
      const added = index.add(x, y, z);
      sites.push(site);
      if (added >= lastRow.length) lastRow = grown(lastRow);
      lastRow[added] = r;
      images[imageCount++] = added;
    }
  }
  reportOverfull(sites, overfull, lastRow, rows, diagnostics, cap);
  return sites;
}

function isAmong(list: Int32Array, count: number, value: number): boolean {
  for (let i = 0; i < count; i++) if (list[i] === value) return true;
  return false;
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** One warning per row that last filled an over-full position; past the cap the rows are only counted. */
function reportOverfull(sites: Site[], overfull: number[], lastRow: Int32Array, rows: AtomRows, diagnostics: CifDiagnostic[], cap: DiagnosticCap): void {
  const code = 'occupancy-sum-above-one';
  const room = cap.room(code);
  let count = 0;
  const reported = new Uint8Array(rows.count);
  // Files with many over-full positions repeat the same few coordinates; toFixed dominated here.
  const formatted = new Map<number, string>();
  const fixed4 = (x: number): string => {
    let text = formatted.get(x);
    if (text === undefined) formatted.set(x, (text = x.toFixed(4)));
    return text;
  };
  const roundedTexts = new Map<number, string>();
  const rounded = (x: number): string => {
    let text = roundedTexts.get(x);
    if (text === undefined) roundedTexts.set(x, (text = String(Number(x.toFixed(4)))));
    return text;
  };
  const speciesText = (site: Site): string =>
    site.species.length === 1 ? `${site.species[0].element} ${rounded(site.species[0].occupancy)}` : site.species.map((sp) => `${sp.element} ${rounded(sp.occupancy)}`).join(' + ');
  for (const i of overfull) {
    const row = lastRow[i];
    if (reported[row]) continue;
    reported[row] = 1;
    if (count++ >= room) continue; // counted only: no message, no range
    const site = sites[i];
    const sum = occupancySum(site);
    const [x, y, z] = site.frac;
    diagnostics.push({
      severity: 'warning',
      code,
      // join builds one flat string; a template literal keeps a tree of ~8 pieces alive per message.
      message: ['Occupancies at position (', fixed4(x), ', ', fixed4(y), ', ', fixed4(z), ') sum to ', rounded(sum), ' (', speciesText(site), '): more than one atom per site; check the occupancies or coordinates.'].join(''),
      range: rows.occupancyRange(row),
    });
  }
  cap.add(code, count);
}

function addSpecies(site: Site, rows: AtomRows, r: number): void {
  const species = rows.species[r];
  const same = site.species.find((sp) => sp.element === species.element && sp.oxidationState === species.oxidationState);
  if (same) same.occupancy += rows.occupancies[r];
  else site.species.push(withOccupancy(species, rows.occupancies[r]));
}

/** `{ ...species, occupancy }` without the generic object spread (64k sites in the 5 MB file). */
function withOccupancy(species: SiteSpecies, occupancy: number): SiteSpecies {
  const copy: SiteSpecies = { element: species.element, occupancy };
  if (species.oxidationState !== undefined) copy.oxidationState = species.oxidationState;
  return copy;
}

function occupancySum(site: Site): number {
  let sum = 0;
  for (const sp of site.species) sum += sp.occupancy;
  return sum;
}

// ---------------------------------------------------------------------------------------------
// _chemical_formula_sum against the expanded cell

function checkFormula(block: CifBlock, structure: Structure, diagnostics: CifDiagnostic[]): void {
  const value = usable(findValue(block, '_chemical_formula_sum'));
  if (!value || structure.sites.length === 0) return;
  const parsed = parseFormula(value.text, { context: 'cif-sum' });
  if (!parsed.ok) {
    diagnostics.push({ severity: 'info', code: 'formula-unreadable', message: `_chemical_formula_sum '${value.text}' cannot be read (${parsed.error}, column ${parsed.column}): write it as 'El count El count', e.g. 'C1 Ca1 O3'.`, range: value.range });
    return;
  }
  const cell = compositionOf(structure);
  const stated = parsed.elements;
  const elements = new Set([...Object.keys(cell), ...Object.keys(stated)]);
  const cellTotal = Object.values(cell).reduce((a, b) => a + b, 0);
  const statedTotal = Object.values(stated).reduce((a, b) => a + b, 0);
  if (cellTotal <= 0 || statedTotal <= 0) return;
  // Compare per-element fractions, so Z (formula units per cell) does not matter.
  const differing = [...elements].filter((e) => Math.abs((cell[e] ?? 0) / cellTotal - (stated[e] ?? 0) / statedTotal) > 0.005);
  if (!differing.length) return;
  if (stated.H && !cell.H && matchesWithoutHydrogen(cell, stated)) {
    diagnostics.push({ severity: 'info', code: 'formula-mismatch', message: `_chemical_formula_sum '${value.text}' lists H, but no H atoms are among the sites (usual for X-ray structures); the rest matches.`, range: value.range });
    return;
  }
  const ratio = (e: string): string => `${e} ${Number((cell[e] ?? 0).toFixed(3))}`;
  diagnostics.push({
    severity: 'info',
    code: 'formula-mismatch',
    message: `_chemical_formula_sum '${value.text}' does not match the atom sites × multiplicities (cell: ${[...elements].map(ratio).join(', ')}; differs in ${differing.join(', ')}). Often H atoms are omitted from the sites; otherwise check occupancies and symmetry.`,
    range: value.range,
  });
}

function matchesWithoutHydrogen(cell: Record<string, number>, stated: Record<string, number>): boolean {
  const rest = Object.fromEntries(Object.entries(stated).filter(([e]) => e !== 'H'));
  const restTotal = Object.values(rest).reduce((a, b) => a + b, 0);
  const cellTotal = Object.values(cell).reduce((a, b) => a + b, 0);
  const elements = new Set([...Object.keys(cell), ...Object.keys(rest)]);
  return [...elements].every((e) => Math.abs((cell[e] ?? 0) / cellTotal - (rest[e] ?? 0) / restTotal) <= 0.005);
}

/** Occupancy-weighted element counts of the full cell. */
export function compositionOf(structure: Structure): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const site of structure.sites) for (const sp of site.species) counts[sp.element] = (counts[sp.element] ?? 0) + sp.occupancy;
  return counts;
}
