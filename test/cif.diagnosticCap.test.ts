// The per-code cap of the structure checks (readCif's maxDiagnosticsPerCode): the first N diagnostics
// of a per-row code in a data block keep their ranges, the rest become one counted summary of the
// same code and severity on the atom-site loop; Infinity gives every one, as before the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIAGNOSTICS_PER_CODE, readCif, type CifDiagnostic, type CifReading } from '../src/core/cif/index';
import { analyzeCif } from '../src/extension/language/cifWorkerAnalysis';
import { IncrementalCifAnalyzer } from '../src/extension/language/cifIncremental';
import { CELL, OVERFULL, overfullBlock, SITES } from './fixtures/cif/overfull';

const ofCode = (reading: CifReading, code: string): CifDiagnostic[] => reading.diagnostics.filter((d) => d.code === code);
const loopLine = (text: string, from = 0): number => text.slice(0, text.indexOf('loop_', from)).split('\n').length - 1;

test(`2,000 over-full sites: the first ${DIAGNOSTICS_PER_CODE} with their ranges, then one summary counting the other 1,800`, () => {
  const text = overfullBlock('many', 2000);
  const capped = readCif(text);
  const all = readCif(text, { maxDiagnosticsPerCode: Infinity });
  const cappedOverfull = ofCode(capped, OVERFULL);
  const allOverfull = ofCode(all, OVERFULL);
  assert.equal(allOverfull.length, 2000);
  assert.ok(allOverfull.every((d) => d.suppressed === undefined));
  assert.equal(cappedOverfull.length, DIAGNOSTICS_PER_CODE + 1);
  const summary = cappedOverfull.filter((d) => d.suppressed !== undefined);
  assert.equal(summary.length, 1);
  assert.equal(summary[0].suppressed, 1800);
  assert.equal(summary[0].severity, 'warning');
  assert.match(summary[0].message, /… and 1,800 more sites whose occupancies sum over 1 at a shared position \(the first 200 are shown, 2,000 in all\): fix the first ones/);
  // On the atom-site loop's `loop_`, so it sorts first; the rest are the uncapped read's first 200.
  assert.deepEqual(summary[0].range, { start: { line: loopLine(text), character: 0 }, end: { line: loopLine(text), character: 5 } });
  assert.equal(cappedOverfull[0], summary[0]);
  assert.deepEqual(cappedOverfull.slice(1), allOverfull.slice(0, DIAGNOSTICS_PER_CODE));
  // The structure does not depend on the cap.
  assert.deepEqual(capped.blocks[0].structure, all.blocks[0].structure);
  assert.equal(capped.blocks[0].structure?.sites.length, 2000);
});

test('the cap is per data block, and 0 leaves only the summaries', () => {
  const first = overfullBlock('one', 300);
  const text = `${first}${overfullBlock('two', 250)}`;
  const reading = readCif(text);
  const summaries = ofCode(reading, OVERFULL).filter((d) => d.suppressed !== undefined);
  assert.deepEqual(summaries.map((d) => d.suppressed), [100, 50]);
  assert.deepEqual(summaries.map((d) => d.range.start.line), [loopLine(text), loopLine(text, first.length)]);
  assert.equal(ofCode(reading, OVERFULL).length, 2 * (DIAGNOSTICS_PER_CODE + 1));
  const none = ofCode(readCif(text, { maxDiagnosticsPerCode: 0 }), OVERFULL);
  assert.deepEqual(none.map((d) => d.suppressed), [300, 250]);
});

test('every per-row code is capped with its own severity; other diagnostics are untouched', () => {
  const rows = [
    ...Array.from({ length: 5 }, (_, i) => `Na1 Na 0.0${i} 0.5 0.5 0.5`), // duplicate-label × 4
    ...Array.from({ length: 4 }, (_, i) => `Bo${i} Na 0.1${i} 0.1 0.1 abc`), // bad-occupancy × 4
    ...Array.from({ length: 3 }, (_, i) => `Hi${i} Na 0.2${i} 0.2 0.2 1.5`), // occupancy-above-one × 3
    ...Array.from({ length: 3 }, (_, i) => `Qu${i} Na 0.3${i} ? 0.3 1`), // coordinate-missing × 3
    ...Array.from({ length: 3 }, (_, i) => `Xx${i} Xx 0.4${i} 0.4 0.4 1`), // bad-type-symbol × 3
  ];
  const text = `data_mixed\n${CELL}${SITES}${rows.join('\n')}\n`;
  const capped = readCif(text, { maxDiagnosticsPerCode: 2 });
  const all = readCif(text, { maxDiagnosticsPerCode: Infinity });
  const expected: [string, CifDiagnostic['severity'], number][] = [
    ['duplicate-label', 'warning', 4],
    ['bad-occupancy', 'error', 4],
    ['occupancy-above-one', 'warning', 3],
    ['coordinate-missing', 'error', 3],
    ['bad-type-symbol', 'warning', 3],
  ];
  for (const [code, severity, count] of expected) {
    assert.equal(ofCode(all, code).length, count, code);
    const kept = ofCode(capped, code);
    assert.equal(kept.length, 3, code);
    assert.ok(kept.every((d) => d.severity === severity), code);
    assert.equal(kept[0].suppressed, count - 2, code);
    assert.deepEqual(kept.slice(1), ofCode(all, code).slice(0, 2), code);
  }
  const uncapped = (r: CifReading): CifDiagnostic[] => r.diagnostics.filter((d) => !expected.some(([code]) => code === d.code));
  assert.deepEqual(uncapped(capped), uncapped(all));
  assert.deepEqual(capped.blocks[0].structure, all.blocks[0].structure);
  // Below the cap nothing changes at all.
  assert.deepEqual(readCif(text, { maxDiagnosticsPerCode: 4 }).diagnostics, all.diagnostics);
});

test('the editor: an edit re-read incrementally shows the same capped diagnostics and counts as a full read', () => {
  const text = `${overfullBlock('a', 260)}${overfullBlock('b', 230)}`;
  const analyzer = new IncrementalCifAnalyzer({ fileName: 'cap.cif', unknownTags: true });
  analyzer.analyze(text, 1);
  const at = text.indexOf('O5 O');
  const edited = `${text.slice(0, at)}O5x${text.slice(at + 2)}`;
  const incremental = analyzer.analyze(edited, 2);
  const { analysis: full } = analyzeCif(edited, { fileName: 'cap.cif', unknownTags: true, version: 2 });
  assert.deepEqual(incremental.diagnostics, full.diagnostics);
  assert.deepEqual(incremental.counts, full.counts);
  assert.deepEqual(full.diagnostics.filter((d) => d.suppressed !== undefined).map((d) => d.suppressed), [60, 30]);
});

test('the editor counts every problem, also the ones a capped summary stands for', () => {
  const { analysis } = analyzeCif(overfullBlock('counted', 2000), { fileName: 'count.cif', unknownTags: true, version: 1 });
  const uncapped = readCif(overfullBlock('counted', 2000), { maxDiagnosticsPerCode: Infinity });
  const warnings = uncapped.diagnostics.filter((d) => d.severity === 'warning').length;
  assert.equal(analysis.counts.warning, warnings);
  assert.ok(analysis.counts.warning >= 2000);
});
