// LLL lattice reduction (Lenstra–Lenstra–Lovász, δ = 0.75) for 3-D cells. A reduced basis has
// short, nearly orthogonal vectors, so periodic-image searches stay small even for the very
// skewed cells a generator can produce. Web-safe.
import { dot, inverse, matMul } from './lattice';
import type { Mat3, Vec3 } from './types';

export interface ReducedBasis {
  /** The reduced cell (rows a', b', c'), spanning the same lattice. */
  lattice: Mat3;
  /** Integer unimodular matrix T with lattice = T · original. */
  transform: Mat3;
}

const IDENTITY: Mat3 = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

function sub(u: Vec3, v: Vec3, k: number): Vec3 {
  return [u[0] - k * v[0], u[1] - k * v[1], u[2] - k * v[2]];
}

/** Gram–Schmidt orthogonalisation: the orthogonal vectors and the μ coefficients. */
function gramSchmidt(b: Vec3[]): { star: Vec3[]; mu: number[][] } {
  const star: Vec3[] = [];
  const mu: number[][] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) {
    let v: Vec3 = [...b[i]];
    for (let j = 0; j < i; j++) {
      mu[i][j] = dot(b[i], star[j]) / dot(star[j], star[j]);
      v = sub(v, star[j], mu[i][j]);
    }
    star.push(v);
  }
  return { star, mu };
}

/** LLL-reduces a cell; the lattice (the set of translations) is unchanged. */
export function lllReduce(m: Mat3, delta = 0.75): ReducedBasis {
  const b: Vec3[] = [[...m[0]], [...m[1]], [...m[2]]];
  const t: Vec3[] = [[...IDENTITY[0]], [...IDENTITY[1]], [...IDENTITY[2]]];
  let k = 1;
  // Each swap shrinks a positive potential, so the loop ends; the cap only guards against NaN input.
  for (let guard = 0; k < 3 && guard < 10_000; guard++) {
    let gs = gramSchmidt(b);
    for (let j = k - 1; j >= 0; j--) {
      const q = Math.round(gs.mu[k][j]);
      if (q !== 0) {
        b[k] = sub(b[k], b[j], q);
        t[k] = sub(t[k], t[j], q);
        gs = gramSchmidt(b);
      }
    }
    const lhs = dot(gs.star[k], gs.star[k]);
    const rhs = (delta - gs.mu[k][k - 1] ** 2) * dot(gs.star[k - 1], gs.star[k - 1]);
    if (lhs >= rhs) {
      k++;
    } else {
      [b[k], b[k - 1]] = [b[k - 1], b[k]];
      [t[k], t[k - 1]] = [t[k - 1], t[k]];
      k = Math.max(k - 1, 1);
    }
  }
  return { lattice: [b[0], b[1], b[2]], transform: [t[0], t[1], t[2]] };
}

/** Rounds a matrix that should be integer (the inverse of a unimodular transform). */
export function roundMatrix(m: Mat3): Mat3 {
  return m.map((row) => row.map((x) => Math.round(x) + 0)) as Mat3;
}

/** Fractional coordinates after a change of basis lattice' = T · lattice: f' = f · T⁻¹. */
export function fracAfterTransform(frac: Vec3[], transform: Mat3): Vec3[] {
  const inv = inverse(transform);
  return frac.map((f) => {
    const r = matMul([f, [0, 0, 0], [0, 0, 0]], inv)[0];
    return [r[0], r[1], r[2]];
  });
}
