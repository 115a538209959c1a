import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJob } from '../src/cli/jobRunner';
import { trainCompositionGanJob, EMBEDDINGS_FILE, type CompositionGanJobParams } from '../src/jobs/compositionGanJob';
import { latestCheckpoint, readMetrics, readRun } from '../src/runs/store';
import { sampleCompositions } from '../src/ml/compositionGan/sample';
import type { MetricsRecord } from '../src/jobs/types';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cganjob-'));
const quietIO = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

function tinyData(dir: string): string {
  const file = path.join(dir, 'formulas.csv');
  const cations = ['Li', 'Na', 'K', 'Mg', 'Ca', 'Fe', 'Co', 'Ni', 'Cu', 'Zn'];
  const anions = ['O', 'S', 'F', 'Cl', 'N'];
  const rows = cations.flatMap((c, i) => anions.map((a, j) => `${c}${1 + ((i + j) % 3)}${a}${1 + (j % 2)}`));
  fs.writeFileSync(file, ['formula', ...rows, 'Ba0.5Sr0.5TiO3', 'Fe12O18'].join('\n') + '\n');
  return file;
}

/**
 * Asserts two metrics series follow the same trajectory: every training figure equal, and
 * held-out figures equal wherever both have one (a session's last step adds an evaluation).
 * Time and speed vary.
 */
function assertSameTrajectory(actual: MetricsRecord[], expected: MetricsRecord[]): void {
  const training = ({ time: _t, stepsPerSecond: _s, heldOutCriticLoss: _h, heldOutWasserstein: _w, ...rest }: MetricsRecord) => rest;
  assert.deepEqual(actual.map(training), expected.map(training));
  actual.forEach((a, i) => {
    if (a.heldOutCriticLoss !== undefined && expected[i].heldOutCriticLoss !== undefined) {
      assert.equal(a.heldOutCriticLoss, expected[i].heldOutCriticLoss, `held-out loss at step ${a.step}`);
      assert.equal(a.heldOutWasserstein, expected[i].heldOutWasserstein);
    }
  });
}

test('a tiny training run writes run.json, metrics.jsonl, checkpoints, embeddings.json and a usable generator', async () => {
  const dir = tempDir();
  const params: CompositionGanJobParams = { dataFile: tinyData(dir), batchSize: 8, maxSteps: 4, checkpointEvery: 2, logEvery: 1, evalEvery: 2, backend: 'wasm', seed: 3 };
  const { io, lines } = quietIO();
  const result = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params, io, runsRoot: path.join(dir, 'runs') });
  assert.equal(result.exitCode, 0, lines.join('\n'));
  const info = readRun(result.runDir);
  assert.equal(info.status, 'completed');
  assert.equal(info.backend?.name, 'wasm');
  assert.equal(info.pid, undefined);
  assert.deepEqual(info.skippedRows?.map((s) => [s.reason, s.count, s.examples[0].line]).sort(), [['count above 8', 1, 53], ['fractional count', 1, 52]]);
  assert.equal(info.summary?.steps, 4);
  assert.equal(info.summary?.heldOutFormulas, 5);
  const metrics = readMetrics(result.runDir);
  assert.deepEqual(metrics.map((m) => m.step), [1, 2, 3, 4]);
  for (const key of ['criticLoss', 'generatorLoss', 'gradientPenalty', 'wassersteinEstimate', 'stepsPerSecond']) assert.ok(metrics.every((m) => Number.isFinite(m[key])), key);
  assert.ok(Number.isFinite(metrics[1].heldOutCriticLoss) && Number.isFinite(metrics[1].heldOutWasserstein));
  assert.equal(metrics[0].heldOutCriticLoss, undefined, 'held-out only every evalEvery steps');
  assert.equal(path.basename(latestCheckpoint(result.runDir) ?? ''), 'step-000000004');
  const embeddings = JSON.parse(fs.readFileSync(path.join(result.runDir, EMBEDDINGS_FILE), 'utf8'));
  assert.equal(embeddings.elements.length, 85);
  assert.equal(embeddings.dim, 128);
  assert.equal(embeddings.vectors.length, 85);
  assert.ok(embeddings.vectors.every((v: number[]) => v.length === 128 && v.every((x) => Math.abs(x) <= 1)));
  assert.equal(sampleCompositions(result.runDir, 10, 1).compositions.length, 10);
  assert.equal(lines.at(-1), result.runDir, 'the run folder is printed last on stdout');
});

