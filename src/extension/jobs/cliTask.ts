// Bounded steps (featurize a file, generate N samples, predict a CSV) run as the `crystal-gan`
// CLI in a child process — the same code and the same exit codes as in a terminal — under a
// cancellable progress notification (vscode-standards.md §8). Cancel sends SIGTERM, then SIGKILL.
import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import type { CrystalGanContext } from '../context';

export interface CliTaskResult {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

const PERCENT = /^\s*(\d+(?:\.\d+)?)%\s*(.*)$/;

export function runCliTask(ctx: CrystalGanContext, title: string, args: string[], env: NodeJS.ProcessEnv = {}): Thenable<CliTaskResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<CliTaskResult>((resolve) => {
      ctx.output.info(`$ crystal-gan ${args.join(' ')}`);
      const child = fork(ctx.asAbsolutePath('dist/cli.js'), args, {
        execArgv: [],
        env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let stdout = '';
      let stderr = '';
      let reported = 0;
      let cancelled = false;
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        stderr += text;
        for (const line of text.split('\n').filter(Boolean)) {
          ctx.output.info(line);
          const match = PERCENT.exec(line);
          if (match) {
            const percent = Number(match[1]);
            progress.report({ increment: Math.max(0, percent - reported), message: match[2] });
            reported = Math.max(reported, percent);
          } else progress.report({ message: line.slice(0, 120) });
        }
      });
      token.onCancellationRequested(() => {
        cancelled = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
      child.on('error', (error) => resolve({ code: null, stdout, stderr: stderr + error.message, cancelled }));
      child.on('exit', (code) => resolve({ code, stdout, stderr, cancelled }));
    }),
  );
}

/** The CLI's own one-line message (it prints no stack traces for bad input), for a notification. */
export function cliErrorMessage(result: CliTaskResult): string {
  const lines = result.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => l.startsWith('crystal-gan:')).at(-1)?.replace(/^crystal-gan:\s*/, '') ?? lines.at(-1) ?? `exit code ${result.code}`;
}
