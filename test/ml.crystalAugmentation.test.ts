import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNbo } from '../src/core/data/structureDatasets';
import { determinant, parametersFromLattice } from '../src/core/structure/lattice';
import { structuresMatch } from '../src/core/structure/matcher';
import { minPairDistance } from '../src/core/structure/distances';
import { augment, permuteAtoms, rightHandedNiggli, rotateAxes, seededRandom, shiftOrigin } from '../src/ml/crystalGan/augmentation';
import { sharedData } from './helpers/cli';

// Every 6th Nb–O structure without broken contacts: all compositions and cell sizes, in seconds.
const sample = loadNbo(sharedData)
  .structures.filter((s, i) => i % 6 === 0 && minPairDistance(s.structure) >= 0.5)
  .map((s) => s.structure);

test('the sample covers several compositions and cell sizes', () => {
  assert.ok(sample.length >= 40);
  assert.ok(new Set(sample.map((s) => s.sites.length)).size >= 6);
});

test('origin shifts, atom permutations and cyclic axis relabelling keep the crystal (matcher, unscaled)', () => {
  const random = seededRandom(11);
  for (const [i, s] of sample.entries()) {
    const variants = {
      shift: shiftOrigin(s, [0.37, 0.81, 0.05]),
      permutation: permuteAtoms(s, [...s.sites.keys()].reverse()),
      axes: rotateAxes(s, 1),
      axesTwice: rotateAxes(s, 2),
      random: augment(s, random),
    };
    for (const [name, v] of Object.entries(variants)) assert.ok(structuresMatch(s, v, { scale: false }), `structure ${i}: ${name}`);
  }
});

test('augmented coordinates stay wrapped in [0, 1)', () => {
  const random = seededRandom(3);
  for (const s of sample) {
    for (const site of augment(s, random).sites) for (const x of site.frac) assert.ok(x >= 0 && x < 1, String(x));
  }
});

test('a cyclic relabelling moves lengths and opposite angles together', () => {
  const s = sample.find((x) => {
    const p = parametersFromLattice(x.lattice);
    return Math.abs(p.a - p.b) > 0.1 && Math.abs(p.b - p.c) > 0.1;
  });
  assert.ok(s);
  const p = parametersFromLattice(s.lattice);
  const q = parametersFromLattice(rotateAxes(s, 1).lattice);
  assert.ok(Math.abs(q.a - p.b) < 1e-9 && Math.abs(q.b - p.c) < 1e-9 && Math.abs(q.c - p.a) < 1e-9);
  assert.ok(Math.abs(q.alpha - p.beta) < 1e-9 && Math.abs(q.beta - p.gamma) < 1e-9 && Math.abs(q.gamma - p.alpha) < 1e-9);
});

test('the Niggli cell is the same crystal, right-handed, with angles in [60°, 120°]', () => {
  for (const [i, s] of sample.entries()) {
    const r = rightHandedNiggli(s);
    assert.ok(determinant(r.lattice) > 0, `structure ${i}`);
    const p = parametersFromLattice(r.lattice);
    for (const angle of [p.alpha, p.beta, p.gamma]) assert.ok(angle > 60 - 1e-6 && angle < 120 + 1e-6, `structure ${i}: ${angle}`);
    assert.ok(structuresMatch(s, r, { scale: false }), `structure ${i}`);
  }
});
