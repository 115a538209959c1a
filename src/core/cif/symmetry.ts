// Symmetry operations (x,y,z strings) and space-group expansion from Hall symbols, Hermann-Mauguin
// symbols or IT numbers, using the generated table in spaceGroupTable.ts (all 230 groups in gemmi's
// 559 settings: standard settings plus the common alternative axis, cell and origin choices).
import { SPACE_GROUP_ROWS } from './spaceGroupTable';
import type { CellParameters, Vec3 } from '../structure/types';

/** x' = R·x + t, with R's rows over (x, y, z). */
export interface SymOp {
  rotation: [number, number, number, number, number, number, number, number, number];
  translation: Vec3;
}

export type SymOpResult = { ok: true; op: SymOp } | { ok: false; error: string };

const IDENTITY: SymOp = { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0] };

/**
 * Parses one operation such as 'x, y, z', '-x+1/2, y, -z', '1/2+x,1/2-y,1/2-z', '+x,+y,+z',
 * 'x-y, x, z+0.5'. Components are separated by commas (spaces alone are accepted when there are
 * no commas, as some programs write 'x y z').
 */
export function parseSymOp(text: string): SymOpResult {
  const trimmed = text.trim();
  let parts = trimmed.split(',');
  if (parts.length === 1) parts = trimmed.split(/\s+/);
  if (parts.length !== 3) return { ok: false, error: `expected three components separated by commas, found ${parts.length}` };
  const rotation: number[] = [];
  const translation: number[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const parsed = parseComponent(parts[axis].replace(/\s+/g, '').toLowerCase());
    if (typeof parsed === 'string') return { ok: false, error: `component ${axis + 1} ('${parts[axis].trim()}'): ${parsed}` };
    rotation.push(...parsed.coefficients);
    translation.push(parsed.shift);
  }
  return { ok: true, op: { rotation: rotation as SymOp['rotation'], translation: translation as Vec3 } };
}

/** One component: a signed sum of x, y, z terms (with optional integer coefficients) and numbers. */
function parseComponent(s: string): { coefficients: [number, number, number]; shift: number } | string {
  if (s.length === 0) return 'empty';
  const coefficients: [number, number, number] = [0, 0, 0];
  let shift = 0;
  let i = 0;
  let terms = 0;
  while (i < s.length) {
    let sign = 1;
    if (s[i] === '+' || s[i] === '-') {
      sign = s[i] === '-' ? -1 : 1;
      i++;
    } else if (terms > 0) return `expected + or - at '${s.slice(i)}'`;
    const numberMatch = /^(\d+(?:\.\d*)?|\.\d+)(?:\/(\d+(?:\.\d*)?))?/.exec(s.slice(i));
    let value: number | undefined;
    if (numberMatch) {
      value = parseFloat(numberMatch[1]) / (numberMatch[2] ? parseFloat(numberMatch[2]) : 1);
      if (!Number.isFinite(value)) return `bad number '${numberMatch[0]}'`;
      i += numberMatch[0].length;
      if (s[i] === '*') i++;
    }
    const axis = 'xyz'.indexOf(s[i] ?? '#');
    if (axis >= 0 && s[i] !== undefined) {
      coefficients[axis] += sign * (value ?? 1);
      i++;
    } else if (value !== undefined) {
      shift += sign * value;
    } else return `unexpected '${s.slice(i, i + 1) || 'end'}'`;
    terms++;
  }
  if (coefficients.some((c) => !Number.isInteger(c))) return 'coefficients of x, y and z must be whole numbers';
  return { coefficients, shift };
}

export function applySymOp(op: SymOp, f: Vec3): Vec3 {
  const r = op.rotation;
  return [
    r[0] * f[0] + r[1] * f[1] + r[2] * f[2] + op.translation[0],
    r[3] * f[0] + r[4] * f[1] + r[5] * f[2] + op.translation[1],
    r[6] * f[0] + r[7] * f[1] + r[8] * f[2] + op.translation[2],
  ];
}

/** a∘b: apply b, then a. Translations wrapped into [0, 1). */
export function composeSymOps(a: SymOp, b: SymOp): SymOp {
  const ra = a.rotation;
  const rb = b.rotation;
  const rotation = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) rotation[3 * i + j] = ra[3 * i] * rb[j] + ra[3 * i + 1] * rb[3 + j] + ra[3 * i + 2] * rb[6 + j];
  }
  const t = applySymOp({ rotation: ra, translation: a.translation }, b.translation);
  return { rotation: rotation as SymOp['rotation'], translation: [wrapShift(t[0]), wrapShift(t[1]), wrapShift(t[2])] };
}

