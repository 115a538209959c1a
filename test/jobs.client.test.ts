// The job client against a real forked job process (the worker loop with fake job kinds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { JobClient, type RunRecorder } from '../src/jobs/client';
import type { JobEvent } from '../src/jobs/types';
import type { RunInfo } from '../src/runs/types';

const workerPath = path.join(__dirname, 'fixtures', 'jobs', 'fakeJobWorker.ts');

/** Keeps every run.json patch in memory, in order. */
class MemoryRecorder implements RunRecorder {
  readonly patches = new Map<string, Partial<RunInfo>[]>();
  async update(runDir: string, patch: Partial<RunInfo>): Promise<void> {
    this.patches.set(runDir, [...(this.patches.get(runDir) ?? []), patch]);
  }
  final(runDir: string): Partial<RunInfo> {
    return Object.assign({}, ...(this.patches.get(runDir) ?? []));
  }
}

function client(recorder: RunRecorder, log: string[] = []) {
  return new JobClient({ workerPath, execArgv: ['--import', 'tsx'], recorder, sigtermAfterMs: 300, sigkillAfterMs: 1500, log: (l) => log.push(l) });
}

function waitForEvent(events: JobEvent[], predicate: (e: JobEvent) => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (events.some(predicate)) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error('event did not arrive'));
      setTimeout(poll, 10);
    };
    poll();
  });
}

test('a job streams metrics and completes; run.json goes running → completed with a summary', async () => {
  const recorder = new MemoryRecorder();
  const job = await client(recorder).start({ kind: 'test-counting', params: { steps: 20, intervalMs: 1 }, runDir: '/runs/a' });
  const events: JobEvent[] = [];
  job.onEvent((e) => events.push(e));
  const outcome = await job.finished;
  assert.equal(outcome.status, 'completed');
  assert.deepEqual(outcome.result, { steps: 20, finalLoss: 1 / 21 });
  const steps = events.flatMap((e) => (e.type === 'metrics' ? [e.record.step] : []));
  assert.ok(steps.length > 0 && steps.every((s, i) => i === 0 || s > steps[i - 1]), 'metrics arrive in order');
  const patches = recorder.patches.get('/runs/a') ?? [];
  assert.equal(patches[0].status, 'running');
  assert.equal(typeof patches[0].pid, 'number');
  assert.equal(recorder.final('/runs/a').status, 'completed');
  assert.deepEqual(recorder.final('/runs/a').summary, { steps: 20, finalLoss: 1 / 21 });
});

test('cancel stops a running job within a second and marks the run cancelled', async () => {
  const recorder = new MemoryRecorder();
  const job = await client(recorder).start({ kind: 'test-counting', params: { steps: 100_000, intervalMs: 5 }, runDir: '/runs/b' });
  const events: JobEvent[] = [];
  job.onEvent((e) => events.push(e));
  await waitForEvent(events, (e) => e.type === 'metrics');
  const asked = Date.now();
  const outcome = await job.cancel();
  const took = Date.now() - asked;
  assert.equal(outcome.status, 'cancelled');
  assert.ok(took < 1000, `cancel took ${took} ms`);
  assert.equal(recorder.final('/runs/b').status, 'cancelled');
  assert.ok(Number(outcome.result?.steps) < 100_000);
});

test('a job that ignores cancel is terminated and killed; the run is still cancelled', async () => {
  const recorder = new MemoryRecorder();
  const job = await client(recorder).start({ kind: 'test-stubborn', params: {}, runDir: '/runs/c' });
  await new Promise<void>((resolve) => job.onStateChange((s) => s === 'running' && resolve()));
  const outcome = await job.cancel();
  assert.equal(outcome.status, 'cancelled');
  assert.equal(recorder.final('/runs/c').status, 'cancelled');
});

test('a job that throws marks the run failed with its message', async () => {
  const recorder = new MemoryRecorder();
  const job = await client(recorder).start({ kind: 'test-throwing', params: {}, runDir: '/runs/d' });
  const outcome = await job.finished;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error ?? '', /row 3 of data\.csv: unknown element "Xx"/);
  assert.equal(recorder.final('/runs/d').status, 'failed');
});

test('a killed job process marks the run failed with its last words; the client keeps working', async () => {
  const recorder = new MemoryRecorder();
  const jobs = client(recorder);
  const job = await jobs.start({ kind: 'test-dying', params: {}, runDir: '/runs/e' });
  const outcome = await job.finished;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error ?? '', /killed by SIGKILL/);
  assert.match(outcome.error ?? '', /simulated crash/);
  assert.match(recorder.final('/runs/e').error ?? '', /SIGKILL/);
  const next = await jobs.start({ kind: 'test-counting', params: { steps: 3, intervalMs: 1 }, runDir: '/runs/f' });
  assert.equal((await next.finished).status, 'completed');
  assert.equal(jobs.jobs().length, 0);
});

test('an unknown job kind fails with the kinds this build runs', async () => {
  const recorder = new MemoryRecorder();
  const job = await client(recorder).start({ kind: 'no-such-kind', params: {}, runDir: '/runs/g' });
  const outcome = await job.finished;
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error ?? '', /unknown job kind "no-such-kind".*test-counting/);
});
