// Niggli reduction of a cell: the Křivý–Gruber (1976) algorithm with the epsilon comparisons of
// Grosse-Kunstleve, Sauter & Adams (Acta Cryst. A60, 1, 2004), acting on the metric tensor
// G = M·Mᵀ. Every step is an integer change of basis, accumulated so the reduced cell vectors are
// exact lattice vectors of the input (no rebuilding from parameters). Web-safe.
import { matMul, metricTensor, volume } from './lattice';
import { lllReduce, roundMatrix } from './lll';
import type { Mat3 } from './types';

export interface NiggliResult {
  /** Niggli-reduced cell (rows a, b, c). */
  lattice: Mat3;
  /** Integer matrix T with lattice = T · input (rows are the new vectors in the old basis). */
  transform: Mat3;
}

function transpose(m: Mat3): Mat3 {
  return [
    [m[0][0], m[1][0], m[2][0]],
    [m[0][1], m[1][1], m[2][1]],
    [m[0][2], m[1][2], m[2][2]],
  ];
}

function diag(i: number, j: number, k: number): Mat3 {
  return [
    [i, 0, 0],
    [0, j, 0],
    [0, 0, k],
  ];
}

/** Sign with an epsilon dead zone: 0 when |x| < eps. */
function signEps(x: number, eps: number): number {
  return Math.abs(x) < eps ? 0 : Math.sign(x);
}

/** One Křivý–Gruber step: the column-operation matrix to apply, or undefined when reduced. */
function nextStep(g: Mat3, e: number): Mat3 | undefined {
  const [A, B, C] = [g[0][0], g[1][1], g[2][2]];
  const [xi, eta, zeta] = [2 * g[1][2], 2 * g[0][2], 2 * g[0][1]];
  if (B + e < A || (Math.abs(A - B) < e && Math.abs(xi) > Math.abs(eta) + e)) return [[0, -1, 0], [-1, 0, 0], [0, 0, -1]]; // A1
  if (C + e < B || (Math.abs(B - C) < e && Math.abs(eta) > Math.abs(zeta) + e)) return [[-1, 0, 0], [0, 0, -1], [0, -1, 0]]; // A2
  const [l, m, n] = [signEps(xi, e), signEps(eta, e), signEps(zeta, e)];
  if (l * m * n === 1) {
    // A3: make ξ, η, ζ all positive (two of them may be negative; the determinant stays +1).
    const flips = [l, m, n].map((v) => (v === -1 ? -1 : 1));
    if (flips.includes(-1)) return diag(flips[0], flips[1], flips[2]);
  } else {
    // A4: make ξ, η, ζ all non-positive; a zero one takes a sign flip too so the determinant stays +1.
    const flips = [l, m, n].map((v) => (v === 1 ? -1 : 1));
    const zero = [l, m, n].indexOf(0);
    if (flips[0] * flips[1] * flips[2] === -1 && zero >= 0) flips[zero] = -1;
    if (flips.includes(-1)) return diag(flips[0], flips[1], flips[2]);
  }
  if (Math.abs(xi) > B + e || (Math.abs(xi - B) < e && 2 * eta < zeta - e) || (Math.abs(xi + B) < e && zeta < -e)) {
    return [[1, 0, 0], [0, 1, -Math.sign(xi)], [0, 0, 1]]; // A5
  }
  if (Math.abs(eta) > A + e || (Math.abs(eta - A) < e && 2 * xi < zeta - e) || (Math.abs(eta + A) < e && zeta < -e)) {
    return [[1, 0, -Math.sign(eta)], [0, 1, 0], [0, 0, 1]]; // A6
  }
  if (Math.abs(zeta) > A + e || (Math.abs(zeta - A) < e && 2 * xi < eta - e) || (Math.abs(zeta + A) < e && eta < -e)) {
    return [[1, -Math.sign(zeta), 0], [0, 1, 0], [0, 0, 1]]; // A7
  }
  const sum = xi + eta + zeta + A + B;
  if (sum < -e || (Math.abs(sum) < e && 2 * (A + eta) + zeta > e)) return [[1, 0, 1], [0, 1, 1], [0, 0, 1]]; // A8
  return undefined;
}

/**
 * Niggli-reduces a cell. `tolerance` is relative: comparisons use ε = tolerance · V^{1/3}
 * (pymatgen's convention, default 1e-5). Starts from the LLL-reduced cell so the loop is short.
 */
export function niggliReduce(m: Mat3, tolerance = 1e-5): NiggliResult {
  const lll = lllReduce(m);
  const e = tolerance * Math.cbrt(volume(m));
  // P holds the new basis vectors as columns over the LLL basis: G' = Pᵀ G P, lattice' = Pᵀ · lattice.
  let p: Mat3 = diag(1, 1, 1);
  let g = metricTensor(lll.lattice);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const step = nextStep(g, e);
    if (!step) break;
    p = matMul(p, step);
    g = matMul(transpose(step), matMul(g, step));
  }
  const transform = roundMatrix(matMul(transpose(p), lll.transform));
  return { lattice: matMul(transform, m), transform };
}

export { fracAfterTransform } from './lll';
