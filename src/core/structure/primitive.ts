// Primitive cell of a periodic structure: finds the pure translations that map the structure
// onto itself (within a Cartesian tolerance), then picks the three shortest independent lattice
// vectors of the finer lattice they generate. In 3-D the successive minima of a lattice form a
// basis, so the result is a true primitive cell; a volume check guards the tolerance cases,
// returning the input unchanged when the translations are inconsistent. Web-safe.
import { cross, dot, fracToCart, inverse, norm, volume, wrapFrac } from './lattice';
import { niggliReduce, fracAfterTransform } from './niggli';
import type { Mat3, Structure, Vec3 } from './types';

/** pymatgen's get_primitive_structure default tolerance, in Å. */
export const DEFAULT_PRIMITIVE_TOLERANCE = 0.25;

function mainElement(site: Structure['sites'][number]): string {
  return site.species.map((s) => `${s.element}:${s.occupancy}`).join(',');
}

/** The structure in its Niggli-reduced cell, coordinates wrapped into [0, 1). */
export function niggliStructure(structure: Structure): Structure {
  const { lattice, transform } = niggliReduce(structure.lattice);
  const frac = fracAfterTransform(structure.sites.map((s) => s.frac), transform);
  return { ...structure, lattice, sites: structure.sites.map((s, i) => ({ ...s, frac: wrapFrac(frac[i]) })) };
}

/**
 * pymatgen's closeness test for primitive-cell search: each wrapped fractional difference within
 * tol / (axis length) — a per-axis box, looser than a Cartesian sphere of radius tol.
 */
function fracTolerances(lattice: Mat3, tol: number): Vec3 {
  return [tol / norm(lattice[0]), tol / norm(lattice[1]), tol / norm(lattice[2])];
}

function closeFrac(f: Vec3, g: Vec3, box: Vec3): boolean {
  for (let k = 0; k < 3; k++) {
    const d = g[k] - f[k];
    if (Math.abs(d - Math.round(d)) >= box[k]) return false;
  }
  return true;
}

function mapsOntoItself(box: Vec3, frac: Vec3[], kinds: string[], t: Vec3): boolean {
  return frac.every((f, i) => {
    const moved: Vec3 = [f[0] + t[0], f[1] + t[1], f[2] + t[2]];
    return frac.some((g, k) => kinds[k] === kinds[i] && closeFrac(moved, g, box));
  });
}

/** Pure translations (fractional, in [0,1)) that leave the structure invariant, zero first. */
export function latticeTranslations(structure: Structure, tol = DEFAULT_PRIMITIVE_TOLERANCE): Vec3[] {
  const kinds = structure.sites.map(mainElement);
  const frac = structure.sites.map((s) => s.frac);
  // Candidate translations are tested with twice the tolerance, as pymatgen does; the merge of
  // sites in the smaller cell (reduceOnce) then uses the tolerance itself.
  const box = fracTolerances(structure.lattice, 2 * tol);
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  const rarest = [...counts.entries()].sort((x, y) => x[1] - y[1])[0]?.[0];
  const anchor = kinds.indexOf(rarest ?? '');
  const found: Vec3[] = [[0, 0, 0]];
  if (anchor < 0) return found;
  for (let j = 0; j < frac.length; j++) {
    if (j === anchor || kinds[j] !== rarest) continue;
    const t = wrapFrac([frac[j][0] - frac[anchor][0], frac[j][1] - frac[anchor][1], frac[j][2] - frac[anchor][2]]);
    if (closeFrac([0, 0, 0], t, box)) continue;
    if (mapsOntoItself(box, frac, kinds, t)) found.push(t);
  }
  return found;
}

