// Runs every *.test.ts under the given folders (default: test/) with Node's built-in test runner,
// through tsx so the tests import the TypeScript sources directly. Node 20's --test takes no
// globs, so the files are listed here. Tests under test/e2e and test/extension need a real
// VS Code and run through `npm run test:e2e` instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
const skip = new Set(['e2e', 'extension', 'fixtures', 'node_modules']);

function collect(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (!skip.has(entry.name)) collect(p, out); }
    else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = (dirs.length ? dirs : ['test']).flatMap((d) => (fs.statSync(d).isFile() ? [d] : collect(d, []))).sort();
if (files.length === 0) { console.error('no test files found'); process.exit(1); }
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
