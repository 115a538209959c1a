import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedData } from './helpers/cli';
import {
  foldSplit, groupSplit, loadCompositionCsv, loadDataset, randomSplit, SKIP_REASONS,
} from '../src/core/data/compositionDatasets';
import { summariseSkipped } from '../src/core/data/csv';
import { compositionKey, parseComposition } from '../src/core/features/parse';

function dirtyCsv(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-datasets-'));
  const file = path.join(dir, 'dirty.csv');
  fs.writeFileSync(file, [
    'formula,target',
    'Fe2O3,2.1', // line 2 ok
    'Xx2O3,1.0', // line 3 unknown symbol
    'Fe2(O3,1.0', // line 4 malformed
    'NaCl,abc', // line 5 non-numeric target
    'Fe2O3,2.3', // line 6 duplicate of line 2
    'KrF2,3.0', // line 7 outside the 85-element vocabulary
    ',1.0', // line 8 missing formula
    'Fe4O6,2.5', // line 9 same reduced composition as Fe2O3, different string: kept
    'NaCl,5.0', // line 10 ok (line 5 was skipped, so not a duplicate)
    '',
  ].join('\n'));
  return file;
}

const vocabulary = new Set(['Fe', 'O', 'Na', 'Cl']);

test('dirty rows are skipped with file, line and reason, and counted', () => {
  const file = dirtyCsv();
  const ds = loadCompositionCsv(file, { targetColumn: 'target', elements: vocabulary });
  assert.deepEqual(ds.records.map((r) => [r.formula, r.line, r.target]), [['Fe2O3', 2, 2.1], ['Fe4O6', 9, 2.5], ['NaCl', 10, 5]]);
  assert.deepEqual(ds.skipped.map((s) => [s.line, s.reason]), [
    [3, SKIP_REASONS.unknownElement],
    [4, SKIP_REASONS.malformed],
    [5, SKIP_REASONS.badTarget],
    [6, SKIP_REASONS.duplicate],
    [7, SKIP_REASONS.outsideVocabulary],
    [8, SKIP_REASONS.missingFormula],
  ]);
  assert.ok(ds.skipped.every((s) => s.file === file));
  assert.match(ds.skipped[3].value ?? '', /first on line 2/);
  assert.match(ds.skipped[0].value ?? '', /Xx/);
  assert.equal(summariseSkipped(ds.skipped).reduce((s, r) => s + r.count, 0), 6);
  assert.deepEqual(ds.records[0].composition, { symbols: ['Fe', 'O'], amounts: [2, 3] });
});

test("duplicates: 'mean' averages the targets of a repeated formula, 'keep' keeps every row", () => {
  const file = dirtyCsv();
  const mean = loadCompositionCsv(file, { targetColumn: 'target', duplicates: 'mean' });
  assert.ok(Math.abs(mean.records.find((r) => r.formula === 'Fe2O3')!.target - 2.2) < 1e-12);
  const keep = loadCompositionCsv(file, { targetColumn: 'target', duplicates: 'keep' });
  assert.equal(keep.records.filter((r) => r.formula === 'Fe2O3').length, 2);
});

test('a missing target column is an error that names the file and the columns', () => {
  assert.throws(() => loadCompositionCsv(dirtyCsv(), { targetColumn: 'gap' }), /no column 'gap'.*formula, target/);
});

test('random splits are seeded, disjoint and complete', () => {
  const [a, b] = randomSplit(100, [0.8, 0.2], 7);
  assert.equal(a.length, 80);
  assert.equal(b.length, 20);
  assert.equal(new Set([...a, ...b]).size, 100);
  assert.deepEqual(randomSplit(100, [0.8, 0.2], 7)[1], b);
  assert.notDeepEqual(randomSplit(100, [0.8, 0.2], 8)[1], b);
});

test('group split by reduced composition keeps Fe2O3 and Fe4O6 on the same side', () => {
  const formulas = ['Fe2O3', 'Fe4O6', 'NaCl', 'Na2Cl2', 'KBr', 'MgO', 'CaO', 'SrO', 'BaO', 'ZnO', 'CdS', 'GaAs'];
  const keys = formulas.map((f) => {
    const parsed = parseComposition(f);
    assert.ok(parsed.ok);
    return compositionKey(parsed.composition);
  });
  for (let seed = 0; seed < 10; seed++) {
    const [train, test] = groupSplit(keys, [0.75, 0.25], seed);
    assert.equal(train.length + test.length, formulas.length);
    const side = (i: number) => (test.includes(i) ? 'test' : 'train');
    assert.equal(side(0), side(1));
    assert.equal(side(2), side(3));
  }
});

test('real data: expt_gap_matbench loads all 4,604 rows with folds 0-4', () => {
  const ds = loadDataset('expt_gap_matbench', 'all', { dataDir: sharedData });
  assert.equal(ds.records.length, 4604);
  assert.equal(ds.skipped.length, 0);
  const { train, test } = foldSplit(ds.records, 0);
  assert.equal(train.length + test.length, 4604);
  assert.ok(test.length === 921 || test.length === 920, `fold 0 has ${test.length} rows`);
});

test('real data: hu2020_supercon_tc keeps fractional (doping) formulas', () => {
  const ds = loadDataset('hu2020_supercon_tc', 'all', { dataDir: sharedData });
  assert.equal(ds.records.length + ds.skipped.length, 11470);
  assert.ok(ds.records.some((r) => r.composition.amounts.some((a) => !Number.isInteger(a))));
});
