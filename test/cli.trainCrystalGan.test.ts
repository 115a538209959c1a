import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './helpers/cli';

const hasData = fs.existsSync(path.join(sharedData, 'nbo', 'poscar'));
const env = { CRYSTAL_GAN_DATA: sharedData };

function readJsonLines(file: string): Record<string, number>[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
}

// Small enough to run in seconds: cells of at most 4 atoms, batches of 4, two critic-heavy steps.
const tiny = ['--dataset', 'nbo', '--max-atoms', '4', '--batch-size', '4', '--eval-every', '1', '--backend', 'wasm'];

test('a tiny training run writes run.json, metrics.jsonl with validity, a checkpoint and the model, then resumes', { skip: !hasData && 'no shared data' }, () => {
  const runDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-train-')), 'run');
  const first = runCli(['train-crystal-gan', ...tiny, '--max-steps', '2', '--out', runDir], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), runDir);
  const info = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
  assert.equal(info.kind, 'crystal-gan');
  assert.equal(info.status, 'completed');
  assert.equal(info.summary.steps, 2);
  assert.ok(info.skippedRows.some((r: { reason: string }) => /duplicate/.test(r.reason)), 'duplicates are reported');
  assert.match(first.stderr, /per composition \(kept\/read\): NbO \d+\/73/);
  const metrics = readJsonLines(path.join(runDir, 'metrics.jsonl'));
  assert.deepEqual(metrics.map((m) => m.step), [1, 2]);
  for (const m of metrics) {
    for (const key of ['criticLoss', 'generatorLoss', 'gradientPenalty', 'structuralValidity', 'compositionalValidity', 'uniqueness']) assert.ok(Number.isFinite(m[key]), `${key} in ${JSON.stringify(m)}`);
  }
  assert.equal(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest'), 'utf8').trim(), 'step-000000002');
  assert.ok(fs.existsSync(path.join(runDir, 'model', 'model.json')));

  const second = runCli(['train-crystal-gan', '--resume', runDir, '--max-steps', '3'], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /resuming from step-000000002 \(step 2\)/);
  const resumed = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
  assert.equal(resumed.resumes, 1);
  assert.equal(resumed.summary.steps, 3);
  assert.equal(resumed.config.maxAtoms, 4, 'the stored settings are kept on resume');
  assert.deepEqual(readJsonLines(path.join(runDir, 'metrics.jsonl')).map((m) => m.step), [1, 2, 3]);
  assert.equal(fs.readFileSync(path.join(runDir, 'checkpoints', 'latest'), 'utf8').trim(), 'step-000000003');
});

test('usage and input errors exit 2 and 1 with one clear line', { skip: !hasData && 'no shared data' }, () => {
  const noDataset = runCli(['train-crystal-gan', '--max-steps', '1']);
  assert.equal(noDataset.code, 2);
  assert.match(noDataset.stderr, /--dataset is required/);
  const badSteps = runCli(['train-crystal-gan', '--dataset', 'nbo', '--max-steps', 'many']);
  assert.equal(badSteps.code, 2);
  assert.match(badSteps.stderr, /--max-steps must be a whole number/);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-train-')), 'run');
  const unknown = runCli(['train-crystal-gan', '--dataset', 'no-such-set', '--out', out], { env });
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(unknown.stderr, /--dataset no-such-set: not one of nbo, perov-5, carbon-24, mp-20/);
  assert.doesNotMatch(unknown.stderr, /\n\s+at /, 'no stack trace');
  const missing = runCli(['train-crystal-gan', '--resume', '/nonexistent/run']);
  assert.equal(missing.code, 1);
});
