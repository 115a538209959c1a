// What every background job gets and reports, whether it runs in the forked job process
// (src/jobs/worker.ts, for the editor) or in-process under the CLI. Jobs are plain async
// functions over this context: no vscode, no process.send; the caller decides where events go.

/** A metrics record as appended to metrics.jsonl (one JSON object per line). */
export interface MetricsRecord {
  /** Global optimiser step (generator steps for GANs). */
  step: number;
  epoch: number;
  /** Wall-clock milliseconds since the epoch. */
  time: number;
  [metric: string]: number;
}

export type JobEvent =
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'metrics'; record: MetricsRecord }
  | { type: 'artifact'; path: string; kind: 'checkpoint' | 'model' | 'cif' | 'csv' | 'report' | 'other' };

export interface JobContext {
  /** The run folder this job writes to (already created, run.json present). */
  runDir: string;
  /** Aborted by Cancel Run: stop at the next step boundary and leave a resumable checkpoint. */
  signal: AbortSignal;
  /** Where events go: the IPC channel in the job process, stderr lines under the CLI. */
  emit(event: JobEvent): void;
}

/** A job kind: its parameters are plain JSON; it resolves to a JSON summary stored in run.json. */
export type JobHandler<P = Record<string, unknown>, R = Record<string, unknown>> = (params: P, ctx: JobContext) => Promise<R>;
