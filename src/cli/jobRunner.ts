// Runs a job handler in-process for the CLI, the way the editor's job process runs it in a
// child: creates (or resumes) the run folder, keeps run.json's status and pid true, prints
// progress and metrics to stderr, turns SIGINT/SIGTERM into the job's abort signal (the job then
// checkpoints and the run is marked cancelled, resumable), and prints the run folder on stdout.
import path from 'node:path';
import type { JobEvent, JobHandler, MetricsRecord } from '../jobs/types';
import { createRun, defaultRunsRoot, readRun, RunStoreError, updateRun } from '../runs/store';
import type { RunInfo, RunKind } from '../runs/types';
import { InputError, type CliIO } from './command';

/** Exit code of a run stopped by SIGINT/SIGTERM after a clean checkpoint (shell convention 128+2). */
export const EXIT_CANCELLED = 130;

export interface RunJobOptions<P> {
  kind: RunKind;
  handler: JobHandler<P>;
  /** Parameters of a new run; on --resume they are merged over the stored config. */
  params: P;
  io: CliIO;
  /** Folder for the new run (--out); default a new folder under the runs root. */
  out?: string;
  /** Existing run folder to continue (--resume). */
  resume?: string;
  runsRoot?: string;
  /** Progress lines at most this often (ms); metrics lines are printed every `metricsEvery` records. */
  progressIntervalMs?: number;
  metricsEvery?: number;
}

export interface RunJobResult {
  runDir: string;
  info: RunInfo;
  exitCode: number;
}

function openRun<P>(options: RunJobOptions<P>): { dir: string; params: P } {
  if (options.resume) {
    const dir = path.resolve(options.resume);
    let info: RunInfo;
    try {
      info = readRun(dir);
    } catch (error) {
      throw new InputError(`--resume ${options.resume}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (info.kind !== options.kind) throw new InputError(`--resume ${dir}: that is a ${info.kind} run, not ${options.kind}`);
    if (info.status === 'running') throw new InputError(`--resume ${dir}: the run is still running (pid ${info.pid})`);
    const params = { ...(info.config as P), ...definedOnly(options.params) } as P;
    updateRun(dir, (current) => ({ ...current, config: params as Record<string, unknown>, resumes: (current.resumes ?? 0) + 1, error: undefined, finishedAt: undefined }));
    return { dir, params };
  }
  const root = options.runsRoot ?? defaultRunsRoot();
  const { dir } = createRun(root, options.kind, definedOnly(options.params) as Record<string, unknown>, { dir: options.out });
  return { dir, params: options.params };
}

/** Drops undefined values so a resumed run keeps its stored settings for flags not given. */
function definedOnly<P>(params: P): Partial<P> {
  return Object.fromEntries(Object.entries(params as Record<string, unknown>).filter(([, v]) => v !== undefined)) as Partial<P>;
}

function formatMetrics(record: MetricsRecord): string {
  const parts = Object.entries(record)
    .filter(([key]) => key !== 'time' && key !== 'step' && key !== 'epoch')
    .map(([key, value]) => `${key}=${Number.isInteger(value) ? value : value.toPrecision(4)}`);
  return `[step ${record.step} epoch ${record.epoch}] ${parts.join(' ')}`;
}

function makeEmitter(io: CliIO, options: { progressIntervalMs: number; metricsEvery: number }): (event: JobEvent) => void {
  let lastProgress = 0;
  let metricsSeen = 0;
  return (event) => {
    switch (event.type) {
      case 'log':
        io.err(event.level === 'info' ? event.message : `${event.level}: ${event.message}`);
        break;
      case 'progress': {
        const now = Date.now();
        if (now - lastProgress >= options.progressIntervalMs || event.fraction >= 1) {
          lastProgress = now;
          io.err(`${(event.fraction * 100).toFixed(1).padStart(5)}% ${event.message}`);
        }
        break;
      }
      case 'metrics':
        if (metricsSeen++ % options.metricsEvery === 0) io.err(formatMetrics(event.record));
        break;
      case 'artifact':
        if (event.kind !== 'checkpoint') io.err(`wrote ${event.path}`);
        break;
    }
  };
}

/** Wires SIGINT/SIGTERM to the controller; a second signal exits at once. Returns the unhook. */
function hookSignals(controller: AbortController, io: CliIO): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.err(`${signal} again: exiting without a final checkpoint (the last one is kept)`);
      process.exit(EXIT_CANCELLED);
    }
    io.err(`${signal}: stopping at the next step and writing a checkpoint (press again to quit at once)`);
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Runs `handler` to completion, cancellation or failure, recording each in run.json. Input
 * errors from the job are rethrown (as InputError) after the run is marked failed, so the CLI
 * prints them without a stack trace.
 */
export async function runJob<P>(options: RunJobOptions<P>): Promise<RunJobResult> {
  let opened: { dir: string; params: P };
  try {
    opened = openRun(options);
  } catch (error) {
    if (error instanceof RunStoreError) throw new InputError(error.message);
    throw error;
  }
  const { dir, params } = opened;
  const controller = new AbortController();
  const unhook = hookSignals(controller, options.io);
  updateRun(dir, { status: 'running', pid: process.pid });
  options.io.err(`run folder: ${dir}`);
  const emit = makeEmitter(options.io, { progressIntervalMs: options.progressIntervalMs ?? 2000, metricsEvery: options.metricsEvery ?? 10 });
  try {
    const summary = await options.handler(params, { runDir: dir, signal: controller.signal, emit });
    const status = controller.signal.aborted ? 'cancelled' : 'completed';
    const info = updateRun(dir, (current) => ({
      ...current,
      status,
      pid: undefined,
      finishedAt: new Date().toISOString(),
      summary: { ...(current.summary ?? {}), ...flatSummary(summary) },
    }));
    if (status === 'cancelled') options.io.err(`cancelled; continue with --resume ${dir}`);
    options.io.out(dir);
    return { runDir: dir, info, exitCode: status === 'cancelled' ? EXIT_CANCELLED : 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    updateRun(dir, { status: 'failed', pid: undefined, finishedAt: new Date().toISOString(), error: message });
    if (error instanceof RunStoreError) throw new InputError(message);
    throw error;
  } finally {
    unhook();
  }
}

/** Keeps the numbers and strings of a job's summary (run.json's summary is flat). */
function flatSummary(summary: Record<string, unknown>): Record<string, number | string> {
  const flat: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(summary ?? {})) {
    if (typeof value === 'number' || typeof value === 'string') flat[key] = value;
  }
  return flat;
}
