// The cell list that merges symmetry images must find exactly what an all-pairs search over every
// periodic image finds (random cells, points, near-duplicates across cell faces).
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { PeriodicCellList } from '../src/core/cif/cellList';
import { latticeFromParameters } from '../src/core/structure/lattice';
import type { Mat3 } from '../src/core/structure/types';

const TOLERANCE = 0.01;

/** Minimum distance over all 27 neighbouring images: no rounding shortcut. */
function bruteDistance(lattice: Mat3, a: number[], b: number[]): number {
  let best = Infinity;
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      for (let k = -1; k <= 1; k++) {
        const f = [a[0] - b[0] + i, a[1] - b[1] + j, a[2] - b[2] + k];
        const cart = [0, 1, 2].map((c) => f[0] * lattice[0][c] + f[1] * lattice[1][c] + f[2] * lattice[2][c]);
        best = Math.min(best, Math.hypot(cart[0], cart[1], cart[2]));
      }
    }
  }
  return best;
}

const wrap = (x: number): number => x - Math.floor(x);

const cellArbitrary = fc.record({
  a: fc.double({ min: 2.5, max: 12, noNaN: true }),
  b: fc.double({ min: 2.5, max: 12, noNaN: true }),
  c: fc.double({ min: 2.5, max: 12, noNaN: true }),
  alpha: fc.double({ min: 70, max: 110, noNaN: true }),
  beta: fc.double({ min: 70, max: 110, noNaN: true }),
  gamma: fc.double({ min: 70, max: 120, noNaN: true }),
});

const pointArbitrary = fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }));

/** Points plus copies moved by less than the tolerance (often across a cell face). */
const cloudArbitrary = fc.record({
  cell: cellArbitrary,
  points: fc.array(pointArbitrary, { minLength: 1, maxLength: 60 }),
  copies: fc.array(fc.tuple(fc.nat(), fc.double({ min: -0.004, max: 0.004, noNaN: true }), fc.double({ min: -0.004, max: 0.004, noNaN: true })), { maxLength: 40 }),
  expected: fc.integer({ min: 1, max: 5000 }),
});

test('the cell list finds a point within the tolerance exactly when an all-pairs search over every image does', () => {
  fc.assert(
    fc.property(cloudArbitrary, ({ cell, points, copies, expected }) => {
      let lattice: Mat3;
      try {
        lattice = latticeFromParameters(cell);
      } catch {
        return; // angles that do not close a cell
      }
      const all = [...points.map((p) => [...p])];
      for (const [which, dx, dz] of copies) {
        const p = points[which % points.length];
        all.push([wrap(p[0] + dx), p[1], wrap(p[2] + dz)]);
      }
      const list = new PeriodicCellList(lattice, expected);
      const kept: number[][] = [];
      for (const p of all) {
        const found = list.find(p[0], p[1], p[2], TOLERANCE * TOLERANCE);
        const near = kept.map((q, i) => [i, bruteDistance(lattice, p, q)] as const).filter(([, d]) => d < TOLERANCE);
        // Distances within a hair of the tolerance may round either way; skip those points.
        if (kept.some((q) => Math.abs(bruteDistance(lattice, p, q) - TOLERANCE) < 1e-9)) continue;
        if (near.length === 0) {
          assert.equal(found, -1, `no point within ${TOLERANCE} Å of ${p}, but the cell list found ${found}`);
          assert.equal(list.add(p[0], p[1], p[2]), kept.length);
          kept.push(p);
        } else {
          assert.ok(near.some(([i]) => i === found), `the cell list answered ${found}, the all-pairs search ${near.map(([i]) => i)}`);
        }
      }
      assert.equal(list.size, kept.length);
    }),
    { numRuns: 300, seed: 20261122 },
  );
});

test('the cell list merges the same pairs as the all-pairs search on well-separated clusters', () => {
  const lattice = latticeFromParameters({ a: 4, b: 5, c: 6, alpha: 90, beta: 100, gamma: 90 });
  const centres = [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
    [0.999, 0.2, 0.3],
    [0.25, 0.75, 0.0005],
  ];
  // Each centre, then an image shifted across the cell face (0 ↔ 1) by less than the tolerance.
  const points = [...centres, ...centres.map((c) => [wrap(c[0] - 0.001), wrap(c[1] + 0.0005), wrap(c[2] - 0.0012)])];
  const list = new PeriodicCellList(lattice, points.length);
  const groups = points.map((p) => {
    const found = list.find(p[0], p[1], p[2], TOLERANCE * TOLERANCE);
    return found >= 0 ? found : list.add(p[0], p[1], p[2]);
  });
  assert.deepEqual(groups, [0, 1, 2, 3, 0, 1, 2, 3]);
});
