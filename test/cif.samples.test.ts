// Golden-file test: every shared sample CIF read by our reader matches its reviewed summary in
// test/fixtures/cif/expected (blocks, full-cell composition, cell, volume, site count, space group,
// diagnostic codes and positions). Regenerate with test/fixtures/cif/generate-expected.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../src/core/data/dataDir';
import { goldenSummary, type GoldenBlock } from './fixtures/cif/golden';

const samples = path.join(resolveDataDir().path, 'cif-samples');
const expectedDir = path.join(__dirname, 'fixtures', 'cif', 'expected');
const files = fs.readdirSync(samples).filter((f) => f.endsWith('.cif')).sort();

test('there is one golden summary per sample CIF', () => {
  assert.ok(files.length >= 20, `found ${files.length} samples`);
  assert.deepEqual(fs.readdirSync(expectedDir).sort(), files.map((f) => f.replace(/\.cif$/, '.json')));
});

for (const file of files) {
  test(`golden: ${file}`, () => {
    const actual = goldenSummary(file, fs.readFileSync(path.join(samples, file), 'utf8'));
    const expected = JSON.parse(fs.readFileSync(path.join(expectedDir, file.replace(/\.cif$/, '.json')), 'utf8')) as GoldenBlock[];
    assert.equal(actual.length, expected.length, 'block count');
    actual.forEach((block, i) => {
      const want = expected[i];
      assert.equal(block.block, want.block);
      assert.equal(block.sites, want.sites, `${block.block}: sites`);
      assert.deepEqual(Object.keys(block.elements).sort(), Object.keys(want.elements).sort());
      for (const [el, n] of Object.entries(want.elements)) assert.ok(Math.abs(block.elements[el] - n) < 1e-6, `${el}: ${block.elements[el]} vs ${n}`);
      assert.deepEqual(block.cell, want.cell);
      assert.ok(block.volume === want.volume || Math.abs((block.volume ?? 0) - (want.volume ?? 0)) < 1e-6);
      assert.equal(block.spaceGroup, want.spaceGroup);
      assert.deepEqual(block.diagnostics, want.diagnostics);
    });
  });
}

test('no sample has an error diagnostic (all 20 are valid CIF 1.1 structures)', () => {
  for (const file of files) {
    const blocks = goldenSummary(file, fs.readFileSync(path.join(samples, file), 'utf8'));
    for (const b of blocks) assert.ok(!b.diagnostics.some((d) => d.startsWith('error')), `${file} ${b.block}: ${b.diagnostics.join(', ')}`);
  }
});
