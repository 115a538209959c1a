// Lookup of items in a parsed block by any spelling: case-insensitive, DDLm dotted or legacy,
// and the _symmetry_* ↔ _space_group_* aliases (docs/cif-and-formulas.md §2).
import { keyAliases, tagKey } from './dictionary';
import type { CifBlock, CifItem, CifValue } from './types';

const indexes = new WeakMap<CifBlock, Map<string, CifItem>>();

function index(block: CifBlock): Map<string, CifItem> {
  let map = indexes.get(block);
  if (!map) {
    map = new Map(block.items.map((item) => [item.key, item]));
    indexes.set(block, map);
  }
  return map;
}

/** The item for `name` in any spelling; the spelling given is preferred over its aliases. */
export function findItem(block: CifBlock, name: string): CifItem | undefined {
  const map = index(block);
  for (const key of keyAliases(tagKey(name))) {
    const item = map.get(key);
    if (item) return item;
  }
  return undefined;
}

/** The item under exactly this key (no aliases), e.g. to compare both spellings. */
export function findItemExact(block: CifBlock, name: string): CifItem | undefined {
  return index(block).get(tagKey(name));
}

/** The first value of a non-looped item (or of a loop column). */
export function findValue(block: CifBlock, name: string): CifValue | undefined {
  return findItem(block, name)?.values[0];
}

/** The numeric value, or undefined for `.`, `?`, text or a missing tag. */
export function findNumber(block: CifBlock, name: string): number | undefined {
  return findValue(block, name)?.number;
}

/** The text of the value, undefined for `.`, `?` or a missing tag. */
export function findText(block: CifBlock, name: string): string | undefined {
  const v = findValue(block, name);
  return v && v.kind !== 'unknown' && v.kind !== 'inapplicable' ? v.text : undefined;
}
