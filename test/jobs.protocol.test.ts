import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, validateHostToWorker, validateJobEvent, validateWorkerToHost } from '../src/jobs/protocol';

test('valid messages pass both ways', () => {
  assert.ok(validateHostToWorker({ type: 'start', jobId: 'j', kind: 'composition-gan', params: { epochs: 1 }, runDir: '/r' }).ok);
  assert.ok(validateHostToWorker({ type: 'cancel', jobId: 'j' }).ok);
  assert.ok(validateWorkerToHost({ type: 'ready', pid: 1, protocolVersion: PROTOCOL_VERSION, kinds: ['a'] }).ok);
  assert.ok(validateWorkerToHost({ type: 'heartbeat', time: 1, rss: 2 }).ok);
  assert.ok(validateWorkerToHost({ type: 'done', jobId: 'j', cancelled: false, result: {} }).ok);
  assert.ok(validateWorkerToHost({ type: 'failed', jobId: 'j', error: 'x' }).ok);
  assert.ok(validateWorkerToHost({ type: 'event', jobId: 'j', event: { type: 'metrics', record: { step: 1, epoch: 0, time: 5, criticLoss: NaN } } }).ok);
  assert.ok(validateJobEvent({ type: 'artifact', path: 'generated/a.cif', kind: 'cif' }).ok);
});

test('a NaN loss that IPC turned into null comes back as NaN', () => {
  const r = validateJobEvent(JSON.parse(JSON.stringify({ type: 'metrics', record: { step: 1, epoch: 0, time: 5, criticLoss: NaN } })));
  assert.ok(r.ok && r.value.type === 'metrics' && Number.isNaN(r.value.record.criticLoss));
});

test('malformed messages are rejected with a reason naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [null, /expected an object, got null/],
    [[1], /got an array/],
    ['start', /expected an object/],
    [{ type: 'launch' }, /unknown type "launch"/],
    [{ type: 'start', jobId: 'j', kind: 'k', params: [], runDir: '/r' }, /field params: expected an object, got an array/],
    [{ type: 'start', jobId: '', kind: 'k', params: {}, runDir: '/r' }, /field jobId/],
    [{ type: 'start', jobId: 'j', kind: 'k', params: {} }, /field runDir: expected a run folder path, got nothing/],
    [{ type: 'cancel' }, /field jobId/],
  ];
  for (const [message, reason] of cases) {
    const r = validateHostToWorker(message);
    assert.equal(r.ok, false, JSON.stringify(message));
    if (!r.ok) assert.match(r.error, reason);
  }
});

test('worker messages with bad payloads are rejected', () => {
  const bad: unknown[] = [
    { type: 'ready', pid: 1, protocolVersion: PROTOCOL_VERSION + 1, kinds: [] },
    { type: 'ready', pid: 1, protocolVersion: PROTOCOL_VERSION, kinds: [1] },
    { type: 'heartbeat', time: 'now', rss: 1 },
    { type: 'done', jobId: 'j', cancelled: 'no', result: {} },
    { type: 'failed', jobId: 'j' },
    { type: 'event', jobId: 'j', event: { type: 'metrics', record: { step: 1, epoch: 0 } } },
    { type: 'event', jobId: 'j', event: { type: 'metrics', record: { step: 1, epoch: 0, time: 1, loss: '0.5' } } },
    { type: 'event', jobId: 'j', event: { type: 'progress', fraction: 1.5, message: '' } },
    { type: 'event', jobId: 'j', event: { type: 'log', level: 'debug', message: 'x' } },
    { type: 'event', jobId: 'j', event: { type: 'artifact', path: 'x', kind: 'exe' } },
    { type: 'event', jobId: 'j' },
  ];
  for (const message of bad) assert.equal(validateWorkerToHost(message).ok, false, JSON.stringify(message));
});
