// The typed first-occurrence table behind the duplicate-label check must answer as a Map would,
// through its growth (start small, add thousands of labels with repeats and hash collisions).
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { FirstOccurrences } from '../src/core/cif/labelIndex';

test('FirstOccurrences returns the first row of every repeated label, like a Map', () => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[A-Z][a-z]?\d{0,3}$/), { maxLength: 3000 }), fc.nat({ max: 50 }), (labels, expected) => {
      const table = new FirstOccurrences(expected);
      const map = new Map<string, number>();
      labels.forEach((label, row) => {
        const first = map.get(label);
        if (first === undefined) map.set(label, row);
        assert.equal(table.firstOrAdd(label, row), first, `label ${label} at row ${row}`);
      });
    }),
    { numRuns: 60, seed: 3 },
  );
});
