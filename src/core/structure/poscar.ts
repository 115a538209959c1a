// VASP POSCAR reader and writer. Reads VASP 5 files (element-symbol line before the counts),
// Direct or Cartesian coordinates, a scale factor (a negative one is the target volume in Å³, three
// numbers scale each axis) and "Selective dynamics". VASP 4 files have no element line, so the
// species are unknown: they are refused with a message saying how to fix the file. Every error
// names the file, line and column. Web-safe.
import { isElementSymbol } from '../chem/elements';
import { determinant, fracToCart, cartToFrac } from './lattice';
import type { Mat3, Site, Structure, Vec3 } from './types';

/** A POSCAR that cannot be read, with its position (1-based line and column). */
export class PoscarParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'PoscarParseError';
  }
}

interface Token {
  text: string;
  column: number;
}

/** The lines of the file with their whitespace-separated tokens and columns. */
class LineReader {
  private readonly lines: string[];
  private readonly lastNonEmpty: number;
  index = 0;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    let last = this.lines.length - 1;
    while (last >= 0 && this.lines[last].trim() === '') last--;
    this.lastNonEmpty = last;
  }

  fail(line: number, column: number, reason: string): never {
    throw new PoscarParseError(this.file, line, column, reason);
  }

  /** The next line (1-based number and tokens); fails with `what` when the file ends first. */
  next(what: string): { line: number; tokens: Token[]; raw: string } {
    if (this.index > this.lastNonEmpty) this.fail(Math.max(1, this.lastNonEmpty + 1), 1, `the file ends before ${what}`);
    const raw = this.lines[this.index++];
    const tokens: Token[] = [];
    for (const m of raw.matchAll(/\S+/g)) tokens.push({ text: m[0], column: (m.index ?? 0) + 1 });
    return { line: this.index, tokens, raw };
  }

  number(line: number, token: Token | undefined, what: string, previousEnd: number): number {
    if (!token) this.fail(line, previousEnd + 1, `expected ${what}, found the end of the line`);
    const value = Number(token.text.replace(/[dD]/, 'e'));
    if (!Number.isFinite(value)) this.fail(line, token.column, `expected ${what}, found "${token.text}"`);
    return value;
  }
}

function endColumn(tokens: Token[]): number {
  const last = tokens[tokens.length - 1];
  return last ? last.column + last.text.length - 1 : 0;
}

function readScale(r: LineReader): number[] {
  const { line, tokens } = r.next('the scale factor (line 2)');
  if (tokens.length === 0) r.fail(line, 1, 'expected the scale factor (a number), found an empty line');
  // Three leading numbers scale x, y, z separately; otherwise the first number is the one scale.
  const count = tokens.length >= 3 && tokens.slice(0, 3).every((t) => Number.isFinite(Number(t.text))) ? 3 : 1;
  const values = tokens.slice(0, count).map((t) => r.number(line, t, 'the scale factor', 0));
  values.forEach((v, i) => {
    if (v === 0) r.fail(line, tokens[i].column, 'the scale factor must not be 0');
    if (count === 3 && v < 0) r.fail(line, tokens[i].column, 'per-axis scale factors must be positive');
  });
  return values;
}

function readLattice(r: LineReader): Mat3 {
  const rows: Vec3[] = [];
  for (let k = 0; k < 3; k++) {
    const { line, tokens } = r.next(`lattice vector ${'abc'[k]} (line ${3 + k})`);
    const v = [0, 1, 2].map((i) => r.number(line, tokens[i], `component ${i + 1} of lattice vector ${'abc'[k]}`, endColumn(tokens))) as Vec3;
    rows.push(v);
  }
  return [rows[0], rows[1], rows[2]];
}

/** Per-axis Cartesian factors: VASP scales the lattice and Cartesian positions alike. */
function scaleFactors(r: LineReader, lattice: Mat3, scale: number[]): Vec3 {
  if (scale.length === 3) return [scale[0], scale[1], scale[2]];
  const det = determinant(lattice);
  if (Math.abs(det) < 1e-12) r.fail(3, 1, 'the lattice vectors are coplanar (zero cell volume)');
  // A negative scale is the wanted cell volume: scale lengths by (|s| / V)^(1/3).
  const factor = scale[0] > 0 ? scale[0] : Math.cbrt(-scale[0] / Math.abs(det));
  return [factor, factor, factor];
}

function scaleVector(v: Vec3, factors: Vec3): Vec3 {
  return [v[0] * factors[0], v[1] * factors[1], v[2] * factors[2]];
}

/** Species names in VASP 5 files may carry POTCAR suffixes ("Nb_pv", "O/abc123"). */
function elementFromSymbolToken(text: string): string {
  return text.split(/[_/]/)[0];
}