function wrapShift(x: number): number {
  const w = x - Math.floor(x);
  return w > 1 - 1e-9 || w < 1e-9 ? 0 : w;
}

/** Identity of an operation modulo lattice translations (translations compared to 1e-6). */
export function symOpKey(op: SymOp): string {
  const t = op.translation.map((x) => {
    const w = wrapShift(x);
    return Math.round(w * 1e6) % 1e6;
  });
  return `${op.rotation.join(',')}|${t.join(',')}`;
}

/** Operation as an x,y,z string ('-x+1/2,y,-z'), with common fractions written as fractions. */
export function formatSymOp(op: SymOp): string {
  const out: string[] = [];
  for (let axis = 0; axis < 3; axis++) {
    let s = '';
    for (let k = 0; k < 3; k++) {
      const c = op.rotation[3 * axis + k];
      if (c === 0) continue;
      const v = 'xyz'[k];
      s += (c < 0 ? '-' : s ? '+' : '') + (Math.abs(c) === 1 ? '' : String(Math.abs(c))) + v;
    }
    const t = wrapShift(op.translation[axis]);
    if (t !== 0) s += '+' + fraction(t);
    out.push(s || '0');
  }
  return out.join(',');
}

function fraction(x: number): string {
  for (const d of [2, 3, 4, 6, 8, 12, 24]) {
    const n = Math.round(x * d);
    if (Math.abs(n / d - x) < 1e-6) return `${n}/${d}`;
  }
  return String(Number(x.toFixed(6)));
}

/** The group generated by `generators` (closure modulo lattice translations), identity first. */
export function closeGroup(generators: SymOp[], limit = 192): SymOp[] {
  const ops = new Map<string, SymOp>([[symOpKey(IDENTITY), IDENTITY]]);
  let frontier = [IDENTITY, ...generators];
  while (frontier.length && ops.size <= limit) {
    const next: SymOp[] = [];
    for (const a of frontier) {
      for (const b of [...ops.values(), ...generators]) {
        for (const c of [composeSymOps(a, b), composeSymOps(b, a)]) {
          const key = symOpKey(c);
          if (!ops.has(key)) {
            ops.set(key, c);
            next.push(c);
          }
        }
      }
    }
    frontier = next;
  }
  return [...ops.values()];
}

// ---------------------------------------------------------------------------------------------
// Space-group table lookup

export interface SpaceGroupSetting {
  number: number;
  /** Extended H-M symbol with the setting after ':' when there is one, e.g. 'R -3 c:H'. */
  symbol: string;
  hall: string;
}

interface Row extends SpaceGroupSetting {
  generators: string;
  base: string;
  extension: string;
}

let rows: Row[] | undefined;
let byBase: Map<string, Row[]> | undefined;
let byHall: Map<string, Row> | undefined;
let byNumber: Map<number, Row> | undefined;
const groupCache = new Map<string, SymOp[]>();

