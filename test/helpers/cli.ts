// Runs the built CLI bundle (dist/cli.js, made by `npm run build`) as a real process, the way
// users and other tools call it, so exit codes and stdout/stderr are tested end to end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const cliBundle = path.join(projectRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {}): CliResult {
  if (!fs.existsSync(cliBundle)) throw new Error(`${cliBundle} is missing: run \`npm run build\` first`);
  const r = spawnSync(process.execPath, [cliBundle, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The shared data directory beside the project (../shared/data), as the data-directory rule finds it. */
export const sharedData = path.resolve(projectRoot, '..', 'shared', 'data');