function readSpecies(r: LineReader): { elements: string[]; counts: number[] } {
  const symbols = r.next('the element symbols (line 6)');
  if (symbols.tokens.length === 0) r.fail(symbols.line, 1, 'expected the element symbols (VASP 5), found an empty line');
  if (symbols.tokens.every((t) => /^\d+$/.test(t.text))) {
    r.fail(symbols.line, 1, 'this is a VASP 4 POSCAR: line 6 holds atom counts but no element symbols. Insert a line with the element symbols (e.g. "Nb O") before the counts');
  }
  const elements = symbols.tokens.map((t) => {
    const element = elementFromSymbolToken(t.text);
    if (!isElementSymbol(element)) r.fail(symbols.line, t.column, `"${t.text}" is not an element symbol (write symbols like "Nb O", case-sensitive)`);
    return element;
  });
  const countLine = r.next('the atom counts (line 7)');
  if (countLine.tokens.length !== elements.length) {
    r.fail(countLine.line, Math.max(1, countLine.tokens[0]?.column ?? 1), `expected ${elements.length} atom counts (one per element on line ${symbols.line}), found ${countLine.tokens.length}`);
  }
  const counts = countLine.tokens.map((t) => {
    if (!/^\d+$/.test(t.text)) r.fail(countLine.line, t.column, `expected a whole number of atoms, found "${t.text}"`);
    return Number(t.text);
  });
  if (counts.reduce((a, b) => a + b, 0) === 0) r.fail(countLine.line, 1, 'the structure has no atoms');
  return { elements, counts };
}

/** Reads the optional "Selective dynamics" line and the Direct/Cartesian switch. */
function readCoordinateMode(r: LineReader): { cartesian: boolean; selective: boolean } {
  let mode = r.next('the coordinate mode ("Direct" or "Cartesian")');
  let selective = false;
  if (/^[sS]/.test(mode.raw.trim())) {
    selective = true;
    mode = r.next('the coordinate mode ("Direct" or "Cartesian")');
  }
  const first = mode.raw.trim()[0] ?? '';
  if (!/[cCkKdD]/.test(first)) {
    r.fail(mode.line, mode.tokens[0]?.column ?? 1, `expected "Direct" or "Cartesian", found "${mode.raw.trim()}"`);
  }
  return { cartesian: /[cCkK]/.test(first), selective };
}

/** Parses POSCAR/CONTCAR text into a Structure (fractional coordinates as written, not wrapped). */
export function parsePoscar(text: string, fileName = '<POSCAR>'): Structure {
  const r = new LineReader(text, fileName);
  const comment = r.next('the comment line').raw.trim();
  const scale = readScale(r);
  const rawLattice = readLattice(r);
  const factors = scaleFactors(r, rawLattice, scale);
  const lattice = rawLattice.map((row) => scaleVector(row, factors)) as Mat3;
  const { elements, counts } = readSpecies(r);
  const { cartesian } = readCoordinateMode(r);
  const sites: Site[] = [];
  elements.forEach((element, e) => {
    for (let n = 0; n < counts[e]; n++) {
      const { line, tokens } = r.next(`the coordinates of atom ${sites.length + 1} of ${counts.reduce((a, b) => a + b, 0)}`);
      const xyz = [0, 1, 2].map((i) => r.number(line, tokens[i], `coordinate ${'xyz'[i]} of atom ${sites.length + 1}`, endColumn(tokens))) as Vec3;
      const frac = cartesian ? cartToFrac(lattice, scaleVector(xyz, factors)) : xyz;
      sites.push({ frac, species: [{ element, occupancy: 1 }] });
    }
  });
  return { lattice, sites, source: comment ? `${fileName} (${comment})` : fileName };
}

function fmt(x: number): string {
  const s = x.toFixed(12);
  return (x < 0 || Object.is(x, -0) ? '' : ' ') + (s === '-0.000000000000' ? '0.000000000000' : s);
}

/** Writes a VASP 5 POSCAR (scale 1, Direct). Sites are grouped by element, first appearance first. */
export function writePoscar(structure: Structure, comment = structure.source ?? 'written by crystal-gan'): string {
  const order: string[] = [];
  const byElement = new Map<string, Vec3[]>();
  structure.sites.forEach((site, i) => {
    if (site.species.length !== 1 || Math.abs(site.species[0].occupancy - 1) > 1e-9) {
      throw new RangeError(`site ${i + 1} is disordered (partial occupancy): POSCAR cannot represent it; order the structure first`);
    }
    const element = site.species[0].element;
    if (!byElement.has(element)) {
      order.push(element);
      byElement.set(element, []);
    }
    byElement.get(element)?.push(site.frac);
  });
  const lines = [comment.replace(/[\r\n]+/g, ' '), '1.0'];
  for (const row of structure.lattice) lines.push(`  ${row.map(fmt).join('  ')}`);
  lines.push(order.join(' '), order.map((e) => String(byElement.get(e)?.length ?? 0)).join(' '), 'Direct');
  for (const e of order) for (const f of byElement.get(e) ?? []) lines.push(`  ${f.map(fmt).join('  ')}`);
  return lines.join('\n') + '\n';
}

/** Cartesian positions (Å) of all sites, in site order. */
export function cartesianPositions(structure: Structure): Vec3[] {
  return structure.sites.map((s) => fracToCart(structure.lattice, s.frac));
}
