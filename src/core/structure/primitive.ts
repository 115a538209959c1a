// Primitive cell of a periodic structure: finds the pure translations that map the structure
// onto itself (within a Cartesian tolerance), then picks the three shortest independent lattice
// vectors of the finer lattice they generate. In 3-D the successive minima of a lattice form a
// basis, so the result is a true primitive cell; a volume check guards the tolerance cases,
// returning the input unchanged when the translations are inconsistent. Web-safe.
import { cross, dot, fracToCart, inverse, norm, volume, wrapFrac } from './lattice';
import { minImageDistance, periodicFrame, type PeriodicFrame } from './distances';
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

function mapsOntoItself(frame: PeriodicFrame, frac: Vec3[], kinds: string[], t: Vec3, tol: number): boolean {
  return frac.every((f, i) => {
    const moved: Vec3 = [f[0] + t[0], f[1] + t[1], f[2] + t[2]];
    return frac.some((g, k) => kinds[k] === kinds[i] && minImageDistance(frame, moved, g) < tol);
  });
}

/** Pure translations (fractional, in [0,1)) that leave the structure invariant, zero first. */
export function latticeTranslations(structure: Structure, tol = DEFAULT_PRIMITIVE_TOLERANCE): Vec3[] {
  const kinds = structure.sites.map(mainElement);
  const frac = structure.sites.map((s) => s.frac);
  const frame = periodicFrame(structure.lattice);
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  const rarest = [...counts.entries()].sort((x, y) => x[1] - y[1])[0]?.[0];
  const anchor = kinds.indexOf(rarest ?? '');
  const found: Vec3[] = [[0, 0, 0]];
  if (anchor < 0) return found;
  for (let j = 0; j < frac.length; j++) {
    if (j === anchor || kinds[j] !== rarest) continue;
    const t = wrapFrac([frac[j][0] - frac[anchor][0], frac[j][1] - frac[anchor][1], frac[j][2] - frac[anchor][2]]);
    if (minImageDistance(frame, [0, 0, 0], t) < tol) continue;
    if (mapsOntoItself(frame, frac, kinds, t, tol)) found.push(t);
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
  for (const v of candidates) {
    if (basis.length === 0) basis.push(v);
    else if (basis.length === 1 && norm(cross(basis[0], v)) > 1e-3 * norm(basis[0]) * norm(v)) basis.push(v);
    else if (basis.length === 2 && Math.abs(dot(cross(basis[0], basis[1]), v)) > 1e-3 * norm(basis[0]) * norm(basis[1]) * norm(v)) basis.push(v);
    if (basis.length === 3) break;
  }
  if (basis.length < 3) return undefined;
  const m: Mat3 = [basis[0], basis[1], basis[2]];
  // Keep the handedness of the input cell.
  return dot(cross(m[0], m[1]), m[2]) < 0 ? [m[0], m[1], [-m[2][0], -m[2][1], -m[2][2]]] : m;
}

/**
 * The primitive cell of `structure` (Niggli-reduced), or the Niggli-reduced input itself when it
 * is already primitive or the translations found are inconsistent at this tolerance.
 */
export function primitiveStructure(structure: Structure, tol = DEFAULT_PRIMITIVE_TOLERANCE): Structure {
  const reduced = niggliStructure(structure);
  const translations = latticeTranslations(reduced, tol);
  if (translations.length === 1) return reduced;
  const basis = shortestBasis(reduced.lattice, translations);
  const n = reduced.sites.length / translations.length;
  if (!basis || !Number.isInteger(n) || Math.abs(volume(basis) * translations.length - volume(reduced.lattice)) > 1e-3 * volume(reduced.lattice)) {
    return reduced;
  }
  const frame = periodicFrame(basis);
  const inv = inverse(basis);
  const kept: Structure['sites'] = [];
  for (const site of reduced.sites) {
    const frac = wrapFrac(fracToCart(inv, fracToCart(reduced.lattice, site.frac)));
    const duplicate = kept.some((k) => mainElement(k) === mainElement(site) && minImageDistance(frame, k.frac, frac) < tol);
    if (!duplicate) kept.push({ ...site, frac });
  }
  if (kept.length !== n) return reduced;
  return niggliStructure({ ...reduced, lattice: basis, sites: kept });
}
