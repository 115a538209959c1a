import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestPair, density, minImageDistance, minPairDistance, neighbours } from '../src/core/structure/distances';
import { composition, elementCount, formulaString, reducedComposition, reducedFormula } from '../src/core/structure/composition';
import { fracToCart, matMul, norm, volume } from '../src/core/structure/lattice';
import { lllReduce } from '../src/core/structure/lll';
import type { Mat3, Structure, Vec3 } from '../src/core/structure/types';

function site(element: string, frac: Vec3) {
  return { frac, species: [{ element, occupancy: 1 }] };
}

const rockSaltNbO: Structure = {
  lattice: [[0, 2.1, 2.1], [2.1, 0, 2.1], [2.1, 2.1, 0]],
  sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])],
};

/** Brute force over a wide image range, for comparison. */
function bruteForce(lattice: Mat3, f1: Vec3, f2: Vec3, range: number): number {
  let best = Infinity;
  for (let i = -range; i <= range; i++) for (let j = -range; j <= range; j++) for (let k = -range; k <= range; k++) {
    best = Math.min(best, norm(fracToCart(lattice, [f2[0] - f1[0] + i, f2[1] - f1[1] + j, f2[2] - f1[2] + k])));
  }
  return best;
}

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('rock-salt NbO: Nb–O distance is half the cubic edge', () => {
  assert.ok(Math.abs(minPairDistance(rockSaltNbO) - 2.1) < 1e-12);
});

test('a very skewed cell of a cubic lattice gives the cubic answer (3×3×3 images would not)', () => {
  // Same lattice as the 2 Å cube: a' = a, b' = b + 7a, c' = c + 9b + 5a.
  const cube: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];
  const skew: Mat3 = matMul([[1, 0, 0], [7, 1, 0], [5, 9, 1]], cube);
  // (½,½,½) in the skewed cell is (6.5, 5, 0.5) in the cube, i.e. (½, 0, ½): √2 Å from a corner.
  const f: Vec3 = [0.5, 0.5, 0.5];
  const d = minImageDistance(skew, [0, 0, 0], f);
  assert.ok(Math.abs(d - Math.SQRT2) < 1e-12, `got ${d}`);
  assert.ok(bruteForce(skew, [0, 0, 0], f, 1) > d + 5, 'the 3×3×3 search is wrong here');
});

test('minimum-image distance equals a wide brute-force search on random skewed cells', () => {
  const random = rng(7);
  for (let trial = 0; trial < 200; trial++) {
    const m = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 2 + 3 * random() : 4 * (random() - 0.5)))) as Mat3;
    const f1: Vec3 = [random(), random(), random()];
    const f2: Vec3 = [random() * 3 - 1, random(), random()];
    const exact = bruteForce(m, f1, f2, 6);
    assert.ok(Math.abs(minImageDistance(m, f1, f2) - exact) < 1e-9, `trial ${trial}`);
  }
});

test('self-images are excluded: a one-atom cell has no pair distance', () => {
  const s: Structure = { lattice: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], sites: [site('Nb', [0, 0, 0])] };
  assert.equal(minPairDistance(s), Infinity);
  assert.equal(closestPair(s).i, -1);
});

test('two atoms on the same spot give distance 0 and name the pair', () => {
  const s: Structure = { lattice: [[3, 0, 0], [0, 3, 0], [0, 0, 3]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5]), site('O', [1, 1, 1e-13])] };
  const pair = closestPair(s);
  assert.ok(pair.distance < 1e-9);
  assert.deepEqual([pair.i, pair.j], [0, 2]);
});

test('neighbours: the six O of rock salt at 2.1 Å, then twelve Nb at 2.97 Å', () => {
  const n = neighbours(rockSaltNbO, 0, 3.0);
  assert.equal(n.length, 18);
  assert.equal(n.filter((x) => x.index === 1).length, 6);
  for (const x of n.slice(0, 6)) assert.ok(Math.abs(x.distance - 2.1) < 1e-12);
  for (const x of n.slice(6)) {
    assert.equal(x.index, 0);
    assert.ok(Math.abs(x.distance - 2.1 * Math.SQRT2) < 1e-12);
    assert.ok(Math.abs(norm(x.cart) - x.distance) < 1e-12, 'cart is the image position');
  }
  assert.throws(() => neighbours(rockSaltNbO, 5, 3), /site 5 does not exist/);
});

test('density of rock-salt NbO in g/cm³', () => {
  const mass = 92.90638 + 15.9994;
  const expected = (mass * 1.6605390666) / volume(rockSaltNbO.lattice);
  assert.ok(Math.abs(density(rockSaltNbO) - expected) < 1e-3, `got ${density(rockSaltNbO)}`);
  assert.ok(density(rockSaltNbO) > 9 && density(rockSaltNbO) < 10.5);
});

test('composition helpers: counts, reduced ratio, pymatgen-style formula', () => {
  const s: Structure = { lattice: [[5, 0, 0], [0, 5, 0], [0, 0, 5]], sites: [site('O', [0, 0, 0]), site('Nb', [0.5, 0, 0]), site('O', [0, 0.5, 0]), site('Nb', [0, 0, 0.5]), site('O', [0.5, 0.5, 0]), site('O', [0.5, 0.5, 0.5])] };
  assert.deepEqual(composition(s), { O: 4, Nb: 2 });
  assert.deepEqual(reducedComposition(composition(s)), { O: 2, Nb: 1 });
  assert.equal(reducedFormula(s), 'NbO2');
  assert.equal(formulaString({ O: 5, Nb: 2 }), 'Nb2O5');
  assert.equal(formulaString({ Ca: 1, Ti: 1, O: 3 }), 'CaTiO3');
  assert.equal(elementCount(s), 2);
});

test('LLL reduction keeps the lattice (unimodular transform, same volume) and shortens vectors', () => {
  const cube: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];
  const skew: Mat3 = matMul([[1, 0, 0], [5, 1, 0], [3, 4, 1]], cube);
  const { lattice, transform } = lllReduce(skew);
  assert.ok(Math.abs(volume(lattice) - 8) < 1e-9);
  for (const row of lattice) assert.ok(Math.abs(norm(row) - 2) < 1e-9);
  const back = matMul(transform, skew);
  back.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - lattice[i][j]) < 1e-9)));
});

test('an absurdly flat cell still returns a finite distance quickly (bounded image search)', () => {
  const s: Structure = { lattice: [[100, 0, 0], [0, 100, 0], [0, 0, 1e-4]], sites: [site('Nb', [0, 0, 0]), site('O', [0.5, 0.5, 0.5])] };
  const d = minPairDistance(s);
  assert.ok(Number.isFinite(d) && d <= 70.8, `got ${d}`);
});
