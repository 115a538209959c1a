// Every message between the extension host and the background job process (src/jobs/worker.ts),
// both directions, in one file, plus the runtime validators each side applies to what it
// receives: IPC carries plain JSON from another process, so nothing is trusted by its type alone.
//
//   host → job process:  start, cancel
//   job process → host:  ready (once, on boot), event (log / progress / metrics / artifact),
//                        heartbeat (every HEARTBEAT_INTERVAL_MS), done, failed
import type { JobEvent, MetricsRecord } from './types';

export const PROTOCOL_VERSION = 1;

/**
 * The job kinds the shipped job process runs (src/jobs/registry.ts must cover exactly these).
 * Listed here, not read from the registry, so the extension host knows them without bundling
 * the job code (and TensorFlow.js) into the host.
 */
export const JOB_KINDS = ['composition-gan', 'crystal-gan', 'generate-crystals'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export function isJobKind(kind: string): kind is JobKind {
  return (JOB_KINDS as readonly string[]).includes(kind);
}
export const HEARTBEAT_INTERVAL_MS = 2000;

// ---------------------------------------------------------------- host → job process

export interface StartJobMessage {
  type: 'start';
  jobId: string;
  /** A job kind from src/jobs/registry.ts, e.g. "composition-gan". */
  kind: string;
  /** The job's parameters: plain JSON, checked by the job itself. */
  params: Record<string, unknown>;
  /** The run folder (already created, run.json present). */
  runDir: string;
}

export interface CancelJobMessage {
  type: 'cancel';
  jobId: string;
}

export type HostToWorkerMessage = StartJobMessage | CancelJobMessage;

// ---------------------------------------------------------------- job process → host

export interface WorkerReadyMessage {
  type: 'ready';
  pid: number;
  protocolVersion: number;
  /** The job kinds this process can run. */
  kinds: string[];
}

export interface JobEventMessage {
  type: 'event';
  jobId: string;
  event: JobEvent;
}

export interface HeartbeatMessage {
  type: 'heartbeat';
  time: number;
  /** Resident set size of the job process, bytes. */
  rss: number;
}

export interface JobDoneMessage {
  type: 'done';
  jobId: string;
  /** True when the job stopped early because it was cancelled (it left a resumable checkpoint). */
  cancelled: boolean;
  result: Record<string, unknown>;
}

export interface JobFailedMessage {
  type: 'failed';
  jobId: string;
  error: string;
  /** Stack trace for the log (never shown as the user-facing message). */
  stack?: string;
}

export type WorkerToHostMessage = WorkerReadyMessage | JobEventMessage | HeartbeatMessage | JobDoneMessage | JobFailedMessage;

// ---------------------------------------------------------------- validation

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks `fields` against `rules`, returning the first complaint ("field jobId: expected …"). */
function firstProblem(fields: Fields, rules: Record<string, [(v: unknown) => boolean, string]>): string | undefined {
  for (const [name, [check, expected]] of Object.entries(rules)) {
    if (!check(fields[name])) return `field ${name}: expected ${expected}, got ${describe(fields[name])}`;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `"${v.slice(0, 40)}"` : typeof v;
}

function checked<T>(value: Fields, problem: string | undefined, type: string): Checked<T> {
  return problem ? { ok: false, error: `invalid ${type} message: ${problem}` } : { ok: true, value: value as unknown as T };
}

const LOG_LEVELS = new Set(['info', 'warn', 'error']);
const ARTIFACT_KINDS = new Set(['checkpoint', 'model', 'cif', 'csv', 'report', 'other']);

export function isMetricsRecord(v: unknown): v is MetricsRecord {
  if (!isObject(v) || !isFiniteNumber(v.step) || !isFiniteNumber(v.epoch) || !isFiniteNumber(v.time)) return false;
  // NaN losses are real (a diverging run) and IPC's JSON turns them into null: numbers or null only.
  return Object.values(v).every((x) => typeof x === 'number' || x === null);
}

/** Restores the NaN that JSON serialisation turned into null. */
function withNaN(record: MetricsRecord): MetricsRecord {
  const restored = { ...record };
  for (const [key, value] of Object.entries(restored)) if (value === null) restored[key] = Number.NaN;
  return restored;
}

export function validateJobEvent(v: unknown): Checked<JobEvent> {
  if (!isObject(v)) return { ok: false, error: `invalid job event: expected an object, got ${describe(v)}` };
  switch (v.type) {
    case 'log':
      return checked(v, firstProblem(v, { level: [(x) => LOG_LEVELS.has(x as string), 'info|warn|error'], message: [(x) => typeof x === 'string', 'a string'] }), 'log');
    case 'progress':
      return checked(v, firstProblem(v, { fraction: [(x) => isFiniteNumber(x) && x >= 0 && x <= 1, 'a number in [0, 1]'], message: [(x) => typeof x === 'string', 'a string'] }), 'progress');
    case 'metrics': {
      const problem = firstProblem(v, { record: [isMetricsRecord, 'a metrics record {step, epoch, time, …numbers}'] });
      return problem ? checked(v, problem, 'metrics') : { ok: true, value: { type: 'metrics', record: withNaN(v.record as MetricsRecord) } };
    }
    case 'artifact':
      return checked(v, firstProblem(v, { path: [isNonEmptyString, 'a path'], kind: [(x) => ARTIFACT_KINDS.has(x as string), [...ARTIFACT_KINDS].join('|')] }), 'artifact');
    default:
      return { ok: false, error: `invalid job event: unknown type ${describe(v.type)}` };
  }
}

export function validateHostToWorker(v: unknown): Checked<HostToWorkerMessage> {
  if (!isObject(v)) return { ok: false, error: `invalid message: expected an object, got ${describe(v)}` };
  switch (v.type) {
    case 'start':
      return checked(v, firstProblem(v, {
        jobId: [isNonEmptyString, 'a job id'],
        kind: [isNonEmptyString, 'a job kind'],
        params: [isObject, 'an object'],
        runDir: [isNonEmptyString, 'a run folder path'],
      }), 'start');
    case 'cancel':
      return checked(v, firstProblem(v, { jobId: [isNonEmptyString, 'a job id'] }), 'cancel');
    default:
      return { ok: false, error: `invalid message: unknown type ${describe(v.type)}` };
  }
}

export function validateWorkerToHost(v: unknown): Checked<WorkerToHostMessage> {
  if (!isObject(v)) return { ok: false, error: `invalid message: expected an object, got ${describe(v)}` };
  switch (v.type) {
    case 'ready':
      return checked(v, firstProblem(v, {
        pid: [isFiniteNumber, 'a process id'],
        protocolVersion: [(x) => x === PROTOCOL_VERSION, `protocol version ${PROTOCOL_VERSION}`],
        kinds: [(x) => Array.isArray(x) && x.every((k) => typeof k === 'string'), 'a list of job kinds'],
      }), 'ready');
    case 'event': {
      const problem = firstProblem(v, { jobId: [isNonEmptyString, 'a job id'] });
      if (problem) return checked(v, problem, 'event');
      const event = validateJobEvent(v.event);
      return event.ok ? { ok: true, value: { type: 'event', jobId: v.jobId as string, event: event.value } } : event;
    }
    case 'heartbeat':
      return checked(v, firstProblem(v, { time: [isFiniteNumber, 'a time'], rss: [isFiniteNumber, 'a byte count'] }), 'heartbeat');
    case 'done':
      return checked(v, firstProblem(v, {
        jobId: [isNonEmptyString, 'a job id'],
        cancelled: [(x) => typeof x === 'boolean', 'true or false'],
        result: [isObject, 'an object'],
      }), 'done');
    case 'failed':
      return checked(v, firstProblem(v, {
        jobId: [isNonEmptyString, 'a job id'],
        error: [(x) => typeof x === 'string', 'an error message'],
        stack: [(x) => x === undefined || typeof x === 'string', 'a stack trace or nothing'],
      }), 'failed');
    default:
      return { ok: false, error: `invalid message: unknown type ${describe(v.type)}` };
  }
}
