import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_CANCELLED, runJob } from '../src/cli/jobRunner';
import { InputError } from '../src/cli/command';
import { appendMetrics, createRun, readRun, updateRun } from '../src/runs/store';
import type { JobHandler } from '../src/jobs/types';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-runner-'));
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

/** A job that counts steps until `steps`, honouring the abort signal between steps. */
const countingJob: JobHandler<{ steps: number; label?: string }> = async (params, ctx) => {
  let step = 0;
  while (step < params.steps && !ctx.signal.aborted) {
    step++;
    appendMetrics(ctx.runDir, { step, epoch: 0, time: Date.now(), value: step });
    ctx.emit({ type: 'metrics', record: { step, epoch: 0, time: Date.now(), value: step } });
    ctx.emit({ type: 'progress', fraction: step / params.steps, message: `step ${step}` });
    await new Promise((r) => setTimeout(r, 5));
  }
  return { steps: step, label: params.label ?? 'none', ignored: { nested: true } };
};

test('a completed job: run.json says completed with the summary, the run folder is printed on stdout', async () => {
  const root = tempDir();
  const { out, err, io } = capture();
  const result = await runJob({ kind: 'featurize', handler: countingJob, params: { steps: 3, label: 'x' }, io, runsRoot: root });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(out, [result.runDir]);
  assert.ok(err.some((l) => l.includes(`run folder: ${result.runDir}`)));
  assert.ok(err.some((l) => /\[step 1 epoch 0\] value=1/.test(l)), err.join('\n'));
  const info = readRun(result.runDir);
  assert.equal(info.status, 'completed');
  assert.deepEqual(info.summary, { steps: 3, label: 'x' });
  assert.deepEqual(info.config, { steps: 3, label: 'x' });
  assert.equal(info.pid, undefined);
  assert.ok(info.finishedAt);
});

test('SIGTERM aborts the job at a step boundary and the run is cancelled, exit 130', async () => {
  const root = tempDir();
  const running = runJob({ kind: 'featurize', handler: countingJob, params: { steps: 100_000 }, io: capture().io, runsRoot: root });
  setTimeout(() => process.emit('SIGTERM', 'SIGTERM'), 60);
  const result = await running;
  assert.equal(result.exitCode, EXIT_CANCELLED);
  assert.equal(readRun(result.runDir).status, 'cancelled');
  assert.ok((readRun(result.runDir).summary?.steps as number) < 100_000);
  assert.equal(process.listenerCount('SIGTERM') > 0 && process.listeners('SIGTERM').some((l) => l.name === 'onSignal'), false, 'signal handlers are removed');
});

test('resume keeps the stored config for flags not given and counts resumes', async () => {
  const root = tempDir();
  const first = await runJob({ kind: 'featurize', handler: countingJob, params: { steps: 2, label: 'kept' }, io: capture().io, runsRoot: root });
  const again = await runJob({ kind: 'featurize', handler: countingJob, params: { steps: 4, label: undefined }, io: capture().io, resume: first.runDir });
  const info = readRun(again.runDir);
  assert.equal(again.runDir, first.runDir);
  assert.equal(info.resumes, 1);
  assert.deepEqual(info.config, { steps: 4, label: 'kept' });
});

test('resume refuses another kind, a live run and a folder that is not a run', async () => {
  const root = tempDir();
  const { dir } = createRun(root, 'crystal-gan', {});
  await assert.rejects(runJob({ kind: 'featurize', handler: countingJob, params: { steps: 1 }, io: capture().io, resume: dir }), (e: unknown) => e instanceof InputError && /crystal-gan run, not featurize/.test(e.message));
  updateRun(dir, { status: 'running', pid: process.pid });
  await assert.rejects(runJob({ kind: 'crystal-gan', handler: countingJob, params: { steps: 1 }, io: capture().io, resume: dir }), /still running/);
  await assert.rejects(runJob({ kind: 'featurize', handler: countingJob, params: { steps: 1 }, io: capture().io, resume: path.join(root, 'nope') }), (e: unknown) => e instanceof InputError && /nope/.test(e.message));
});

test('a failing job marks the run failed with the error and rethrows it', async () => {
  const root = tempDir();
  const failing: JobHandler = async () => {
    throw new Error('out of ideas');
  };
  await assert.rejects(runJob({ kind: 'featurize', handler: failing, params: {}, io: capture().io, runsRoot: root }), /out of ideas/);
  const [name] = fs.readdirSync(root);
  const info = readRun(path.join(root, name));
  assert.equal(info.status, 'failed');
  assert.equal(info.error, 'out of ideas');
});
