// Incremental CIF analysis must equal a full re-read after any edits: random edits to multi-block
// files built from the shared samples (duplicate block codes, text fields, data_ lines typed in).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import { applyTextEdits, cifSegmentStarts, type TextEdit } from '../src/core/cif/segments';
import { resolveDataDir } from '../src/core/data/dataDir';
import { IncrementalCifAnalyzer } from '../src/extension/language/cifIncremental';
import { analyzeCif, CIF_LIMITS, type CifAnalysis, type CifLimits } from '../src/extension/language/cifWorkerAnalysis';

const samplesDir = path.join(resolveDataDir({ projectRoot: path.resolve(__dirname, '..') }).path, 'cif-samples');
const samples = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.cif')).sort().map((f) => fs.readFileSync(path.join(samplesDir, f), 'utf8'));

/** Small caps, so merging capped lists across blocks is exercised too. */
const SMALL_LIMITS: CifLimits = { ...CIF_LIMITS, diagnostics: 6, outlineChildren: 3, foldingRegions: 9, tokens: 400 };

const SNIPPETS = ['\n', '\r\n', 'data_', '\ndata_x\n', '\ndata_calcite\n', '\n;\n', ';', "'", ' ', '_cell_length_a ', '_atom_site_label', '0.25', '1.5', '?', '.', 'loop_\n', '#', 'x', '\ndata_\n', 'save_a\n', 'é'];

const editArbitrary = fc.record({
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  remove: fc.nat({ max: 40 }),
  insert: fc.array(fc.constantFrom(...SNIPPETS), { maxLength: 3 }).map((parts) => parts.join('')),
});

function toEdit(text: string, e: { at: number; remove: number; insert: string }): TextEdit {
  const offset = Math.floor(e.at * (text.length + 1));
  return { offset, length: Math.min(e.remove, text.length - offset), text: e.insert };
}

function comparable(analysis: CifAnalysis): object {
  return { ...analysis, tokens: [...analysis.tokens] };
}

function assertSameAsFullRead(analyzer: IncrementalCifAnalyzer, text: string, limits: CifLimits, version: number): void {
  const incremental = analyzer.analyze(text, version);
  const full = analyzeCif(text, { fileName: 'edited.cif', limits, version }).analysis;
  assert.deepEqual(comparable(incremental), comparable(full));
}

test('incremental analysis equals a full re-read after random edits of multi-block files', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat({ max: samples.length - 1 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.array(editArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      (picks, batches, small) => {
        const limits = small ? SMALL_LIMITS : CIF_LIMITS;
        let text = `# generated\n${picks.map((i) => samples[i]).join('\n')}`;
        const analyzer = new IncrementalCifAnalyzer({ fileName: 'edited.cif', limits });
        assertSameAsFullRead(analyzer, text, limits, 1);
        batches.forEach((batch, version) => {
          for (const e of batch) text = applyTextEdits(text, [toEdit(text, e)]);
          assertSameAsFullRead(analyzer, text, limits, version + 2);
        });
      },
    ),
    { numRuns: 120, seed: 6 },
  );
});

test('an edit inside one block re-reads that block only, and hovers answer at absolute positions', () => {
  const blocks = [samples[0], samples[5], samples[9]].map((s, i) => s.replace(/^data_\S*/m, `data_block${i}`));
  let text = blocks.join('\n');
  const analyzer = new IncrementalCifAnalyzer({ fileName: 'three.cif' });
  analyzer.analyze(text, 1);
  const lastBlock = text.lastIndexOf('data_block2');
  const tagAt = text.indexOf('_cell_length_a', lastBlock);
  text = applyTextEdits(text, [{ offset: tagAt - 1, length: 0, text: ' ' }]);
  analyzer.analyze(text, 2);
  assert.equal(analyzer.lastSegmentsRead, 1);
  const before = text.slice(0, tagAt + 1);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const character = tagAt + 1 - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) - 1;
  const hover = analyzer.hover({ line, character: character + 2 });
  assert.ok(hover, 'a hover on _cell_length_a of the last block');
  assert.equal(hover.range.start.line, line);
  assert.match(hover.markdown, /cell/i);
});

test('segments start at data_ lines outside text fields; CIF 2.0 files are one segment', () => {
  const text = '#c\ndata_a\n_x\n;\ndata_not\n;\r\nDATA_b\r_y 1\n';
  assert.deepEqual(cifSegmentStarts(text).map((s) => [s.offset, s.line]), [[0, 0], [3, 1], [27, 6]]);
  assert.equal(cifSegmentStarts('#\\#CIF_2.0\ndata_a\ndata_b\n').length, 1);
});

test('applyTextEdits applies edits in order and rejects one outside the text', () => {
  assert.equal(applyTextEdits('abcdef', [{ offset: 1, length: 2, text: 'X' }, { offset: 0, length: 0, text: '>' }]), '>aXdef');
  assert.throws(() => applyTextEdits('abc', [{ offset: 2, length: 5, text: '' }]), /outside a text of 3 characters/);
});
