// Loads the SMACT tables (<data>/smact/, see its SOURCE.md) for the web-safe checks in
// src/core/chem/smact.ts: oxidation states (the 2014 set CDVAE used by default, or the ICSD-24
// set), Pauling χ from element_data.txt (`None` → missing) and the metals list. Malformed lines
// are reported as file:line with what to fix, never skipped silently.
import fs from 'node:fs';
import path from 'node:path';
import type { SmactTables } from '../chem/smact';
import { resolveDataDir } from './dataDir';

export type OxidationStateSet = 'smact2014' | 'icsd24';

const OXIDATION_FILES: Record<OxidationStateSet, string> = {
  smact2014: 'oxidation_states.txt',
  icsd24: 'oxidation_states_icsd24_filtered.txt',
};

/** Column of `el_neg` in element_data.txt (0-based, after splitting on whitespace). */
const EL_NEG_COLUMN = 9;

export class SmactTableError extends Error {}

function dataLines(file: string): { line: number; fields: string[] }[] {
  if (!fs.existsSync(file)) throw new SmactTableError(`${file}: missing (the SMACT tables live in <data>/smact/)`);
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((text, index) => ({ line: index + 1, fields: text.trim().split(/\s+/) }))
    .filter(({ fields }) => fields[0] !== '' && !fields[0].startsWith('#'));
}

export function parseOxidationStates(file: string): Map<string, number[]> {
  const table = new Map<string, number[]>();
  for (const { line, fields } of dataLines(file)) {
    const [symbol, ...states] = fields;
    const values = states.map(Number);
    const bad = states.findIndex((s, i) => !Number.isInteger(values[i]) || s === '');
    if (bad >= 0) throw new SmactTableError(`${file}:${line}: oxidation state '${states[bad]}' of ${symbol} is not an integer`);
    table.set(symbol, values);
  }
  return table;
}

export function parseElectronegativities(file: string): Map<string, number | undefined> {
  const table = new Map<string, number | undefined>();
  for (const { line, fields } of dataLines(file)) {
    if (fields.length <= EL_NEG_COLUMN) {
      throw new SmactTableError(`${file}:${line}: expected at least ${EL_NEG_COLUMN + 1} columns (Symbol … el_neg), found ${fields.length}`);
    }
    const raw = fields[EL_NEG_COLUMN];
    const value = raw === 'None' ? undefined : Number(raw);
    if (value !== undefined && !Number.isFinite(value)) throw new SmactTableError(`${file}:${line}: el_neg '${raw}' is not a number or None`);
    table.set(fields[0], value);
  }
  return table;
}

export function parseMetals(file: string): Set<string> {
  if (!fs.existsSync(file)) throw new SmactTableError(`${file}: missing`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { metals?: unknown };
  if (!Array.isArray(json.metals) || !json.metals.every((m) => typeof m === 'string')) {
    throw new SmactTableError(`${file}: expected {"metals": [symbols…]}`);
  }
  return new Set(json.metals as string[]);
}

const cache = new Map<string, SmactTables>();

/**
 * The SMACT tables from `<dataDir>/smact` (dataDir defaults to resolveDataDir()). The 2014
 * oxidation-state set is the default because CDVAE's published validity numbers used it.
 */
export function loadSmactTables(dataDir?: string, set: OxidationStateSet = 'smact2014'): SmactTables {
  const dir = path.join(dataDir ?? resolveDataDir().path, 'smact');
  const key = `${dir}\0${set}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const tables: SmactTables = {
    oxidationStates: parseOxidationStates(path.join(dir, OXIDATION_FILES[set])),
    electronegativity: parseElectronegativities(path.join(dir, 'element_data.txt')),
    metals: parseMetals(path.join(dir, 'element_lists.json')),
  };
  cache.set(key, tables);
  return tables;
}
