// Load figure (issue 8.6): listing a run store of 1,000 runs with listRuns (read and validate every
// run.json, liveness check of "running" runs, sort). Prints {"value": ms (median of 7), …}. The
// store is created once in bench/.cache/runs-1000 with createRun; one run in ten is marked running
// with a process id that does not exist, so the liveness check is exercised too.
//   npx tsx bench/ours/loadRuns.ts [RUNS=1000]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRun, listRuns, updateRun } from '../../src/runs/store';

const CACHE = path.join(__dirname, '..', '.cache');
const DEAD_PID = 4_000_000; // above Linux's pid_max default, so never alive

export function runStore(runs: number): string {
  const root = path.join(CACHE, `runs-${runs}`);
  if (fs.existsSync(path.join(root, '.complete'))) return root;
  fs.rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < runs; i++) {
    const { dir } = createRun(root, i % 2 ? 'crystal-gan' : 'composition-gan', { epochs: 20, batchSize: 256, seed: i, dataset: 'nbo' }, { now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
    if (i % 10 === 0) updateRun(dir, { status: 'running', pid: DEAD_PID });
    else updateRun(dir, { status: 'completed' });
  }
  fs.writeFileSync(path.join(root, '.complete'), '');
  return root;
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 1000);
  const root = runStore(runs);
  listRuns(root); // warm the file-system cache and the JIT
  const times: number[] = [];
  let listed = 0;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    listed = listRuns(root).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ value: +times[3].toFixed(1), unit: 'ms', runs: listed, minMs: +times[0].toFixed(1), maxMs: +times[6].toFixed(1) }));
}
