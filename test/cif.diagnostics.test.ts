// One broken CIF per row of the diagnostics table (docs/cif-and-formulas.md §3), each asserting the
// code, severity and exact 0-based range the editor will underline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readCif, type CifDiagnostic } from '../src/core/cif/index';

const dir = path.join(__dirname, 'fixtures', 'cif', 'broken');

function diagnosticsOf(file: string): CifDiagnostic[] {
  return readCif(fs.readFileSync(path.join(dir, file), 'utf8'), { fileName: file }).diagnostics;
}

type Range = [number, number, number, number];
const cases: { file: string; code: string; severity: CifDiagnostic['severity']; range: Range; fix?: string }[] = [
  { file: 'loop-value-count.cif', code: 'loop-value-count', severity: 'error', range: [13, 0, 13, 11] },
  { file: 'unterminated-text-field.cif', code: 'unterminated-text-field', severity: 'error', range: [2, 0, 2, 1] },
  { file: 'unterminated-quote.cif', code: 'unterminated-quote', severity: 'error', range: [1, 22, 1, 38] },
  { file: 'reserved-word-value.cif', code: 'reserved-word-value', severity: 'error', range: [1, 22, 1, 27], fix: "'loop_'" },
  { file: 'duplicate-tag.cif', code: 'duplicate-tag', severity: 'error', range: [2, 0, 2, 14] },
  { file: 'duplicate-block.cif', code: 'duplicate-block', severity: 'error', range: [2, 0, 2, 8] },
  { file: 'non-ascii.cif', code: 'non-ascii', severity: 'warning', range: [1, 20, 1, 21] },
  { file: 'line-too-long.cif', code: 'line-too-long', severity: 'warning', range: [1, 2048, 1, 2122] },
  { file: 'name-too-long.cif', code: 'name-too-long', severity: 'warning', range: [1, 0, 1, 81] },
  { file: 'save-frame.cif', code: 'save-frame', severity: 'warning', range: [1, 0, 1, 11] },
  { file: 'unknown-tag.cif', code: 'unknown-tag', severity: 'info', range: [1, 0, 1, 14], fix: '_cell_length_a' },
  { file: 'missing-cell.cif', code: 'missing-cell', severity: 'error', range: [0, 0, 0, 11] },
  { file: 'symops-expanded.cif', code: 'symops-expanded', severity: 'info', range: [7, 31, 7, 41] },
  { file: 'symops-disagree.cif', code: 'symops-disagree', severity: 'error', range: [12, 0, 12, 32] },
  { file: 'duplicate-label.cif', code: 'duplicate-label', severity: 'warning', range: [13, 0, 13, 3] },
  { file: 'bad-type-symbol.cif', code: 'bad-type-symbol', severity: 'warning', range: [13, 3, 13, 5] },
  { file: 'occupancy-above-one.cif', code: 'occupancy-above-one', severity: 'warning', range: [13, 10, 13, 13] },
  { file: 'occupancy-sum-above-one.cif', code: 'occupancy-sum-above-one', severity: 'warning', range: [15, 13, 15, 16] },
  { file: 'coordinate-missing.cif', code: 'coordinate-missing', severity: 'error', range: [12, 6, 12, 7] },
  { file: 'formula-mismatch.cif', code: 'formula-mismatch', severity: 'info', range: [7, 22, 7, 31] },
  { file: 'su-unclosed.cif', code: 'su-unclosed', severity: 'warning', range: [1, 15, 1, 20], fix: ')' },
  { file: 'legacy-spelling.cif', code: 'legacy-spelling', severity: 'info', range: [2, 0, 2, 14], fix: '_cell.length_b' },
  { file: 'cif2-unsupported.cif', code: 'cif2-unsupported', severity: 'error', range: [0, 0, 0, 10] },
];

test('every broken fixture is covered by a case', () => {
  assert.deepEqual(fs.readdirSync(dir).sort(), cases.map((c) => c.file).sort());
});

for (const c of cases) {
  test(`${c.file}: ${c.severity} ${c.code} at the exact range`, () => {
    const found = diagnosticsOf(c.file).filter((d) => d.code === c.code);
    assert.ok(found.length >= 1, `no ${c.code} in ${JSON.stringify(diagnosticsOf(c.file).map((d) => d.code))}`);
    const d = found[0];
    assert.equal(d.severity, c.severity);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], c.range);
    assert.ok(d.message.length > 20, 'the message says what to do');
    if (c.fix) assert.equal(d.fix?.replacement, c.fix);
  });
}

test('each broken fixture raises only its own error (no cascade of unrelated errors)', () => {
  for (const c of cases) {
    const errors = diagnosticsOf(c.file).filter((d) => d.severity === 'error' && d.code !== c.code);
    assert.deepEqual(errors.map((d) => d.code), [], c.file);
  }
});

test('both . and ? in coordinates are reported, each on its own value', () => {
  const found = diagnosticsOf('coordinate-missing.cif').filter((d) => d.code === 'coordinate-missing');
  assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character]), [[12, 6], [13, 12]]);
  assert.match(found[0].message, /'\?'/);
  assert.match(found[1].message, /'\.'/);
});

test('unknown-tag info can be turned off', () => {
  const text = fs.readFileSync(path.join(dir, 'unknown-tag.cif'), 'utf8');
  assert.equal(readCif(text, { unknownTags: false }).diagnostics.filter((d) => d.code === 'unknown-tag').length, 0);
});

test('save frames are fine in a .dic dictionary', () => {
  const text = fs.readFileSync(path.join(dir, 'save-frame.cif'), 'utf8');
  assert.equal(readCif(text, { fileName: 'core.dic' }).diagnostics.filter((d) => d.code === 'save-frame').length, 0);
});
