import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readCsv } from '../src/core/data/csv';
import { resolveDataDir } from '../src/core/data/dataDir';
import {
  countsToMatrix, decodeMatrix, ELEMENTS_85, encodeCountVector, encodeFormulaMatrix, encodeFractions, encodeMatrix, formatComposition, MATRIX_SIZE,
} from '../src/core/features/encoding';

test('the embedded 85-element order matches elements_85.csv in the data directory', () => {
  const file = path.join(resolveDataDir().path, 'composition', 'gan_train_oqmd', 'elements_85.csv');
  const rows = readCsv(file).records.map((r) => [Number(r.values.index), r.values.element.trim()] as const);
  assert.equal(rows.length, 85);
  rows.forEach(([index, element], i) => {
    assert.equal(index, i, `row ${i} index`);
    assert.equal(ELEMENTS_85[i], element, `row ${i} element`);
  });
  for (const absent of ['He', 'Ne', 'Ar', 'Kr', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Am']) assert.ok(!ELEMENTS_85.includes(absent), absent);
});

test('counts 1–8 as written become one-hot cells X[e, n-1]', () => {
  const r = encodeFormulaMatrix('Fe4O6');
  assert.ok(r.ok);
  const fe = ELEMENTS_85.indexOf('Fe');
  const o = ELEMENTS_85.indexOf('O');
  assert.equal(r.value.length, MATRIX_SIZE);
  assert.equal(r.value[fe * 8 + 3], 1);
  assert.equal(r.value[o * 8 + 5], 1);
  assert.equal(r.value.reduce((s, v) => s + v, 0), 2);
  const reduced = encodeFormulaMatrix('Fe2O3');
  assert.ok(reduced.ok);
  assert.notDeepEqual(reduced.value, r.value, 'amounts are not reduced');
});

test('counts above 8, fractional counts and unknown elements are refused with a reason', () => {
  assert.deepEqual(encodeMatrix({ Fe: 9, O: 1 }), { ok: false, reason: 'count 9 of Fe exceeds 8, the largest count the matrix holds' });
  const frac = encodeFormulaMatrix('Ba0.4K0.6Fe2As2');
  assert.ok(!frac.ok && /0\.4 of Ba is not an integer/.test(frac.reason));
  const kr = encodeCountVector({ Kr: 1, F: 2 });
  assert.ok(!kr.ok && /Kr is outside the 85-element vocabulary/.test(kr.reason));
  const bad = encodeFormulaMatrix('Fe2O3)');
  assert.ok(!bad.ok && /^column \d+:/.test(bad.reason));
});

test('the fraction encoding handles what the matrix refuses and sums to 1', () => {
  const r = encodeFractions({ Ba: 0.4, K: 0.6, Fe: 2, As: 2 });
  assert.ok(r.ok);
  assert.ok(Math.abs(r.value.reduce((s, v) => s + v, 0) - 1) < 1e-6);
  assert.ok(Math.abs(r.value[ELEMENTS_85.indexOf('Ba')] - 0.08) < 1e-6);
  assert.ok(!encodeFractions({ Cm: 1 }).ok);
});

test('decoding follows MatGAN: threshold 0.2, argmax slot, 2–8 elements', () => {
  const li = ELEMENTS_85.indexOf('Li');
  const fe = ELEMENTS_85.indexOf('Fe');
  const o = ELEMENTS_85.indexOf('O');
  const m = new Float32Array(MATRIX_SIZE).fill(0.05);
  m[li * 8 + 0] = 0.9;
  m[fe * 8 + 0] = 0.3;
  m[fe * 8 + 2] = 0.25; // two cells on: the larger (slot 1 → count 1) wins
  m[o * 8 + 1] = 0.2; // exactly at the threshold: on
  assert.deepEqual(decodeMatrix(m), { Li: 1, Fe: 1, O: 2 });
  assert.equal(formatComposition(decodeMatrix(m)!), 'FeLiO2');
  assert.equal(formatComposition({ O: 1, H: 4, C: 1 }), 'CH4O');
  const single = new Float32Array(MATRIX_SIZE);
  single[li * 8] = 1;
  assert.equal(decodeMatrix(single), undefined, 'one element is not kept');
  const counts = encodeCountVector({ Li: 1, Fe: 1, O: 2 });
  assert.ok(counts.ok);
  assert.deepEqual(decodeMatrix(countsToMatrix(counts.value)), { Li: 1, Fe: 1, O: 2 });
});
