// Periodic geometry: minimum-image distances, the closest pair of distinct atoms, neighbour lists,
// density. Exact for any cell: the image range per axis is bounded with the reciprocal vectors
// (a Cartesian vector of length r has |fractional_k| ≤ r·|b*_k|), after an LLL reduction that
// keeps that range small for skewed cells. Web-safe.
import { getElement } from '../chem/elements';
import { fracToCart, norm, reciprocal, volume } from './lattice';
import { fracAfterTransform, lllReduce } from './lll';
import type { Mat3, Structure, Vec3 } from './types';

/** 1 u in grams × 1e24 Å³/cm³: density [g/cm³] = Σ mass [u] × this / V [Å³]. */
export const AMU_G_PER_CM3_A3 = 1.6605390666;

/** A lattice prepared for repeated distance queries. */
export interface PeriodicFrame {
  lattice: Mat3;
  /** |b*_k|: norms of the reciprocal vectors (1/d-spacings). */
  reciprocalNorms: Vec3;
}

export function periodicFrame(lattice: Mat3): PeriodicFrame {
  const r = reciprocal(lattice);
  return { lattice, reciprocalNorms: [norm(r[0]), norm(r[1]), norm(r[2])] };
}

function wrapHalf(x: number): number {
  return x - Math.round(x);
}

/**
 * Largest image offset searched per axis. Only absurd cells (axis lengths differing by a factor
 * of more than ~100, e.g. a broken generator output) reach it; there the search is approximate
 * rather than endless.
 */
export const MAX_IMAGE_REACH = 50;

/**
 * Visits every lattice translation n with |d + n| ≤ radius (d a fractional difference), calling
 * visit with the Cartesian vector and n; candidates outside the per-axis bound are never built.
 */
function forEachImage(frame: PeriodicFrame, d: Vec3, radius: number, visit: (cart: Vec3, n: Vec3) => void): void {
  const ranges = [0, 1, 2].map((k) => {
    const reach = Math.min(radius * frame.reciprocalNorms[k] + 1e-9, MAX_IMAGE_REACH);
    return [Math.ceil(-reach - d[k]), Math.floor(reach - d[k])];
  });
  for (let i = ranges[0][0]; i <= ranges[0][1]; i++) {
    for (let j = ranges[1][0]; j <= ranges[1][1]; j++) {
      for (let k = ranges[2][0]; k <= ranges[2][1]; k++) {
        visit(fracToCart(frame.lattice, [d[0] + i, d[1] + j, d[2] + k]), [i, j, k]);
      }
    }
  }
}

/** Minimum-image distance (Å) between two fractional points, exact for any cell shape. */
export function minImageDistance(frame: PeriodicFrame | Mat3, f1: Vec3, f2: Vec3): number {
  const fr = 'reciprocalNorms' in frame ? frame : periodicFrame(frame);
  const d: Vec3 = [wrapHalf(f2[0] - f1[0]), wrapHalf(f2[1] - f1[1]), wrapHalf(f2[2] - f1[2])];
  // The wrapped difference is one image, so the minimum is no longer than it.
  let best = norm(fracToCart(fr.lattice, d));
  forEachImage(fr, d, best, (cart) => {
    const r = norm(cart);
    if (r < best) best = r;
  });
  return best;
}

/** The structure re-expressed in its LLL-reduced cell (same crystal, short image searches). */
export function reducedForDistances(structure: Structure): { frame: PeriodicFrame; frac: Vec3[] } {
  const { lattice, transform } = lllReduce(structure.lattice);
  return { frame: periodicFrame(lattice), frac: fracAfterTransform(structure.sites.map((s) => s.frac), transform) };
}

export interface ClosestPair {
  distance: number;
  i: number;
  j: number;
}

/**
 * The shortest minimum-image distance between two distinct sites (i ≠ j). A site's distance to
 * its own periodic images is excluded (CDVAE), so a one-atom cell gives Infinity.
 */
export function closestPair(structure: Structure): ClosestPair {
  const { frame, frac } = reducedForDistances(structure);
  let best: ClosestPair = { distance: Infinity, i: -1, j: -1 };
  for (let i = 0; i < frac.length; i++) {
    for (let j = i + 1; j < frac.length; j++) {
      const r = minImageDistance(frame, frac[i], frac[j]);
      if (r < best.distance) best = { distance: r, i, j };
    }
  }
  return best;
}

/** Minimum-image distance over distinct atoms (Infinity for fewer than two sites). */
export function minPairDistance(structure: Structure): number {
  return closestPair(structure).distance;
}

export interface Neighbour {
  /** Index of the neighbouring site in structure.sites. */
  index: number;
  distance: number;
  /** Lattice translation (in the structure's own cell) of the neighbour's image. */
  image: Vec3;
  /** Cartesian position (Å) of the neighbour's image. */
  cart: Vec3;
}

/** Every site image within `cutoff` Å of site `siteIndex` (itself at zero offset excluded), nearest first. */
export function neighbours(structure: Structure, siteIndex: number, cutoff: number): Neighbour[] {
  const centre = structure.sites[siteIndex];
  if (!centre) throw new RangeError(`site ${siteIndex} does not exist (the structure has ${structure.sites.length} sites)`);
  const frame = periodicFrame(structure.lattice);
  const origin = fracToCart(structure.lattice, centre.frac);
  const found: Neighbour[] = [];
  structure.sites.forEach((site, index) => {
    const d: Vec3 = [site.frac[0] - centre.frac[0], site.frac[1] - centre.frac[1], site.frac[2] - centre.frac[2]];
    forEachImage(frame, d, cutoff, (cart, n) => {
      const distance = norm(cart);
      if (distance > cutoff || (index === siteIndex && n.every((x) => x === 0))) return;
      found.push({ index, distance, image: n, cart: [origin[0] + cart[0], origin[1] + cart[1], origin[2] + cart[2]] });
    });
  });
  return found.sort((x, y) => x.distance - y.distance || x.index - y.index);
}

/** Total mass (u) of the cell, occupancy-weighted; throws for an unknown element. */
export function cellMass(structure: Structure): number {
  let mass = 0;
  for (const site of structure.sites) {
    for (const sp of site.species) {
      const element = getElement(sp.element);
      if (!element) throw new RangeError(`unknown element "${sp.element}"`);
      mass += element.mass * sp.occupancy;
    }
  }
  return mass;
}

/** Density in g/cm³. */
export function density(structure: Structure): number {
  return (cellMass(structure) * AMU_G_PER_CM3_A3) / volume(structure.lattice);
}
