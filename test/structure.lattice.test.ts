import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cartToFrac, fracToCart, latticeFromParameters, parametersFromLattice, reciprocal, volume, wrapFrac } from '../src/core/structure/lattice';
import type { CellParameters, Mat3 } from '../src/core/structure/types';

function close(actual: number, expected: number, tol = 1e-9, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual}`);
}

test('cubic parameters give a diagonal cell', () => {
  const m = latticeFromParameters({ a: 4, b: 4, c: 4, alpha: 90, beta: 90, gamma: 90 });
  assert.deepEqual(m, [[4, 0, 0], [0, 4, 0], [0, 0, 4]]);
  close(volume(m), 64);
});

test('a lies along x and b in the xy plane; parameters round-trip for a triclinic cell', () => {
  const p: CellParameters = { a: 5.1, b: 6.3, c: 7.7, alpha: 81.5, beta: 103.2, gamma: 112.4 };
  const m = latticeFromParameters(p);
  assert.equal(m[0][1], 0);
  assert.equal(m[0][2], 0);
  assert.equal(m[1][2], 0);
  assert.ok(m[2][2] > 0, 'right-handed');
  const back = parametersFromLattice(m);
  for (const key of Object.keys(p) as (keyof CellParameters)[]) close(back[key], p[key], 1e-9, key);
});

test('triclinic volume matches the closed formula', () => {
  const p: CellParameters = { a: 5.1, b: 6.3, c: 7.7, alpha: 81.5, beta: 103.2, gamma: 112.4 };
  const [ca, cb, cg] = [p.alpha, p.beta, p.gamma].map((x) => Math.cos((x * Math.PI) / 180));
  const expected = p.a * p.b * p.c * Math.sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
  close(volume(latticeFromParameters(p)), expected, 1e-9);
});

test('hexagonal cell: gamma 120', () => {
  const m = latticeFromParameters({ a: 3, b: 3, c: 5, alpha: 90, beta: 90, gamma: 120 });
  close(m[1][0], -1.5, 1e-12);
  close(volume(m), 3 * 3 * 5 * Math.sin((120 * Math.PI) / 180), 1e-9);
});

test('impossible angles are rejected with a message', () => {
  assert.throws(() => latticeFromParameters({ a: 1, b: 1, c: 1, alpha: 120, beta: 30, gamma: 30 }), /do not form a cell/);
  assert.throws(() => latticeFromParameters({ a: -1, b: 1, c: 1, alpha: 90, beta: 90, gamma: 90 }), /positive/);
});

test('fractional and Cartesian coordinates round-trip in a skewed cell', () => {
  const m: Mat3 = [[4, 0.3, -0.2], [1.1, 5, 0.4], [-0.7, 0.9, 6]];
  const f: [number, number, number] = [0.12, -0.37, 1.44];
  const back = cartToFrac(m, fracToCart(m, f));
  f.forEach((x, i) => close(back[i], x, 1e-12));
});

test('reciprocal vectors satisfy a_i · b_j = δ_ij', () => {
  const m: Mat3 = [[4, 0.3, -0.2], [1.1, 5, 0.4], [-0.7, 0.9, 6]];
  const r = reciprocal(m);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const d = m[i][0] * r[j][0] + m[i][1] * r[j][1] + m[i][2] * r[j][2];
      close(d, i === j ? 1 : 0, 1e-12);
    }
  }
});

test('wrapFrac maps into [0, 1) and snaps values at the boundary to 0', () => {
  assert.deepEqual(wrapFrac([-1e-12, 1, 0.9999999999999]), [0, 0, 0]);
  const w = wrapFrac([-0.25, 1.5, 2.75]);
  close(w[0], 0.75, 1e-15);
  close(w[1], 0.5, 1e-15);
  close(w[2], 0.75, 1e-15);
  for (const x of wrapFrac([-3.2, 7.9999, -1e-17])) assert.ok(x >= 0 && x < 1);
});