/** The three shortest independent vectors among the translations and their neighbours. */
function shortestBasis(lattice: Mat3, translations: Vec3[]): Mat3 | undefined {
  const candidates: Vec3[] = [];
  for (const t of translations) {
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) for (let k = -1; k <= 1; k++) {
      const v = fracToCart(lattice, [t[0] + i, t[1] + j, t[2] + k]);
      if (norm(v) > 1e-6) candidates.push(v);
    }
  }
  candidates.sort((x, y) => norm(x) - norm(y));
  const basis: Vec3[] = [];
  // Translations found within a tolerance are approximate: v and a slightly-off −v must not count
  // as independent, so independence needs a clear angle (vectors of a reduced basis are ≥ 60° apart).
  for (const v of candidates) {
    if (basis.length === 0) basis.push(v);
    else if (basis.length === 1 && norm(cross(basis[0], v)) > 0.2 * norm(basis[0]) * norm(v)) basis.push(v);
    else if (basis.length === 2 && Math.abs(dot(cross(basis[0], basis[1]), v)) > 0.1 * norm(cross(basis[0], basis[1])) * norm(v)) basis.push(v);
    if (basis.length === 3) break;
  }
  if (basis.length < 3) return undefined;
  const m: Mat3 = [basis[0], basis[1], basis[2]];
  // Keep the handedness of the input cell.
  return dot(cross(m[0], m[1]), m[2]) < 0 ? [m[0], m[1], [-m[2][0], -m[2][1], -m[2][2]]] : m;
}

/** The cell spanned by a group of translations, or undefined when it is not consistent. */
function reduceWith(reduced: Structure, translations: Vec3[], tol: number): Structure | undefined {
  const basis = shortestBasis(reduced.lattice, translations);
  const n = reduced.sites.length / translations.length;
  // Translations within tol are approximate, so the volume ratio is only close to |T|; 5 % still
  // tells |T| from |T| ± 1 for any cell a generator or a database produces.
  if (!basis || !Number.isInteger(n) || Math.abs((volume(basis) * translations.length) / volume(reduced.lattice) - 1) > 0.05) return undefined;
  const box = fracTolerances(basis, tol);
  const inv = inverse(basis);
  const kept: Structure['sites'] = [];
  for (const site of reduced.sites) {
    const frac = wrapFrac(fracToCart(inv, fracToCart(reduced.lattice, site.frac)));
    const duplicate = kept.some((k) => mainElement(k) === mainElement(site) && closeFrac(k.frac, frac, box));
    if (!duplicate) kept.push({ ...site, frac });
  }
  if (kept.length !== n) return undefined;
  return niggliStructure({ ...reduced, lattice: basis, sites: kept });
}

/** The cyclic group generated by t (t, 2t, … wrapped), if it closes within `maxOrder` steps. */
function cyclicGroup(t: Vec3, box: Vec3, maxOrder: number): Vec3[] | undefined {
  const group: Vec3[] = [[0, 0, 0]];
  for (let k = 1; k <= maxOrder; k++) {
    const multiple = wrapFrac([k * t[0], k * t[1], k * t[2]]);
    if (closeFrac([0, 0, 0], multiple, box)) return group;
    group.push(multiple);
  }
  return undefined;
}

/**
 * One reduction step: the cell spanned by all translations found, or, when approximate
 * translations make that inconsistent, by the largest cyclic subgroup that works (the next
 * round picks up the rest). Undefined when nothing reduces.
 */
function reduceOnce(reduced: Structure, tol: number): Structure | undefined {
  const translations = latticeTranslations(reduced, tol);
  if (translations.length === 1) return undefined;
  const all = reduceWith(reduced, translations, tol);
  if (all) return all;
  const box = fracTolerances(reduced.lattice, 2 * tol);
  const subgroups = translations
    .slice(1)
    .map((t) => cyclicGroup(t, box, translations.length))
    .filter((g): g is Vec3[] => g !== undefined && g.length < translations.length)
    .sort((x, y) => y.length - x.length);
  for (const group of subgroups) {
    const result = reduceWith(reduced, group, tol);
    if (result) return result;
  }
  return undefined;
}

/**
 * The primitive cell of `structure` (Niggli-reduced), or the Niggli-reduced input itself when it
 * is already primitive or the translations found are inconsistent at this tolerance. Repeats the
 * reduction (like pymatgen) because approximate translations are sometimes only found one
 * subgroup at a time.
 */
export function primitiveStructure(structure: Structure, tol = DEFAULT_PRIMITIVE_TOLERANCE): Structure {
  let current = niggliStructure(structure);
  for (let round = 0; round < 6; round++) {
    const next = reduceOnce(current, tol);
    if (!next) break;
    current = next;
  }
  return current;
}
