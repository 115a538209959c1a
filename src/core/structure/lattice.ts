// Lattice arithmetic on row-vector cells (matrix[0] = a, matrix[1] = b, matrix[2] = c, in Å).
// Web-safe: no Node imports. Convention for cells built from parameters: a along +x, b in the
// xy plane, c completing a right-handed set (pymatgen's `Lattice.from_parameters(..., vesta=True)`,
// ASE's `cellpar_to_cell`, the usual crystallographic choice).
import type { CellParameters, Mat3, Vec3 } from './types';

const DEG = Math.PI / 180;

/** cos of an angle in degrees, exact for the right angles that dominate real cells. */
function cosDeg(angle: number): number {
  if (Math.abs(angle - 90) < 1e-10) return 0;
  return Math.cos(angle * DEG);
}

function sinDeg(angle: number): number {
  if (Math.abs(angle - 90) < 1e-10) return 1;
  return Math.sin(angle * DEG);
}

/** Throws when the parameters cannot form a cell (non-positive lengths, impossible angles). */
export function checkCellParameters(p: CellParameters): void {
  for (const key of ['a', 'b', 'c'] as const) {
    if (!(Number.isFinite(p[key]) && p[key] > 0)) throw new RangeError(`cell length ${key} must be a positive number, got ${p[key]}`);
  }
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    if (!(Number.isFinite(p[key]) && p[key] > 0 && p[key] < 180)) throw new RangeError(`cell angle ${key} must lie strictly between 0 and 180 degrees, got ${p[key]}`);
  }
}

/** The Cartesian cell for the given lengths and angles (a along x, b in the xy plane). */
export function latticeFromParameters(p: CellParameters): Mat3 {
  checkCellParameters(p);
  const [ca, cb, cg] = [cosDeg(p.alpha), cosDeg(p.beta), cosDeg(p.gamma)];
  const sg = sinDeg(p.gamma);
  const cx = p.c * cb;
  const cy = (p.c * (ca - cb * cg)) / sg;
  const cz2 = p.c * p.c - cx * cx - cy * cy;
  if (!(cz2 > 1e-12 * p.c * p.c)) {
    throw new RangeError(`cell angles alpha=${p.alpha}, beta=${p.beta}, gamma=${p.gamma} do not form a cell (zero or imaginary volume)`);
  }
  return [
    [p.a, 0, 0],
    [p.b * cg, p.b * sg, 0],
    [cx, cy, Math.sqrt(cz2)],
  ];
}

export function norm(v: Vec3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

export function dot(u: Vec3, v: Vec3): number {
  return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
}

export function cross(u: Vec3, v: Vec3): Vec3 {
  return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
}

function angleDeg(u: Vec3, v: Vec3): number {
  const c = dot(u, v) / (norm(u) * norm(v));
  return Math.acos(Math.max(-1, Math.min(1, c))) / DEG;
}

/** Lengths (Å) and angles (degrees) of a cell. */
export function parametersFromLattice(m: Mat3): CellParameters {
  const [a, b, c] = m;
  return { a: norm(a), b: norm(b), c: norm(c), alpha: angleDeg(b, c), beta: angleDeg(a, c), gamma: angleDeg(a, b) };
}

/** Signed determinant: positive for a right-handed cell. */
export function determinant(m: Mat3): number {
  return dot(m[0], cross(m[1], m[2]));
}

/** Cell volume in Å³ (absolute value of the determinant). */
export function volume(m: Mat3): number {
  return Math.abs(determinant(m));
}

/** Cartesian position (Å) of fractional coordinates: frac · M. */
export function fracToCart(m: Mat3, f: Vec3): Vec3 {
  return [
    f[0] * m[0][0] + f[1] * m[1][0] + f[2] * m[2][0],
    f[0] * m[0][1] + f[1] * m[1][1] + f[2] * m[2][1],
    f[0] * m[0][2] + f[1] * m[1][2] + f[2] * m[2][2],
  ];
}

/** Inverse of a 3×3 matrix; throws for a singular (flat) cell. */
export function inverse(m: Mat3): Mat3 {
  const det = determinant(m);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError(`the cell is singular (determinant ${det}): its vectors are coplanar`);
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Fractional coordinates of a Cartesian position: cart · M⁻¹. */
export function cartToFrac(m: Mat3, cart: Vec3): Vec3 {
  return fracToCart(inverse(m), cart);
}

/**
 * Reciprocal lattice without the 2π factor (rows a*, b*, c* with a·a* = 1), i.e. the transpose
 * of M⁻¹. Its row norms are 1/d-spacings of the (100), (010), (001) planes.
 */
export function reciprocal(m: Mat3): Mat3 {
  const inv = inverse(m);
  return [
    [inv[0][0], inv[1][0], inv[2][0]],
    [inv[0][1], inv[1][1], inv[2][1]],
    [inv[0][2], inv[1][2], inv[2][2]],
  ];
}

/** Wraps one fractional coordinate into [0, 1); values within 1e-12 of an integer become 0. */
export function wrapCoordinate(x: number): number {
  let w = x - Math.floor(x);
  if (w >= 1 - 1e-12 || w < 1e-12) w = 0;
  return w;
}

/** Wraps fractional coordinates into [0, 1) robustly (−1e-12 → 0, 1 → 0, 0.9999999999999 → 0). */
export function wrapFrac(f: Vec3): Vec3 {
  return [wrapCoordinate(f[0]), wrapCoordinate(f[1]), wrapCoordinate(f[2])];
}

/** Product of two 3×3 matrices (A·B). */
export function matMul(a: Mat3, b: Mat3): Mat3 {
  const r = (i: number, j: number): number => a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return [
    [r(0, 0), r(0, 1), r(0, 2)],
    [r(1, 0), r(1, 1), r(1, 2)],
    [r(2, 0), r(2, 1), r(2, 2)],
  ];
}

/** Metric tensor G = M·Mᵀ (dot products of the cell vectors). */
export function metricTensor(m: Mat3): Mat3 {
  const rows = [m[0], m[1], m[2]] as const;
  const g = (i: number, j: number): number => dot(rows[i], rows[j]);
  return [
    [g(0, 0), g(0, 1), g(0, 2)],
    [g(1, 0), g(1, 1), g(1, 2)],
    [g(2, 0), g(2, 1), g(2, 2)],
  ];
}
