// The dashboard's message protocol (both directions) and the chart series built from histories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDashboardState, validateDashboardToHost, validateHostToDashboard, type DashboardRun } from '../src/extension/webviews/dashboard/protocol';
import { buildChartData, chartGroups, latestSpeed, MAX_POINTS } from '../webview/dashboard/series';

const run = (id: string, records: DashboardRun['records']): DashboardRun => ({ id, kind: 'composition-gan', status: 'running', config: { epochs: 1 }, records });

test('well-formed messages pass both ways', () => {
  assert.ok(validateHostToDashboard({ type: 'init', runs: [run('a', [{ step: 1, epoch: 0, time: 1, criticLoss: 0.5 }])] }).ok);
  assert.ok(validateHostToDashboard({ type: 'metrics', runId: 'a', records: [{ step: 2, epoch: 0, time: 2, criticLoss: null as unknown as number }] }).ok);
  assert.ok(validateHostToDashboard({ type: 'status', runId: 'a', status: 'cancelled' }).ok);
  assert.ok(validateDashboardToHost({ type: 'ready' }).ok);
  assert.ok(validateDashboardToHost({ type: 'cancel', runId: 'a' }).ok);
});

test('malformed messages from the host are dropped with a reason', () => {
  const bad: unknown[] = [
    undefined, null, 42, 'init', [], {},
    { type: 'init' },
    { type: 'init', runs: [{ id: 'a' }] },
    { type: 'init', runs: [{ ...run('a', []), status: 'exploded' }] },
    { type: 'init', runs: [{ ...run('a', []), config: { nested: { x: 1 } } }] },
    { type: 'metrics', runId: 'a', records: [{ step: '1', epoch: 0, time: 1 }] },
    { type: 'metrics', runId: 'a', records: [{ step: 1, epoch: 0, time: 1, loss: '<img src=x onerror=alert(1)>' }] },
    { type: 'metrics', runId: '', records: [] },
    { type: 'status', runId: 'a', status: 'running', backend: 3 },
    { type: '__proto__' },
  ];
  for (const message of bad) {
    const checked = validateHostToDashboard(message);
    assert.equal(checked.ok, false, JSON.stringify(message));
    if (!checked.ok) assert.ok(checked.error.length > 5);
  }
});

test('malformed messages from the page are dropped', () => {
  for (const message of [null, { type: 'cancel' }, { type: 'cancel', runId: 7 }, { type: 'invalid' }, { type: 'runShell', cmd: 'rm -rf /' }]) {
    assert.equal(validateDashboardToHost(message).ok, false, JSON.stringify(message));
  }
  const long = validateDashboardToHost({ type: 'invalid', error: 'x'.repeat(10_000) });
  assert.ok(long.ok && long.value.type === 'invalid' && long.value.error.length === 500);
});

test('saved state is checked before it is trusted', () => {
  assert.ok(isDashboardState({ runs: [run('a', [])] }));
  assert.equal(isDashboardState({ runs: [{ id: 'a' }] }), false);
  assert.equal(isDashboardState('runs'), false);
});

test('losses and other metrics go to separate charts; compared runs share aligned steps', () => {
  const a = run('a', [{ step: 1, epoch: 0, time: 0, criticLoss: 1, generatorLoss: 2, validRate: 0.5 }, { step: 3, epoch: 0, time: 1000, criticLoss: 0.5, generatorLoss: 1 }]);
  const b = run('b', [{ step: 2, epoch: 0, time: 0, criticLoss: 0.8 }]);
  const groups = chartGroups([a, b]);
  assert.deepEqual(groups.map((g) => g.id), ['losses', 'quality']);
  assert.deepEqual(groups[0].series.map((s) => s.label), ['criticLoss (a)', 'generatorLoss (a)', 'criticLoss (b)']);
  const data = buildChartData([a, b], groups[0]);
  assert.deepEqual(data[0], [1, 2, 3]);
  assert.deepEqual(data[1], [1, null, 0.5]);
  assert.deepEqual(data[3], [null, 0.8, null]);
});

test('NaN losses become gaps, long histories are thinned to the last point', () => {
  const records = Array.from({ length: MAX_POINTS * 3 }, (_, i) => ({ step: i, epoch: 0, time: i * 100, criticLoss: i === 5 ? NaN : i }));
  const r = run('a', records);
  const data = buildChartData([r], chartGroups([r])[0]);
  assert.equal(data[0].length, MAX_POINTS);
  assert.equal(data[0].at(-1), MAX_POINTS * 3 - 1);
  const small = run('b', records.slice(0, 10));
  assert.equal(buildChartData([small], chartGroups([small])[0])[1][5], null);
});

test('steps per second: the job figure if reported, else from timestamps', () => {
  assert.equal(latestSpeed([{ step: 1, epoch: 0, time: 0, stepsPerSecond: 12.5 }]), 12.5);
  assert.equal(latestSpeed([{ step: 0, epoch: 0, time: 0 }, { step: 10, epoch: 0, time: 2000 }]), 5);
  assert.equal(latestSpeed([]), undefined);
});
