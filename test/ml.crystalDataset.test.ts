import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { filterTrainingStructures, loadCrystalTrainingSet } from '../src/ml/crystalGan/dataset';
import { sameCrystal } from '../src/ml/crystalGan/evaluate';
import { latticeFromParameters } from '../src/core/structure/lattice';
import type { LabelledStructure } from '../src/core/data/structureDatasets';
import type { Structure } from '../src/core/structure/types';
import { sharedData } from './helpers/cli';

function rocksalt(a: number, shift = 0): Structure {
  const lattice = latticeFromParameters({ a, b: a, c: a, alpha: 90, beta: 90, gamma: 90 });
  const site = (element: string, frac: [number, number, number]) => ({ frac: frac.map((x) => (x + shift) % 1) as [number, number, number], species: [{ element, occupancy: 1 }] });
  return { lattice, sites: [site('Nb', [0, 0, 0]), site('Nb', [0.5, 0.5, 0]), site('Nb', [0.5, 0, 0.5]), site('Nb', [0, 0.5, 0.5]), site('O', [0.5, 0, 0]), site('O', [0, 0.5, 0]), site('O', [0, 0, 0.5]), site('O', [0.5, 0.5, 0.5])] };
}

function cscl(a: number): Structure {
  const lattice = latticeFromParameters({ a, b: a, c: a, alpha: 90, beta: 90, gamma: 90 });
  return { lattice, sites: [{ frac: [0, 0, 0], species: [{ element: 'Nb', occupancy: 1 }] }, { frac: [0.5, 0.5, 0.5], species: [{ element: 'O', occupancy: 1 }] }] };
}

const items: LabelledStructure[] = [rocksalt(4.2), cscl(2.6), rocksalt(4.4, 0.13), cscl(2.7), rocksalt(4.3)].map((structure, i) => ({ id: `s${i}`, file: `f${i}.vasp`, structure }));

test('the fast matcher deduplication keeps the same structures as the pairwise sameCrystal path and names the twin', () => {
  const fast = filterTrainingStructures(items, { dedupe: true });
  const slow = filterTrainingStructures(items, { sameCrystal });
  assert.deepEqual(fast.kept.map((k) => k.id), ['s0', 's1']);
  assert.deepEqual(slow.kept.map((k) => k.id), fast.kept.map((k) => k.id));
  assert.deepEqual(fast.skipped.map((s) => s.value), ['s2 = s0', 's3 = s1', 's4 = s0']);
});

test('the Nb–O training set with at most 12 atoms: 42 distinct structures', { skip: !fs.existsSync(path.join(sharedData, 'nbo')) && 'no shared data' }, () => {
  const set = loadCrystalTrainingSet('nbo', sharedData, { maxAtoms: 12, dedupe: true });
  assert.equal(set.structures.length, 42);
});
