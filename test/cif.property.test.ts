// Property tests (fast-check): the CIF core never throws, on arbitrary text and on mutated sample
// files, and every diagnostic it returns has a valid range inside the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readCif, writeCif, compositionOf } from '../src/core/cif/index';
import { computeLineStarts } from '../src/core/cif/lexer';
import { badRange, fuzzCif, mutate, prng, sampleTexts } from '../fuzz/cif';
import { latticeFromParameters } from '../src/core/structure/lattice';

function assertWellFormed(text: string): void {
  const reading = readCif(text, { fileName: 'prop.cif' });
  const lineStarts = computeLineStarts(text);
  for (const d of reading.diagnostics) assert.equal(badRange(d, lineStarts, text), undefined, JSON.stringify(d));
}

const cifAlphabet = fc.constantFrom(...["data_", "loop_", "save_", "_a", "_cell_length_a", "_atom_site_fract_x", "'", '"', ';', '\n', '\r\n', ' ', '\t', '#', '?', '.', '1.5(3', 'x,y,z', 'é', 'stop_', 'global_', '0.25', 'Ca2+', 'data_b\n']);

test('never throws on arbitrary unicode text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => assertWellFormed(text)), { numRuns: 400 });
});

test('never throws on CIF-shaped token soup', () => {
  fc.assert(fc.property(fc.array(cifAlphabet, { maxLength: 120 }).map((parts) => parts.join(' ')), (text) => assertWellFormed(text)), { numRuns: 400 });
});

test('never throws on mutated sample files', () => {
  const samples = sampleTexts();
  fc.assert(
    fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.integer(), fc.integer({ min: 1, max: 6 }), (index, seed, edits) => {
      const random = prng(seed);
      let text = samples[index];
      for (let i = 0; i < edits; i++) text = mutate(text, random);
      assertWellFormed(text);
    }),
    { numRuns: 150 },
  );
});

test('the fuzzer itself finds no failures in a short seeded run', () => {
  const report = fuzzCif(200, 12345);
  // Time limits are the fuzzer's business (a loaded CI machine is slow); here only correctness counts.
  assert.deepEqual(report.failures.filter((f) => !f.reason.startsWith('took')).map((f) => f.reason), []);
});

test('write → read keeps composition and site count for random ordered and disordered structures', () => {
  const element = fc.constantFrom('Na', 'Cl', 'O', 'Fe', 'Nb', 'Li', 'Ta', 'Cr');
  const site = fc.record({
    // Positions on a 1/20 grid, so distinct sites are never within the merge tolerance of each other.
    frac: fc.tuple(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 19 })).map((t) => t.map((i) => i / 20) as [number, number, number]),
    species: fc.uniqueArray(fc.record({ element, occupancy: fc.double({ min: 0.05, max: 0.45, noNaN: true }) }), { selector: (s) => s.element, minLength: 1, maxLength: 2 }),
  });
  fc.assert(
    fc.property(fc.uniqueArray(site, { minLength: 1, maxLength: 8, selector: (s) => s.frac.join(',') }), (sites) => {
      const structure = { lattice: latticeFromParameters({ a: 9, b: 10, c: 11, alpha: 80, beta: 95, gamma: 100 }), sites };
      const back = readCif(writeCif(structure)).blocks[0].structure;
      assert.ok(back);
      assert.equal(back.sites.length, sites.length);
      const a = compositionOf(structure);
      const b = compositionOf(back);
      for (const el of Object.keys(a)) assert.ok(Math.abs(a[el] - b[el]) < 1e-6, el);
    }),
    { numRuns: 100 },
  );
});
