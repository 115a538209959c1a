// The host's log of content changes for the CIF worker: steps only after the worker has answered,
// one per version up to the one asked for, none across a gap, dropped when too large.
import assert from 'node:assert/strict';
import test from 'node:test';
import { EditLog } from '../src/extension/language/cifEditLog';

const typed = (text: string) => [{ offset: 0, length: 0, text }];

test('nothing is logged before the worker has answered for the document', () => {
  const log = new EditLog();
  log.record('a', 2, typed('x'));
  assert.equal(log.stepsTo('a', 2), undefined);
});

test('steps run from the version the worker holds to the version asked for', () => {
  const log = new EditLog();
  log.confirm('a', 1);
  for (let v = 2; v <= 4; v++) log.record('a', v, typed(String(v)));
  assert.deepEqual(log.stepsTo('a', 3)?.map((s) => s.version), [2, 3]);
  assert.deepEqual(log.stepsTo('a', 4)?.map((s) => s.edits[0].text), ['2', '3', '4']);
  log.confirm('a', 3);
  assert.deepEqual(log.stepsTo('a', 4)?.map((s) => s.version), [4]);
  assert.equal(log.stepsTo('a', 3), undefined, 'the worker already holds version 3');
  assert.equal(log.stepsTo('b', 2), undefined, 'another document');
});

test('a missing version means the text must be sent instead', () => {
  const log = new EditLog();
  log.confirm('a', 1);
  log.record('a', 2, typed('x'));
  log.record('a', 4, typed('y'));
  assert.equal(log.stepsTo('a', 4), undefined);
});

test('a log over a megabyte of inserted text is dropped (the text is sent instead)', () => {
  const log = new EditLog();
  log.confirm('a', 1);
  log.record('a', 2, typed('x'.repeat(600_000)));
  log.record('a', 3, typed('y'.repeat(600_000)));
  assert.equal(log.stepsTo('a', 3), undefined);
  log.record('a', 4, typed('z'));
  assert.equal(log.stepsTo('a', 4), undefined, 'nothing is logged until the worker answers again');
  log.confirm('a', 4);
  log.record('a', 5, typed('z'));
  assert.deepEqual(log.stepsTo('a', 5)?.map((s) => s.version), [5]);
});
