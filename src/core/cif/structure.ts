// Builds a Structure from a parsed CIF data block: cell, symmetry operations (given, or expanded
// from the Hall / H-M symbol / IT number), the asymmetric unit expanded to the full cell, sites
// grouped by position (not by label), partial and unknown occupancies, charged type symbols.
// Never throws; every problem is a positioned diagnostic.
import { getElement } from '../chem/elements';
import { parseFormula } from '../chem/formula';
import { latticeFromParameters } from '../structure/lattice';
import type { CellParameters, Mat3, Site, SiteSpecies, Structure, Vec3 } from '../structure/types';
import { findItem, findItemExact, findValue } from './block';
import { applySymOp, parseSymOp, resolveSpaceGroup, spaceGroupOperations, symOpKey, type ResolvedSpaceGroup, type SymOp } from './symmetry';
import type { CifBlock, CifDiagnostic, CifDocument, CifItem, CifRange, CifValue } from './types';

/** Two atoms closer than this (Å, minimum image) are one site: symmetry images of a special position, or disorder partners. */
export const MERGE_TOLERANCE_ANGSTROM = 0.01;
/** Occupancies may exceed 1 by this much (rounding in files) before a warning. */
const OCCUPANCY_TOLERANCE = 1e-3;

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

export function cifBlockToStructure(block: CifBlock, doc?: CifDocument, fileName?: string): CifStructureResult {
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
  const rows = readAtomSites(block, diagnostics);
  if (!rows) return result;
  const sites = expand(rows, symmetry.ops, lattice, diagnostics);
  const structure: Structure = { lattice, sites: sites.map((s) => s.site) };
  structure.source = fileName ? `${fileName} data_${block.name}` : `data_${block.name}`;
  result.structure = structure;
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

interface AtomRow {
  label: string;
  species: SiteSpecies;
  frac: Vec3;
  occupancyRange: CifRange;
  rowRange: CifRange;
}

const TYPE_SYMBOL = /^([A-Z][a-z]?)(?:(\d*)([+-])|([+-])(\d*))?$/;

function readAtomSites(block: CifBlock, diagnostics: CifDiagnostic[]): AtomRow[] | undefined {
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
  const labels = findItem(block, '_atom_site_label');
  const types = findItem(block, '_atom_site_type_symbol');
  const occupancies = findItem(block, '_atom_site_occupancy');
  const calcFlags = findItem(block, '_atom_site_calc_flag');
  const oxidation = oxidationNumbers(block);
  const rowCount = Math.min(xs.values.length, ys.values.length, zs.values.length);
  const rows: AtomRow[] = [];
  const seenLabels = new Map<string, CifRange>();
  let unknownOccupancies = 0;
  let firstUnknownOccupancy: CifRange | undefined;
  for (let r = 0; r < rowCount; r++) {
    if (calcFlags?.values[r]?.text.toLowerCase() === 'dum') continue; // dummy atoms mark positions, not atoms
    const labelValue = labels?.values[r];
    const label = labelValue && labelValue.kind !== 'unknown' && labelValue.kind !== 'inapplicable' ? labelValue.text : '';
    if (labelValue && label) {
      const first = seenLabels.get(label);
      if (first) {
        diagnostics.push({ severity: 'warning', code: 'duplicate-label', message: `Atom-site label ${label} is used again (first at line ${first.start.line + 1}): CIF requires unique labels; rename it (e.g. ${label}_2). Sites are grouped by position, not label.`, range: labelValue.range });
      } else seenLabels.set(label, labelValue.range);
    }
    const species = speciesOf(types?.values[r], labelValue, oxidation, diagnostics);
    const frac = coordinates([xs.values[r], ys.values[r], zs.values[r]], diagnostics);
    if (!species || !frac) continue;
    const occupancyValue = occupancies?.values[r];
    // Columns may come in any order, so the row is anchored on its x value.
    const rowRange = xs.values[r].range;
    let occupancy = 1;
    if (occupancyValue?.kind === 'unknown') {
      unknownOccupancies++;
      firstUnknownOccupancy ??= occupancyValue.range;
    } else if (occupancyValue && occupancyValue.kind !== 'inapplicable') {
      if (occupancyValue.number === undefined || occupancyValue.number < 0) {
        diagnostics.push({ severity: 'error', code: 'bad-occupancy', message: `Occupancy '${occupancyValue.text}' is not a number between 0 and 1: fix it (use ? when unknown).`, range: occupancyValue.range });
        continue;
      }
      occupancy = occupancyValue.number;
      if (occupancy > 1 + OCCUPANCY_TOLERANCE) {
        diagnostics.push({ severity: 'warning', code: 'occupancy-above-one', message: `Occupancy ${occupancyValue.text} of ${label || species.element} is above 1: an occupancy is a fraction of a site; check the value (multiplicity does not belong here).`, range: occupancyValue.range });
      }
    }
    species.occupancy = occupancy;
    rows.push({ label, species, frac, occupancyRange: occupancyValue?.range ?? rowRange, rowRange });
  }
  if (unknownOccupancies && firstUnknownOccupancy) {
    diagnostics.push({ severity: 'warning', code: 'occupancy-unknown', message: `${unknownOccupancies} occupanc${unknownOccupancies > 1 ? 'ies are' : 'y is'} '?' (unknown): read as 1. Give the refined occupancy if the site is partially occupied.`, range: firstUnknownOccupancy });
  }
  return rows;
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

/** Element and oxidation state from the type symbol (Ca2+, O2-, Ti), else from the label (Ca1). */
function speciesOf(type: CifValue | undefined, label: CifValue | undefined, oxidation: Map<string, number>, diagnostics: CifDiagnostic[]): SiteSpecies | undefined {
  const typeText = type && type.kind !== 'unknown' && type.kind !== 'inapplicable' ? type.text : undefined;
  if (typeText !== undefined && type) {
    const m = TYPE_SYMBOL.exec(typeText);
    if (m && getElement(m[1])) {
      const species: SiteSpecies = { element: m[1], occupancy: 1 };
      const sign = m[3] ?? m[4];
      if (sign) species.oxidationState = (sign === '-' ? -1 : 1) * (m[2] || m[5] ? parseInt(m[2] || m[5], 10) : 1);
      else if (oxidation.has(typeText) && oxidation.get(typeText) !== 0) species.oxidationState = oxidation.get(typeText);
      return species;
    }
    const isotope = typeText === 'D' || typeText === 'T';
    const guess = isotope ? 'H' : elementPrefix(typeText);
    const labelGuess = label && label.kind !== 'unknown' && label.kind !== 'inapplicable' ? elementPrefix(label.text) : undefined;
    const element = guess ?? labelGuess;
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
  if (anchor) {
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

function coordinates(values: CifValue[], diagnostics: CifDiagnostic[]): Vec3 | undefined {
  const out: number[] = [];
  for (const [axis, value] of values.entries()) {
    if (value.kind === 'unknown' || value.kind === 'inapplicable') {
      diagnostics.push({ severity: 'error', code: 'coordinate-missing', message: `Fractional coordinate ${'xyz'[axis]} is '${value.text}' (${value.kind}): give a number; the site is skipped (other readers would put it at 0).`, range: value.range });
      return undefined;
    }
    if (value.number === undefined) {
      diagnostics.push({ severity: 'error', code: 'bad-number', message: `Fractional coordinate ${'xyz'[axis]} '${value.text}' is not a number: write it like 0.25 or 0.2571(4).`, range: value.range });
      return undefined;
    }
    out.push(value.number);
  }
  return out as Vec3;
}

// ---------------------------------------------------------------------------------------------
// Expansion to the full cell

interface ExpandedSite {
  site: Site;
  /** Last row that contributed to each element at this site (for the occupancy-sum warning). */
  occupancyRange: CifRange;
}

function wrap(x: number): number {
  const w = x - Math.floor(x);
  return w >= 1 - 1e-9 || w < 1e-9 ? 0 : w;
}

/**
 * Squared Cartesian distance to the nearest periodic image. Rounding the fractional difference finds
 * that image whenever the points are within the (tiny) merge tolerance, which is all we ask.
 */
function distanceSquared(lattice: Mat3, a: Vec3, b: Vec3): number {
  const f0 = a[0] - b[0] - Math.round(a[0] - b[0]);
  const f1 = a[1] - b[1] - Math.round(a[1] - b[1]);
  const f2 = a[2] - b[2] - Math.round(a[2] - b[2]);
  const x = f0 * lattice[0][0] + f1 * lattice[1][0] + f2 * lattice[2][0];
  const y = f0 * lattice[0][1] + f1 * lattice[1][1] + f2 * lattice[2][1];
  const z = f0 * lattice[0][2] + f1 * lattice[1][2] + f2 * lattice[2][2];
  return x * x + y * y + z * z;
}

/** Bucketed positions so merging stays near-linear for large cells. */
class PositionIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly cells: number;

  constructor(
    private readonly lattice: Mat3,
    private readonly sites: ExpandedSite[],
    expectedSites: number,
  ) {
    // About one site per bucket; bucket edges stay far above the merge tolerance for real cells.
    this.cells = Math.max(4, Math.min(64, Math.ceil(Math.cbrt(expectedSites))));
  }

  private bucket(f: Vec3): [number, number, number] {
    return [Math.floor(f[0] * this.cells) % this.cells, Math.floor(f[1] * this.cells) % this.cells, Math.floor(f[2] * this.cells) % this.cells];
  }

  find(f: Vec3, tolerance2: number): number | undefined {
    const [bx, by, bz] = this.bucket(f);
    const n = this.cells;
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        for (let k = -1; k <= 1; k++) {
          const list = this.buckets.get((((bx + i + n) % n) * n + ((by + j + n) % n)) * n + ((bz + k + n) % n));
          if (!list) continue;
          for (const index of list) if (distanceSquared(this.lattice, this.sites[index].site.frac, f) < tolerance2) return index;
        }
      }
    }
    return undefined;
  }

  add(index: number): void {
    const [bx, by, bz] = this.bucket(this.sites[index].site.frac);
    const key = (bx * this.cells + by) * this.cells + bz;
    const list = this.buckets.get(key) ?? [];
    list.push(index);
    this.buckets.set(key, list);
  }
}

function expand(rows: AtomRow[], ops: SymOp[], lattice: Mat3, diagnostics: CifDiagnostic[]): ExpandedSite[] {
  const sites: ExpandedSite[] = [];
  const index = new PositionIndex(lattice, sites, rows.length * ops.length);
  const tolerance2 = MERGE_TOLERANCE_ANGSTROM * MERGE_TOLERANCE_ANGSTROM;
  const overfull = new Set<number>();
  for (const row of rows) {
    // Images of one row that coincide are one atom on a special position.
    const images: number[] = [];
    for (const op of ops) {
      const p = applySymOp(op, row.frac);
      const frac: Vec3 = [wrap(p[0]), wrap(p[1]), wrap(p[2])];
      const existing = index.find(frac, tolerance2);
      if (existing !== undefined && images.includes(existing)) continue;
      if (existing !== undefined) {
        images.push(existing);
        addSpecies(sites[existing], row);
        if (occupancySum(sites[existing].site) > 1 + OCCUPANCY_TOLERANCE) overfull.add(existing);
        continue;
      }
      const site: Site = { frac, species: [{ ...row.species }] };
      if (row.label) site.label = row.label;
      sites.push({ site, occupancyRange: row.occupancyRange });
      index.add(sites.length - 1);
      images.push(sites.length - 1);
    }
  }
  const reported = new Set<string>();
  for (const i of overfull) {
    const s = sites[i];
    const key = `${s.occupancyRange.start.line}:${s.occupancyRange.start.character}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const sum = occupancySum(s.site);
    diagnostics.push({
      severity: 'warning',
      code: 'occupancy-sum-above-one',
      message: `Occupancies at position (${s.site.frac.map((x) => x.toFixed(4)).join(', ')}) sum to ${Number(sum.toFixed(4))} (${s.site.species.map((sp) => `${sp.element} ${Number(sp.occupancy.toFixed(4))}`).join(' + ')}): more than one atom per site; check the occupancies or coordinates.`,
      range: s.occupancyRange,
    });
  }
  return sites;
}

function addSpecies(target: ExpandedSite, row: AtomRow): void {
  const same = target.site.species.find((sp) => sp.element === row.species.element && sp.oxidationState === row.species.oxidationState);
  if (same) same.occupancy += row.species.occupancy;
  else target.site.species.push({ ...row.species });
  target.occupancyRange = row.occupancyRange;
}

function occupancySum(site: Site): number {
  return site.species.reduce((sum, sp) => sum + sp.occupancy, 0);
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
