// Host side of the job process (no vscode import, so it runs under node:test): forks
// dist/worker.js once per job, starts and cancels it, watches its health, and records the run's
// status in run.json — including when the process dies without a word, so the run shows as
// failed with its error and the editor keeps working. Training never runs in the host itself.
//
// Cancel is graceful first: a `cancel` message (the job stops at the next step boundary and
// leaves a checkpoint), SIGTERM after `sigtermAfterMs` (the job process treats it as one more
// abort and still lets the job checkpoint), SIGKILL after `sigkillAfterMs` (long enough for one
// slow step plus a checkpoint). A run stopped this way is marked cancelled (resumable from its
// last complete checkpoint).
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { validateWorkerToHost, type HostToWorkerMessage, type WorkerToHostMessage } from './protocol';
import type { JobEvent } from './types';
import type { RunInfo } from '../runs/types';

export interface JobSpec {
  kind: string;
  params: Record<string, unknown>;
  /** The run folder, already created with its run.json. */
  runDir: string;
}

export type JobState = 'starting' | 'running' | 'cancelling' | 'completed' | 'cancelled' | 'failed';

export interface JobOutcome {
  status: 'completed' | 'cancelled' | 'failed';
  result?: Record<string, unknown>;
  error?: string;
}

/** Writes status changes into a run's run.json (src/runs/store.ts in the product; a fake in tests). */
export interface RunRecorder {
  update(runDir: string, patch: Partial<RunInfo>): Promise<void>;
}

export interface JobClientOptions {
  /** The job process entry: dist/worker.js (or a test worker run through tsx). */
  workerPath: string;
  /** Node flags for the job process (default none: not the host's inspector flags). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  recorder: RunRecorder;
  sigtermAfterMs?: number;
  sigkillAfterMs?: number;
  /** No heartbeat for this long while alive → health 'unresponsive' (the job is not killed). */
  heartbeatTimeoutMs?: number;
  /** Diagnostic lines (the job process's stderr, ignored messages) for an output channel. */
  log?: (line: string) => void;
}

export type JobHealth = 'ok' | 'unresponsive';

type Listener<T> = (value: T) => void;

class Listeners<T> {
  private readonly set = new Set<Listener<T>>();
  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  fire(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
}

const STDERR_TAIL_CHARS = 4000;

/** One job in its own process. */
export class RunningJob {
  readonly id = randomUUID();
  readonly finished: Promise<JobOutcome>;
  state: JobState = 'starting';
  lastHeartbeat = Date.now();
  /** Resident memory of the job process at the last heartbeat, bytes. */
  rss = 0;
  private readonly eventListeners = new Listeners<JobEvent>();
  private readonly stateListeners = new Listeners<JobState>();
  private resolveFinished!: (outcome: JobOutcome) => void;
  private outcome?: JobOutcome;
  private stderrTail = '';
  private cancelRequested = false;
  private workerReady = false;
  private recordedRunning = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(readonly spec: JobSpec, private readonly child: ChildProcess, private readonly options: JobClientOptions) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    child.on('message', (raw: unknown) => this.onMessage(raw));
    child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => options.log?.(chunk.toString().trimEnd()));
    child.on('error', (error) => this.finish({ status: 'failed', error: `job process error: ${error.message}` }));
    child.on('exit', (code, signal) => this.onExit(code, signal));
    const watchdog = setInterval(() => this.checkHeartbeat(), 1000);
    watchdog.unref();
    this.timers.push(watchdog);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get health(): JobHealth {
    return Date.now() - this.lastHeartbeat > (this.options.heartbeatTimeoutMs ?? 30_000) ? 'unresponsive' : 'ok';
  }

  onEvent(listener: Listener<JobEvent>): () => void {
    return this.eventListeners.add(listener);
  }

  onStateChange(listener: Listener<JobState>): () => void {
    return this.stateListeners.add(listener);
  }

  /** Asks the job to stop, then escalates to SIGTERM and SIGKILL. Resolves with the outcome. */
  cancel(): Promise<JobOutcome> {
    if (this.outcome || this.cancelRequested) return this.finished;
    this.cancelRequested = true;
    this.setState('cancelling');
    this.send({ type: 'cancel', jobId: this.id });
    this.timers.push(setTimeout(() => this.child.kill('SIGTERM'), this.options.sigtermAfterMs ?? 1000));
    this.timers.push(setTimeout(() => this.child.kill('SIGKILL'), this.options.sigkillAfterMs ?? 30_000));
    return this.finished;
  }

  /** Called once run.json says `running`, so the final status can never be overwritten by it. */
  allowStart(): void {
    this.recordedRunning = true;
    this.sendStartWhenBothReady();
  }

