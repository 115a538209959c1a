// Starts, cancels and resumes runs in the background job process, and tells the rest of the
// editor (tree, dashboard, status bar) what happens. The job process starts lazily, on the first
// run; nothing here trains or featurizes in the extension host.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { JobClient, type JobOutcome, type RunningJob, type RunRecorder } from '../../jobs/client';
import type { JobEvent } from '../../jobs/types';
import { createRun, readRun, updateRun } from '../../runs/store';
import type { RunInfo, RunKind } from '../../runs/types';
import type { CrystalGanContext } from '../context';
import { MetricsHistory } from './metricsHistory';

export interface JobChange {
  runDir: string;
  job: RunningJob;
  /** The job's latest event, when the change is one. */
  event?: JobEvent;
}

/** Writes run.json through the run store, merging a job's summary with what the job wrote itself. */
const storeRecorder: RunRecorder = {
  async update(runDir, patch) {
    updateRun(runDir, (current) => ({ ...current, ...patch, summary: patch.summary ? { ...(current.summary ?? {}), ...patch.summary } : current.summary }));
  },
};

export class JobService implements vscode.Disposable {
  readonly history = new MetricsHistory();
  private client?: JobClient;
  private readonly jobsByRun = new Map<string, RunningJob>();
  private readonly changed = new vscode.EventEmitter<JobChange>();
  readonly onDidChange = this.changed.event;
  private readonly poller: NodeJS.Timeout;

  constructor(private readonly ctx: CrystalGanContext) {
    // Runs written by another process (the CLI) have no live events: follow their metrics.jsonl.
    this.poller = setInterval(() => this.pollForeignRuns(), 3000);
  }

  private jobClient(): JobClient {
    this.client ??= new JobClient({
      workerPath: this.ctx.asAbsolutePath(path.join('dist', 'worker.js')),
      recorder: storeRecorder,
      env: this.workerEnv(),
      log: (line) => this.ctx.output.info(line),
    });
    return this.client;
  }

  /** The job process gets the data directory the editor resolved, so both agree. */
  private workerEnv(): NodeJS.ProcessEnv {
    try {
      return { CRYSTAL_GAN_DATA: this.ctx.dataDir().path };
    } catch {
      return {};
    }
  }

  running(): RunningJob[] {
    return [...this.jobsByRun.values()];
  }

  jobFor(runDir: string): RunningJob | undefined {
    return this.jobsByRun.get(runDir);
  }

  /** Creates a run folder under the runs root and starts its job. */
  async startRun(kind: RunKind, config: Record<string, unknown>): Promise<{ runDir: string; job: RunningJob }> {
    const { dir } = createRun(this.ctx.runsRoot(), kind, config);
    const job = await this.launch(dir, kind, config);
    return { runDir: dir, job };
  }

  /** Continues a cancelled, interrupted or failed run from its last complete checkpoint. */
  async resumeRun(runDir: string): Promise<RunningJob> {
    if (this.jobsByRun.has(runDir)) throw new Error(`${path.basename(runDir)} is already running`);
    const info = readRun(runDir);
    if (info.status === 'running') throw new Error(`${info.id} is running in another process (pid ${info.pid})`);
    if (info.status === 'completed') throw new Error(`${info.id} has completed; start a new run instead`);
    updateRun(runDir, (current) => ({ ...current, resumes: (current.resumes ?? 0) + 1, error: undefined, finishedAt: undefined }));
    this.history.forget(runDir);
    // The job finds the run's last complete checkpoint itself and continues from it.
    return this.launch(runDir, info.kind, info.config);
  }

  async cancel(runDir: string): Promise<JobOutcome | undefined> {
    return this.jobsByRun.get(runDir)?.cancel();
  }

  private async launch(runDir: string, kind: RunKind, params: Record<string, unknown>): Promise<RunningJob> {
    const job = await this.jobClient().start({ kind, params, runDir });
    this.jobsByRun.set(runDir, job);
    this.history.get(runDir);
    job.onEvent((event) => {
      if (event.type === 'metrics') this.history.append(runDir, [event.record]);
      if (event.type === 'log') this.ctx.output[event.level](`[${path.basename(runDir)}] ${event.message}`);
      this.changed.fire({ runDir, job, event });
    });
    job.onStateChange(() => this.changed.fire({ runDir, job }));
    void job.finished.then((outcome) => this.finished(runDir, job, outcome));
    // Long runs show progress where they live: on the run-history view (not a notification).
    void vscode.window.withProgress({ location: { viewId: 'crystalGan.runs' } }, () => job.finished);
    this.changed.fire({ runDir, job });
    return job;
  }

  private finished(runDir: string, job: RunningJob, outcome: JobOutcome): void {
    this.jobsByRun.delete(runDir);
    this.history.reload(runDir); // reconcile with what the job wrote to metrics.jsonl
    this.changed.fire({ runDir, job });
    const name = path.basename(runDir);
    if (outcome.status === 'failed') {
      this.ctx.output.error(`[${name}] failed: ${outcome.error}`);
      void vscode.window.showErrorMessage(`Crystal GAN run ${name} failed: ${firstLine(outcome.error)}`, 'Show Log', 'Open Dashboard').then((pick) => this.afterNotice(pick, runDir));
    } else {
      const verb = outcome.status === 'completed' ? 'completed' : 'was cancelled (resume it from the run history)';
      void vscode.window.showInformationMessage(`Crystal GAN run ${name} ${verb}.`, 'Open Dashboard').then((pick) => this.afterNotice(pick, runDir));
    }
  }

  private afterNotice(pick: string | undefined, runDir: string): void {
    if (pick === 'Show Log') this.ctx.output.show();
    if (pick === 'Open Dashboard') void vscode.commands.executeCommand('crystalGan.openDashboard', runDir);
  }

  private pollForeignRuns(): void {
    for (const runDir of this.history.tracked()) {
      if (!this.jobsByRun.has(runDir) && fs.existsSync(runDir)) this.history.reload(runDir);
    }
  }

  dispose(): void {
    clearInterval(this.poller);
    void this.client?.dispose();
    this.history.dispose();
    this.changed.dispose();
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0];
}

/** run.json of a folder, or undefined when it cannot be read. */
export function tryReadRun(runDir: string): RunInfo | undefined {
  try {
    return readRun(runDir);
  } catch {
    return undefined;
  }
}
