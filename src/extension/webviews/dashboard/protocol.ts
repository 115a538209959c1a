// The training dashboard's messages, both directions, shared by the host
// (src/extension/webviews/dashboard/panel.ts) and the page (webview/dashboard/main.ts).
// Web-safe: no Node or vscode imports. Each side validates what it receives with the functions
// below; anything else is dropped and reported.
//
//   host → page: init (every run shown, with its full history), metrics (new records of one run),
//                status (a run's status / backend / speed changed)
//   page → host: ready (sent on load; the host answers with init), cancel (the Cancel button),
//                invalid (the page dropped a malformed message: the host logs it)

export type DashboardRunStatus = 'created' | 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/** A record as in metrics.jsonl: step, epoch, time and any named numbers. */
export interface DashboardRecord {
  step: number;
  epoch: number;
  time: number;
  [metric: string]: number;
}

export interface DashboardRun {
  /** The run folder's name (its id in the run store). */
  id: string;
  kind: string;
  status: DashboardRunStatus;
  /** The job's parameters, shown as a table. */
  config: Record<string, string | number | boolean | null>;
  /** The TensorFlow.js backend that ran, e.g. "wasm". */
  backend?: string;
  error?: string;
  records: DashboardRecord[];
}

export type HostToDashboard =
  | { type: 'init'; runs: DashboardRun[] }
  | { type: 'metrics'; runId: string; records: DashboardRecord[] }
  | { type: 'status'; runId: string; status: DashboardRunStatus; backend?: string; error?: string };

export type DashboardToHost =
  | { type: 'ready' }
  | { type: 'cancel'; runId: string }
  | { type: 'invalid'; error: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const STATUSES = new Set<string>(['created', 'running', 'completed', 'cancelled', 'failed', 'interrupted']);
/** Far above any real run; a bound keeps a broken sender from freezing the page. */
const MAX_RECORDS = 1_000_000;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 500;
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';

export function isDashboardRecord(v: unknown): v is DashboardRecord {
  if (!isObject(v)) return false;
  if (![v.step, v.epoch, v.time].every((x) => typeof x === 'number' && Number.isFinite(x))) return false;
  // Losses may be NaN or ±Infinity in a diverging run (JSON turns them into null): numbers or null only.
  return Object.values(v).every((x) => typeof x === 'number' || x === null);
}

function isRecordList(v: unknown): v is DashboardRecord[] {
  return Array.isArray(v) && v.length <= MAX_RECORDS && v.every(isDashboardRecord);
}

function isConfig(v: unknown): boolean {
  return isObject(v) && Object.values(v).every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
}

export function isDashboardRun(v: unknown): v is DashboardRun {
  return isObject(v) && isId(v.id) && typeof v.kind === 'string' && STATUSES.has(v.status as string) && isConfig(v.config)
    && isOptionalString(v.backend) && isOptionalString(v.error) && isRecordList(v.records);
}

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

export function validateHostToDashboard(v: unknown): Checked<HostToDashboard> {
  if (!isObject(v)) return fail('dashboard message: expected an object');
  switch (v.type) {
    case 'init':
      return Array.isArray(v.runs) && v.runs.every(isDashboardRun) ? { ok: true, value: v as HostToDashboard } : fail('init: runs must be a list of runs {id, kind, status, config, records}');
    case 'metrics':
      return isId(v.runId) && isRecordList(v.records) ? { ok: true, value: v as HostToDashboard } : fail('metrics: needs runId and records [{step, epoch, time, …numbers}]');
    case 'status':
      return isId(v.runId) && STATUSES.has(v.status as string) && isOptionalString(v.backend) && isOptionalString(v.error)
        ? { ok: true, value: v as HostToDashboard }
        : fail('status: needs runId and a known status');
    default:
      return fail(`dashboard message: unknown type ${JSON.stringify(v.type) ?? 'undefined'}`);
  }
}

export function validateDashboardToHost(v: unknown): Checked<DashboardToHost> {
  if (!isObject(v)) return fail('message from the dashboard: expected an object');
  switch (v.type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'cancel':
      return isId(v.runId) ? { ok: true, value: { type: 'cancel', runId: v.runId } } : fail('cancel: needs a runId');
    case 'invalid':
      return typeof v.error === 'string' ? { ok: true, value: { type: 'invalid', error: v.error.slice(0, 500) } } : fail('invalid: needs an error');
    default:
      return fail(`message from the dashboard: unknown type ${JSON.stringify(v.type) ?? 'undefined'}`);
  }
}

/** What the page keeps with setState, so a hidden-then-shown tab redraws before the host answers. */
export interface DashboardState {
  runs: DashboardRun[];
}

export function isDashboardState(v: unknown): v is DashboardState {
  return isObject(v) && Array.isArray(v.runs) && v.runs.every(isDashboardRun);
}