  private sendStartWhenBothReady(): void {
    if (!this.workerReady || !this.recordedRunning || this.state !== 'starting') return;
    this.send({ type: 'start', jobId: this.id, kind: this.spec.kind, params: this.spec.params, runDir: this.spec.runDir });
    this.setState('running');
  }

  send(message: HostToWorkerMessage): void {
    if (this.child.connected) this.child.send(message, (error) => error && this.options.log?.(`send failed: ${error.message}`));
  }

  private onMessage(raw: unknown): void {
    const checked = validateWorkerToHost(raw);
    if (!checked.ok) {
      this.options.log?.(`ignored from job process ${this.pid}: ${checked.error}`);
      return;
    }
    this.handle(checked.value);
  }

  private handle(message: WorkerToHostMessage): void {
    this.lastHeartbeat = Date.now();
    switch (message.type) {
      case 'ready':
        this.workerReady = true;
        this.sendStartWhenBothReady();
        return;
      case 'heartbeat':
        this.rss = message.rss;
        return;
      case 'event':
        if (message.jobId === this.id) this.eventListeners.fire(message.event);
        return;
      case 'done':
        this.finish(message.cancelled ? { status: 'cancelled', result: message.result } : { status: 'completed', result: message.result });
        return;
      case 'failed':
        if (message.stack) this.options.log?.(message.stack);
        this.finish({ status: 'failed', error: message.error });
        return;
    }
  }

  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    this.options.log?.(text.trimEnd());
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.clearTimers();
    if (this.outcome) return;
    if (this.cancelRequested) return this.finish({ status: 'cancelled' });
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const lastLines = this.stderrTail.trim().split('\n').slice(-5).join('\n');
    this.finish({ status: 'failed', error: `the job process ${how} before the job finished${lastLines ? `:\n${lastLines}` : ''}` });
  }

  private checkHeartbeat(): void {
    if (this.health === 'unresponsive') this.options.log?.(`job process ${this.pid}: no heartbeat for ${Math.round((Date.now() - this.lastHeartbeat) / 1000)} s`);
  }

  private finish(outcome: JobOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.setState(outcome.status);
    void recordOutcome(this.options.recorder, this.spec.runDir, outcome)
      .catch((error: unknown) => this.options.log?.(`could not record the run's status in ${this.spec.runDir}: ${String(error)}`))
      .finally(() => this.resolveFinished(outcome));
  }

  private clearTimers(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }

  private setState(state: JobState): void {
    if (this.state === state) return;
    this.state = state;
    this.stateListeners.fire(state);
  }
}

async function recordOutcome(recorder: RunRecorder, runDir: string, outcome: JobOutcome): Promise<void> {
  const now = new Date().toISOString();
  const patch: Partial<RunInfo> = { status: outcome.status, updatedAt: now, finishedAt: now, pid: undefined };
  if (outcome.error) patch.error = outcome.error;
  const summary = summaryOf(outcome.result);
  if (summary) patch.summary = summary;
  await recorder.update(runDir, patch);
}

/** The numbers and short strings of a job's result, for the run history's description. */
function summaryOf(result: Record<string, unknown> | undefined): Record<string, number | string> | undefined {
  if (!result) return undefined;
  const entries = Object.entries(result).filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.length <= 200));
  return entries.length ? (Object.fromEntries(entries) as Record<string, number | string>) : undefined;
}

/** Starts jobs, each in a fresh job process, and keeps track of the ones still running. */
export class JobClient {
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly options: JobClientOptions) {}

  async start(spec: JobSpec): Promise<RunningJob> {
    const child = fork(this.options.workerPath, [], {
      execArgv: this.options.execArgv ?? [],
      // In desktop VS Code process.execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const job = new RunningJob(spec, child, this.options);
    this.running.set(job.id, job);
    void job.finished.then(() => this.running.delete(job.id));
    const now = new Date().toISOString();
    try {
      await this.options.recorder.update(spec.runDir, { status: 'running', pid: child.pid, updatedAt: now, error: undefined, finishedAt: undefined });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    job.allowStart();
    return job;
  }

  /** Cancels the job and starts the same spec again in a fresh process (e.g. after it hung). */
  async restart(job: RunningJob, params: Record<string, unknown> = job.spec.params): Promise<RunningJob> {
    await job.cancel();
    return this.start({ ...job.spec, params });
  }

  jobs(): RunningJob[] {
    return [...this.running.values()];
  }

  findByRunDir(runDir: string): RunningJob | undefined {
    return this.jobs().find((job) => job.spec.runDir === runDir);
  }

  /** Cancels everything still running (extension deactivation). */
  async dispose(): Promise<void> {
    await Promise.all(this.jobs().map((job) => job.cancel()));
  }
}
