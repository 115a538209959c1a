import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  appendMetrics, CHECKPOINTS_DIR, checkpointName, createRun, defaultRunsRoot, latestCheckpoint, listRuns, METRICS_FILE,
  readMetrics, readRun, RUN_FILE, RunStoreError, truncateMetricsAfter, updateRun, writeCheckpoint,
} from '../src/runs/store';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cg-runs-'));

test('a new run folder is named kind-timestamp-id and holds run.json and checkpoints/', () => {
  const root = tempDir();
  const { dir, info } = createRun(root, 'composition-gan', { epochs: 3 }, { now: new Date('2026-01-02T03:04:05.678Z') });
  assert.match(path.basename(dir), /^composition-gan-20260102T030405Z-[0-9a-f]{6}$/);
  assert.equal(info.status, 'created');
  assert.ok(fs.existsSync(path.join(dir, CHECKPOINTS_DIR)));
  assert.deepEqual(readRun(dir).config, { epochs: 3 });
});

test('runs are listed newest first and an unreadable run.json is reported, not fatal', () => {
  const root = tempDir();
  const older = createRun(root, 'featurize', {}, { now: new Date('2026-01-01T00:00:00Z') });
  const newer = createRun(root, 'composition-gan', {}, { now: new Date('2026-02-01T00:00:00Z') });
  const broken = path.join(root, 'broken');
  fs.mkdirSync(broken);
  fs.writeFileSync(path.join(broken, RUN_FILE), '{"id": ');
  const runs = listRuns(root);
  assert.deepEqual(runs.filter((r) => !r.problem).map((r) => r.dir), [newer.dir, older.dir]);
  assert.match(runs.find((r) => r.problem)?.problem ?? '', /not valid JSON/);
  assert.deepEqual(listRuns(path.join(root, 'absent')), []);
});

test('updateRun rewrites atomically and leaves no temporary files', () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  for (let i = 0; i < 20; i++) updateRun(dir, { summary: { i } });
  assert.deepEqual(readRun(dir).summary, { i: 19 });
  assert.deepEqual(fs.readdirSync(dir).sort(), [CHECKPOINTS_DIR, RUN_FILE]);
});

test('a running run whose process is gone reads as interrupted', () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  updateRun(dir, { status: 'running', pid: process.pid });
  assert.equal(readRun(dir).status, 'running');
  updateRun(dir, { status: 'running', pid: 2 ** 22 + 12345 }); // above Linux's pid_max
  const info = readRun(dir);
  assert.equal(info.status, 'interrupted');
  assert.match(info.error ?? '', /ended without finishing/);
});

test('metrics: a torn last line is ignored; truncation drops records after a checkpoint', () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  for (let step = 1; step <= 5; step++) appendMetrics(dir, { step, epoch: 0, time: step, loss: step / 10 });
  fs.appendFileSync(path.join(dir, METRICS_FILE), '{"step":6,"epo');
  assert.deepEqual(readMetrics(dir).map((r) => r.step), [1, 2, 3, 4, 5]);
  truncateMetricsAfter(dir, 3);
  appendMetrics(dir, { step: 4, epoch: 0, time: 9, loss: 0 });
  assert.deepEqual(readMetrics(dir).map((r) => r.step), [1, 2, 3, 4]);
});

test('a corrupt line in the middle of metrics.jsonl is an error naming the line', () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  fs.writeFileSync(path.join(dir, METRICS_FILE), '{"step":1,"epoch":0,"time":0}\nnot json\n{"step":2,"epoch":0,"time":0}\n{"step":3,"epoch":0,"time":0}\n');
  assert.throws(() => readMetrics(dir), /metrics\.jsonl:2: not valid JSON/);
});

test('latest names a checkpoint only once it is complete; a failed write keeps the previous one', async () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  assert.equal(latestCheckpoint(dir), undefined);
  await writeCheckpoint(dir, checkpointName(10), (folder) => fs.writeFileSync(path.join(folder, 'w'), 'ten'));
  const first = latestCheckpoint(dir)!;
  assert.equal(path.basename(first), 'step-000000010');
  await assert.rejects(
    writeCheckpoint(dir, checkpointName(20), (folder) => {
      fs.writeFileSync(path.join(folder, 'w'), 'half');
      throw new Error('killed mid-write');
    }),
  );
  assert.equal(latestCheckpoint(dir), first);
  assert.equal(fs.readFileSync(path.join(first, 'w'), 'utf8'), 'ten');
  assert.ok(!fs.readdirSync(path.join(dir, CHECKPOINTS_DIR)).some((n) => n.startsWith('.tmp-')));
});

test('only the last few checkpoints are kept', async () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  for (let step = 1; step <= 6; step++) await writeCheckpoint(dir, checkpointName(step), (f) => fs.writeFileSync(path.join(f, 'w'), String(step)));
  const kept = fs.readdirSync(path.join(dir, CHECKPOINTS_DIR)).filter((n) => n.startsWith('step-')).sort();
  assert.deepEqual(kept, [checkpointName(4), checkpointName(5), checkpointName(6)]);
});

test('a read-only runs folder gives an error naming the folder', { skip: process.getuid?.() === 0 ? 'root ignores permissions' : false }, () => {
  const root = tempDir();
  fs.chmodSync(root, 0o555);
  try {
    assert.throws(() => createRun(root, 'composition-gan', {}), (e: unknown) => e instanceof RunStoreError && e.message.includes(root) && /permission denied|read-only/.test(e.message));
  } finally {
    fs.chmodSync(root, 0o755);
  }
});

test('the default runs root is $CRYSTAL_GAN_RUNS, else ./.crystal-gan/runs', () => {
  assert.equal(defaultRunsRoot({ CRYSTAL_GAN_RUNS: '/x/runs' }, '/work'), '/x/runs');
  assert.equal(defaultRunsRoot({}, '/work'), path.join('/work', '.crystal-gan', 'runs'));
});

test('an existing non-empty folder is not reused as a new run', () => {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'something'), '');
  assert.throws(() => createRun(tempDir(), 'composition-gan', {}, { dir: root }), /not empty.*--resume/);
});

test('a full disk gives an error naming the file and what to do', { skip: !fs.existsSync('/dev/full') }, () => {
  const { dir } = createRun(tempDir(), 'composition-gan', {});
  fs.symlinkSync('/dev/full', path.join(dir, METRICS_FILE));
  assert.throws(
    () => appendMetrics(dir, { step: 1, epoch: 0, time: 0 }),
    (e: unknown) => e instanceof RunStoreError && e.message.includes(path.join(dir, METRICS_FILE)) && /disk is full/.test(e.message),
  );
});

test('a runs root that is a file gives an error naming it', () => {
  const file = path.join(tempDir(), 'not-a-folder');
  fs.writeFileSync(file, '');
  assert.throws(() => createRun(file, 'composition-gan', {}), (e: unknown) => e instanceof RunStoreError && e.message.includes(file));
});
