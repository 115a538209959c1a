// LoopColumn.numberAt and valueAt read one row without building the column; they must give exactly
// what the built values give (the structure builder relies on it for 100k-row atom-site loops).
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { findItem, parseCif } from '../src/core/cif';
import { LoopColumn } from '../src/core/cif/values';

const numberText = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => String(x)),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 99999999 }), fc.nat({ max: 9 })).map(([i, f, pad]) => `${i}.${'0'.repeat(pad)}${f}`),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 99 })).map(([v, su]) => `${v / 1000}(${su})`),
  fc.constantFrom('.', '?', '+.5', '-0.0', '5.', '.', '1e3', '1.5E-2', '0.1234567890123456', '12345678901234567', 'abc', "'0.25'", '-.75', '+3'),
);

test('numberAt equals the built value\'s number, and valueAt equals the built value, row by row', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(numberText, numberText), { minLength: 1, maxLength: 30 }), (rows) => {
      const text = ['data_n', 'loop_', '_n_a', '_n_b', ...rows.map(([a, b]) => `${a} ${b}`)].join('\n') + '\n';
      const block = parseCif(text).blocks[0];
      for (const name of ['_n_a', '_n_b']) {
        const fresh = findItem(parseCif(text).blocks[0], name);
        const column = findItem(block, name);
        assert.ok(column instanceof LoopColumn && fresh instanceof LoopColumn);
        const read = rows.map((_row, r) => [column.numberAt(r), column.valueAt(r)] as const);
        fresh.values.forEach((value, r) => {
          assert.ok(Object.is(read[r][0], value.number ?? NaN), `${name} row ${r}: numberAt ${read[r][0]} for '${value.text}', built ${value.number}`);
          assert.deepEqual(JSON.parse(JSON.stringify(read[r][1])), JSON.parse(JSON.stringify(value)));
        });
      }
    }),
    { numRuns: 400, seed: 61 },
  );
});
