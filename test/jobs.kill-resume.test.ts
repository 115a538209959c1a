// Kills `crystal-gan train-composition-gan` with SIGKILL at random moments (mid-epoch, and as a
// checkpoint is being written), then checks that the run folder stays readable, reads as
// interrupted, its last complete checkpoint loads, and `--resume` ends on exactly the metrics
// trajectory of an uninterrupted run with the same seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliBundle, runCli } from './helpers/cli';
import { CHECKPOINTS_DIR, latestCheckpoint, readMetrics, readRun } from '../src/runs/store';
import { loadTensors } from '../src/ml/io';
import { initBackend, tf } from '../src/ml/backend';
import type { MetricsRecord } from '../src/jobs/types';

const STEPS = 20;

function tinyData(dir: string): string {
  const file = path.join(dir, 'formulas.csv');
  const rows = ['Li', 'Na', 'K', 'Mg', 'Ca', 'Fe', 'Co', 'Ni'].flatMap((c, i) => ['O', 'S', 'F', 'Cl', 'N'].map((a, j) => `${c}${1 + ((i + j) % 3)}${a}${1 + (j % 2)}`));
  fs.writeFileSync(file, ['formula', ...rows].join('\n') + '\n');
  return file;
}

const trainArgs = (data: string) => ['train-composition-gan', '--data', data, '--batch-size', '8', '--max-steps', String(STEPS), '--checkpoint-every', '1', '--log-every', '1', '--eval-every', '3', '--seed', '7', '--backend', 'wasm'];

type KillMoment = 'mid-epoch' | 'mid-checkpoint';

/** Starts the CLI and SIGKILLs it at the given kind of moment; resolves when it is dead. */
function startAndKill(args: string[], runDir: string, moment: KillMoment): Promise<{ killed: boolean; sawTemporary: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sawTemporary = false;
    let watcher: fs.FSWatcher | undefined;
    let armed = false;
    const kill = () => {
      watcher?.close();
      child.kill('SIGKILL');
    };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Within 50 ms of the first step line: with the native kernels a tiny step takes a few ms, so
      // a longer wait (it was 0.1-1 s) let the whole run finish before the kill on a fast machine.
      if (moment === 'mid-epoch' && /step [1-9]/.test(stderr) && !armed) {
        armed = true;
        setTimeout(kill, Math.random() * 50);
      }
    });
    if (moment === 'mid-checkpoint') {
      // Kill the moment a checkpoint's temporary folder appears (it is renamed into place when complete).
      const arm = setInterval(() => {
        const dir = path.join(runDir, CHECKPOINTS_DIR);
        if (!fs.existsSync(dir)) return;
        clearInterval(arm);
        watcher = fs.watch(dir, (_event, name) => {
          if (String(name).startsWith('.tmp-') && Math.random() < 0.5) {
            sawTemporary = true;
            kill();
          }
        });
      }, 5);
      child.on('exit', () => clearInterval(arm));
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher?.close();
      resolve({ killed: signal === 'SIGKILL' || code === null, sawTemporary });
    });
  });
}

/** Training figures must repeat exactly; held-out figures wherever both runs evaluated; time and speed vary. */
function assertSameTrajectory(actual: MetricsRecord[], expected: MetricsRecord[]): void {
  const training = ({ time: _t, stepsPerSecond: _s, heldOutCriticLoss: _h, heldOutWasserstein: _w, ...rest }: MetricsRecord) => rest;
  assert.deepEqual(actual.map(training), expected.map(training));
  actual.forEach((a, i) => {
    if (a.heldOutCriticLoss !== undefined && expected[i].heldOutCriticLoss !== undefined) assert.equal(a.heldOutCriticLoss, expected[i].heldOutCriticLoss);
  });
}

test('SIGKILL mid-epoch and mid-checkpoint leaves a readable, interrupted, resumable run on the same trajectory', { timeout: 120_000 }, async (t) => {
  await initBackend('cpu');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-kill-'));
  const data = tinyData(dir);
  const reference = path.join(dir, 'reference');
  const whole = runCli([...trainArgs(data), '--out', reference]);
  assert.equal(whole.code, 0, whole.stderr);
  const expected = readMetrics(reference);
  assert.equal(expected.length, STEPS);

  const runDir = path.join(dir, 'killed');
  const moments: KillMoment[] = ['mid-epoch', 'mid-checkpoint', 'mid-epoch', 'mid-checkpoint'];
  let kills = 0;
  let temporaries = 0;
  let launches = 0;
  for (const [i, moment] of moments.entries()) {
    const args = i === 0 ? [...trainArgs(data), '--out', runDir] : ['train-composition-gan', '--resume', runDir];
    launches++;
    const { killed, sawTemporary } = await startAndKill(args, runDir, moment);
    if (!killed) break; // finished before the kill: nothing left to interrupt
    kills++;
    if (sawTemporary) temporaries++;
    const info = readRun(runDir);
    assert.equal(info.status, 'interrupted', `after kill ${i + 1} (${moment})`);
    const metrics = readMetrics(runDir); // a torn last line is tolerated
    const latest = latestCheckpoint(runDir);
    if (latest) {
      const { tensors, metadata } = loadTensors(latest);
      assert.ok(tensors.has('critic/embedding/kernel') && tensors.has('optimizer/generator/iter'));
      assert.ok((metadata.step as number) >= 1 && (metadata.step as number) <= STEPS);
      assert.equal(metrics.filter((m) => m.step <= (metadata.step as number)).length, metadata.step, 'a record for every step up to the checkpoint');
      tf.dispose([...tensors.values()]);
    }
  }
  assert.ok(kills >= 2, `at least two kills landed (got ${kills})`);
  const finish = runCli(['train-composition-gan', '--resume', runDir]);
  assert.equal(finish.code, 0, finish.stderr);
  const info = readRun(runDir);
  assert.equal(info.status, 'completed');
  // Every launch after the first resumed, and so did the final one (even when a launch finished
  // before its kill landed, on a slow or fast machine).
  assert.equal(info.resumes, launches);
  assertSameTrajectory(readMetrics(runDir), expected);
  assert.ok(!fs.readdirSync(path.join(runDir, CHECKPOINTS_DIR)).some((n) => n.startsWith('.tmp-')), 'stale temporary checkpoints are cleared');
  // Informational: how many kills hit a checkpoint while it was being written.
  t.diagnostic(`kills: ${kills}, during a checkpoint write: ${temporaries}`);
});
