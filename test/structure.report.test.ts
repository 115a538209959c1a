import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latticeFromParameters } from '../src/core/structure/lattice';
import { compositionBreakdown } from '../src/core/structure/report';
import type { Structure } from '../src/core/structure/types';

function cubic(a: number, elements: string[]): Structure {
  const lattice = latticeFromParameters({ a, b: a, c: a, alpha: 90, beta: 90, gamma: 90 });
  return { lattice, sites: elements.map((element, i) => ({ frac: [i / elements.length, 0.5, 0.5], species: [{ element, occupancy: 1 }] })) };
}

test('the composition breakdown counts samples and unique ones per formula and cell size, with volumes per atom', () => {
  const structures = [cubic(2, ['Nb', 'O']), cubic(3, ['Nb', 'O']), cubic(4, ['Nb', 'O']), cubic(2, ['Nb', 'Nb', 'O', 'O']), cubic(3, ['Nb', 'O', 'O'])];
  const evaluation = [
    { formula: 'NbO', unique: true },
    { formula: 'NbO', unique: false },
    { formula: 'NbO', unique: true },
    { formula: 'NbO', unique: true },
    { formula: 'NbO2', unique: true },
  ];
  const reference = [cubic(2.5, ['Nb', 'O']), cubic(2.6, ['Nb', 'O']), cubic(2.7, ['Nb', 'O'])];
  const rows = compositionBreakdown(structures, evaluation, reference);
  assert.deepEqual(rows.map((r) => [r.key, r.samples, r.unique]), [['NbO (2 atoms)', 3, 2], ['NbO (4 atoms)', 1, 1], ['NbO2 (3 atoms)', 1, 1]]);
  assert.deepEqual(rows[0].volumePerAtom, [8.75, 13.5, 22.75]);
  assert.ok(Math.abs(rows[0].referenceVolumePerAtom - 2.6 ** 3 / 2) < 1e-9, 'the middle reference cell');
  assert.ok(Number.isNaN(rows[2].referenceVolumePerAtom), 'no reference NbO2');
});