test('a run stopped after 3 steps and resumed follows the uninterrupted trajectory exactly', async () => {
  const dir = tempDir();
  const base: CompositionGanJobParams = { dataFile: tinyData(dir), batchSize: 8, checkpointEvery: 100, logEvery: 1, evalEvery: 2, backend: 'wasm', seed: 5 };
  const whole = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { ...base, maxSteps: 6 }, io: quietIO().io, runsRoot: path.join(dir, 'runs') });
  const first = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { ...base, maxSteps: 3 }, io: quietIO().io, runsRoot: path.join(dir, 'runs') });
  assert.equal(path.basename(latestCheckpoint(first.runDir) ?? ''), 'step-000000003', 'the end of a run is checkpointed');
  const resumed = await runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { maxSteps: 6 } as CompositionGanJobParams, io: quietIO().io, resume: first.runDir });
  assert.equal(resumed.runDir, first.runDir);
  assert.equal(readRun(first.runDir).resumes, 1);
  assert.equal(readRun(first.runDir).config.batchSize, 8, 'stored settings are kept on resume');
  assertSameTrajectory(readMetrics(first.runDir), readMetrics(whole.runDir));
  assert.ok(readMetrics(whole.runDir).filter((m) => m.heldOutCriticLoss !== undefined).length >= 3);
});

test('an abort stops at a step boundary with a checkpoint and the run is marked cancelled', async () => {
  const dir = tempDir();
  const params: CompositionGanJobParams = { dataFile: tinyData(dir), batchSize: 8, maxSteps: 1000, checkpointEvery: 1000, logEvery: 1, backend: 'wasm' };
  const { io } = quietIO();
  const running = runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params, io, runsRoot: path.join(dir, 'runs') });
  // SIGINT as a user's Ctrl-C: the runner turns it into the job's abort signal.
  const timer = setInterval(() => {
    const runs = fs.existsSync(path.join(dir, 'runs')) ? fs.readdirSync(path.join(dir, 'runs')) : [];
    if (runs.length && fs.existsSync(path.join(dir, 'runs', runs[0], 'metrics.jsonl'))) {
      clearInterval(timer);
      process.emit('SIGINT', 'SIGINT');
    }
  }, 50);
  const result = await running;
  clearInterval(timer);
  assert.equal(result.exitCode, 130);
  const info = readRun(result.runDir);
  assert.equal(info.status, 'cancelled');
  const steps = readMetrics(result.runDir).map((m) => m.step);
  assert.ok(steps.length >= 1 && steps.length < 1000);
  assert.equal(path.basename(latestCheckpoint(result.runDir) ?? ''), `step-${String(steps.at(-1)).padStart(9, '0')}`);
});

test('bad parameters and a missing data file fail the run with a clear message', async () => {
  const dir = tempDir();
  await assert.rejects(
    runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { batchSize: -1 } as CompositionGanJobParams, io: quietIO().io, runsRoot: dir }),
    /batchSize must be a positive integer/,
  );
  await assert.rejects(
    runJob({ kind: 'composition-gan', handler: trainCompositionGanJob, params: { dataFile: path.join(dir, 'nope.csv'), backend: 'cpu' }, io: quietIO().io, runsRoot: dir }),
    /nope\.csv does not exist/,
  );
  const failed = fs.readdirSync(dir).map((d) => readRun(path.join(dir, d)));
  assert.equal(failed.length, 2);
  assert.ok(failed.every((r) => r.status === 'failed' && r.error));
});
