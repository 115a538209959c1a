// `train peak RSS`: the peak resident memory, in MB, of a process running the composition-GAN
// training job on the full OQMD formula list (251,368 formulas loaded, encoded and split), the same
// job code the editor's job process runs. Target (issue 7): ≤ 2 GB. Measured by GNU time's maximum
// resident set size of `crystal-gan train-composition-gan` for a few steps: the data set and the
// model are fully in memory from the first step, and a longer run only repeats the same steps.
// Usage: trainMemory.ts [steps]   (run `npm run build` first; needs /usr/bin/time)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const steps = process.argv[2] ?? '20';
const root = path.resolve(__dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-train-rss-'));
try {
  const run = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, path.join(root, 'dist', 'cli.js'), 'train-composition-gan', '--max-steps', steps, '--eval-every', steps, '--out', path.join(out, 'run')], { encoding: 'utf8' });
  const match = /peak-rss-kb (\d+)/.exec(run.stderr);
  if (run.status !== 0 || !match) throw new Error(`training failed (exit ${run.status}): ${run.stderr.slice(-400)}`);
  console.log(JSON.stringify({ value: Math.round(Number(match[1]) / 1024), unit: 'MB', steps: Number(steps) }));
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
