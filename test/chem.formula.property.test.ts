// Property checks with fast-check: the parser never throws, every rejection points inside the
// input (or just past it), and formatFormula → parseFormula round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFormula, roundAmount } from '../src/core/chem/formula';
import { formatFormula } from '../src/core/chem/composition';
import { ELEMENTS } from '../src/core/chem/elements';
import { fuzzFormula } from '../fuzz/formula';

const formulaAlphabet = fc.constantFrom(
  ...'FeOCaPKNHClSiTDxy0123456789.()[]·*^+- ,@₂³⁺⁻δ\'"!='.split(''), 'Fe', 'O2', '(SO4)', '5H2O', 'I', 'V',
);

test('the parser never throws and every rejection has 1 ≤ column ≤ length + 1', () => {
  const contexts = ['free-text', 'cif-sum', 'cif-moiety', 'cif-type'] as const;
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.array(formulaAlphabet, { maxLength: 20 }).map((a) => a.join(''))), fc.constantFrom(...contexts), (s, context) => {
      const r = parseFormula(s, { context });
      if (!r.ok) {
        assert.ok(r.column >= 1 && r.column <= s.length + 1, `${JSON.stringify(s)} → column ${r.column}`);
        assert.ok(r.error.length > 0);
      } else {
        assert.ok(Object.values(r.elements).every((n) => n > 0 && Number.isFinite(n)));
      }
    }),
    { numRuns: 3000, seed: 42 },
  );
});

test('formatFormula → parseFormula round-trips random compositions', () => {
  const symbols = ELEMENTS.map((e) => e.symbol).filter((s) => s !== 'D' && s !== 'T');
  const amount = fc.oneof(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.001, max: 100, noNaN: true }).map(roundAmount));
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...symbols), amount, { minKeys: 1, maxKeys: 8 }), (comp) => {
      const r = parseFormula(formatFormula(comp));
      assert.ok(r.ok, formatFormula(comp));
      assert.deepEqual(r.elements, { ...comp });
    }),
    { numRuns: 2000, seed: 7 },
  );
});

test('a short mutation-fuzzing run (fuzz/formula.ts) finds no failure', () => {
  const summary = fuzzFormula(300, 11, ['Fe2O3', 'Ca3(PO4)2', 'CuSO4·5H2O', "'C12 H10 N2 O'", 'YBa2Cu3O7-x', 'Ga1Sr2Ca3Cu4O11.']);
  assert.equal(summary.accepted + summary.rejected, 300);
  assert.ok(summary.rejected > 0 && summary.accepted > 0, 'mutations produce both valid and invalid inputs');
});