/** Strips quotes, spaces and underscores; lower-case (docs/cif-and-formulas.md §2). */
export function normalizeHermannMauguin(symbol: string): string {
  return symbol.replace(/['"_\s]/g, '').toLowerCase();
}

function normalizeHall(symbol: string): string {
  return symbol.replace(/['_]/g, ' ').replace(/^\s*"|"\s*$/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Monoclinic full symbols also go by their short form ('P 1 21/c 1' → 'P21/c'). */
function shortForm(symbol: string): string | undefined {
  const parts = symbol.split(' ');
  if (parts.length !== 4) return undefined;
  const axes = parts.slice(1).filter((p) => p !== '1');
  return axes.length === 1 ? parts[0] + axes[0] : undefined;
}

function table(): { rows: Row[]; byBase: Map<string, Row[]>; byHall: Map<string, Row>; byNumber: Map<number, Row> } {
  if (!rows || !byBase || !byHall || !byNumber) {
    rows = SPACE_GROUP_ROWS.map(([number, symbol, hall, generators]) => {
      const [base, extension = ''] = symbol.split(':');
      return { number, symbol, hall, generators, base: normalizeHermannMauguin(base), extension: extension.toLowerCase() };
    });
    byBase = new Map();
    byHall = new Map();
    byNumber = new Map();
    const add = (key: string, row: Row): void => {
      const list = byBase?.get(key) ?? [];
      list.push(row);
      byBase?.set(key, list);
    };
    for (const row of rows) add(row.base, row);
    for (const row of rows) {
      const short = shortForm(row.symbol.split(':')[0]);
      if (short && !byBase.has(normalizeHermannMauguin(short))) add(normalizeHermannMauguin(short), row);
      if (!byHall.has(normalizeHall(row.hall))) byHall.set(normalizeHall(row.hall), row);
      if (!byNumber.has(row.number)) byNumber.set(row.number, row);
    }
  }
  return { rows, byBase, byHall, byNumber };
}

export interface SpaceGroupQuery {
  hermannMauguin?: string;
  hall?: string;
  number?: number;
  /** Used to tell hexagonal from rhombohedral axes when an R symbol does not say. */
  cell?: CellParameters;
}

export interface ResolvedSpaceGroup extends SpaceGroupSetting {
  /** Which input decided it. */
  from: 'hall' | 'hermann-mauguin' | 'number';
  /** The setting suffix as written (':H', ' H', 'RS', ':2' …), when there was one. */
  writtenSetting?: string;
}

/** Finds the setting for a Hall symbol, H-M symbol or IT number (tried in that order). */
export function resolveSpaceGroup(query: SpaceGroupQuery): ResolvedSpaceGroup | undefined {
  const t = table();
  if (query.hall) {
    const row = t.byHall.get(normalizeHall(query.hall));
    if (row) return { number: row.number, symbol: row.symbol, hall: row.hall, from: 'hall' };
  }
  if (query.hermannMauguin) {
    const found = resolveHermannMauguin(query.hermannMauguin, query.cell);
    if (found) return found;
  }
  if (query.number !== undefined && Number.isInteger(query.number)) {
    const candidates = t.rows.filter((r) => r.number === query.number);
    const row = candidates.length ? pickSetting(candidates, '', query.cell) : undefined;
    if (row) return { number: row.number, symbol: row.symbol, hall: row.hall, from: 'number' };
  }
  return undefined;
}

function resolveHermannMauguin(written: string, cell?: CellParameters): ResolvedSpaceGroup | undefined {
  const t = table();
  const text = written.replace(/['"]/g, '').trim();
  const attempts: { base: string; setting: string }[] = [];
  const colon = text.indexOf(':');
  if (colon >= 0) attempts.push({ base: text.slice(0, colon), setting: text.slice(colon) });
  else {
    attempts.push({ base: text, setting: '' });
    const tail = /^(.*\S)\s+(H|R|RS|HR|S|Z|1|2)$/i.exec(text);
    if (tail) attempts.push({ base: tail[1], setting: ' ' + tail[2] });
  }
  for (const { base, setting } of attempts) {
    const normalized = normalizeHermannMauguin(base);
    const candidates = t.byBase.get(normalized) ?? t.byBase.get(oldCubicToModern(normalized));
    if (!candidates) continue;
    const row = pickSetting(candidates, setting.replace(/[:\s]/g, '').toLowerCase(), cell);
    const resolved: ResolvedSpaceGroup = { number: row.number, symbol: row.symbol, hall: row.hall, from: 'hermann-mauguin' };
    if (setting) resolved.writtenSetting = setting.trim();
    return resolved;
  }
  return undefined;
}

/** Old cubic symbols without the bar: Fm3m → Fm-3m, Pn3 → Pn-3, Ia3d → Ia-3d. */
function oldCubicToModern(normalized: string): string {
  return normalized.replace(/^([pfi][mnda])3(.*)$/, '$1-3$2');
}

function pickSetting(candidates: Row[], setting: string, cell?: CellParameters): Row {
  const wanted = setting === 's' ? '1' : setting === 'z' ? '2' : setting;
  const exact = candidates.find((r) => r.extension === wanted);
  if (exact && wanted) return exact;
  const rhombohedral = candidates.some((r) => r.extension === 'h') && candidates.some((r) => r.extension === 'r');
  if (rhombohedral && cell) {
    const isRhombohedralCell = Math.abs(cell.gamma - 120) > 0.5 && Math.abs(cell.a - cell.c) < 1e-3 * cell.a;
    return candidates.find((r) => r.extension === (isRhombohedralCell ? 'r' : 'h')) ?? candidates[0];
  }
  return candidates[0];
}

/** All operations of a resolved setting (centring translations included), identity first. */
export function spaceGroupOperations(setting: SpaceGroupSetting): SymOp[] {
  const cached = groupCache.get(setting.symbol);
  if (cached) return cached;
  const row = table().rows.find((r) => r.symbol === setting.symbol);
  const generators = (row?.generators ?? '')
    .split(';')
    .filter((g) => g)
    .map((g) => parseSymOp(g))
    .flatMap((r) => (r.ok ? [r.op] : []));
  const ops = closeGroup(generators);
  groupCache.set(setting.symbol, ops);
  return ops;
}

/** Number of settings in the table (for tests and the README). */
export function spaceGroupSettingCount(): number {
  return table().rows.length;
}
