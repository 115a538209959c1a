// The run store on disk (layout in ./types.ts). Every write that another process may read while
// it happens is atomic: run.json and the `latest` checkpoint pointer are written to a temporary
// file, fsynced and renamed; a checkpoint is written to a temporary folder and renamed into place
// before `latest` names it, so a process killed at any moment leaves the previous one loadable.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MetricsRecord } from '../jobs/types';
import type { RunInfo, RunKind, RunStatus } from './types';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINTS_DIR = 'checkpoints';
export const LATEST_FILE = 'latest';
/** Checkpoints kept besides the latest one (older ones are deleted to bound disk use). */
export const CHECKPOINTS_KEPT = 3;

/** A run-store operation failed; the message names the folder or file and what to do. */
export class RunStoreError extends Error {}

function describeFsError(error: unknown, target: string, action: string): RunStoreError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint: Record<string, string> = {
    ENOSPC: 'the disk is full: free some space or choose another runs folder ($CRYSTAL_GAN_RUNS / crystalGan.runDirectory)',
    EDQUOT: 'the disk quota is exceeded: free some space or choose another runs folder',
    EROFS: 'the file system is read-only: choose a writable runs folder ($CRYSTAL_GAN_RUNS / crystalGan.runDirectory)',
    EACCES: 'permission denied: choose a folder you can write to ($CRYSTAL_GAN_RUNS / crystalGan.runDirectory)',
    EPERM: 'operation not permitted: choose a folder you can write to',
    ENOENT: 'it does not exist',
    ENOTDIR: 'a path component is not a folder',
  };
  const reason = (code && hint[code]) ?? (error instanceof Error ? error.message : String(error));
  return new RunStoreError(`cannot ${action} ${target}: ${reason}${code ? ` (${code})` : ''}`);
}

function guard<T>(target: string, action: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RunStoreError) throw error;
    throw describeFsError(error, target, action);
  }
}

/** The CLI's runs root: $CRYSTAL_GAN_RUNS, else ./.crystal-gan/runs under the current folder. */
export function defaultRunsRoot(env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env.CRYSTAL_GAN_RUNS?.trim();
  return fromEnv ? path.resolve(cwd, fromEnv) : path.join(cwd, '.crystal-gan', 'runs');
}

function fsyncPath(target: string, flags = 'r'): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(target, flags);
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes a file atomically: temporary file in the same folder, fsync, rename, fsync the folder. */
export function writeFileAtomic(file: string, content: string): void {
  guard(file, 'write', () => {
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(3).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.renameSync(tmp, file);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fsyncPath(path.dirname(file));
  });
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export interface CreateRunOptions {
  /** Use this folder instead of a new one under the root (it must be absent or empty). */
  dir?: string;
  now?: Date;
}

export interface RunHandle {
  dir: string;
  info: RunInfo;
}

/** Creates `<root>/<kind>-<timestamp>-<short id>/` (or `options.dir`) with run.json status 'created'. */
export function createRun(root: string, kind: RunKind, config: Record<string, unknown>, options: CreateRunOptions = {}): RunHandle {
  const now = options.now ?? new Date();
  const shortId = crypto.randomBytes(3).toString('hex');
  const dir = path.resolve(options.dir ?? path.join(root, `${kind}-${timestamp(now)}-${shortId}`));
  guard(dir, 'create the run folder', () => {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      throw new RunStoreError(`cannot create the run folder ${dir}: it exists and is not empty (use --resume to continue a run there, or choose another folder)`);
    }
    fs.mkdirSync(path.join(dir, CHECKPOINTS_DIR), { recursive: true });
  });
  const info: RunInfo = {
    id: path.basename(dir),
    kind,
    status: 'created',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    config,
  };
  writeFileAtomic(path.join(dir, RUN_FILE), JSON.stringify(info, null, 2) + '\n');
  return { dir, info };
}

/** Whether a process with this id exists (EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The status to show: 'running' whose process is gone reads as 'interrupted'. */
export function effectiveStatus(info: RunInfo, alive: (pid: number) => boolean = isProcessAlive): RunStatus {
  if (info.status === 'running' && (info.pid === undefined || !alive(info.pid))) return 'interrupted';
  return info.status;
}

/** Reads run.json; the status is corrected to 'interrupted' when the run's process died. */
export function readRun(dir: string): RunInfo {
  const file = path.join(dir, RUN_FILE);
  const text = guard(file, 'read', () => fs.readFileSync(file, 'utf8'));
  let info: RunInfo;
  try {
    info = JSON.parse(text) as RunInfo;
  } catch (error) {
    throw new RunStoreError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof info !== 'object' || info === null || typeof info.id !== 'string' || typeof info.kind !== 'string') {
    throw new RunStoreError(`${file}: not a run description (id and kind missing)`);
  }
  const status = effectiveStatus(info);
  if (status !== info.status) return { ...info, status, error: info.error ?? `the process (pid ${info.pid}) ended without finishing the run` };
  return info;
}

export interface ListedRun extends RunHandle {
  /** Set when the folder looks like a run but run.json cannot be read. */
  problem?: string;
}

/** Runs under `root`, newest first. Unreadable run folders are listed with the problem. */
export function listRuns(root: string): ListedRun[] {
  if (!fs.existsSync(root)) return [];
  const entries = guard(root, 'list', () => fs.readdirSync(root, { withFileTypes: true }));
  const runs: ListedRun[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(root, entry.name);
    if (!fs.existsSync(path.join(dir, RUN_FILE))) continue;
    try {
      runs.push({ dir, info: readRun(dir) });
    } catch (error) {
      const placeholder: RunInfo = { id: entry.name, kind: 'composition-gan', status: 'failed', createdAt: '', updatedAt: '', config: {} };
      runs.push({ dir, info: placeholder, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return runs.sort((a, b) => b.info.createdAt.localeCompare(a.info.createdAt) || b.dir.localeCompare(a.dir));
}

/** Rewrites run.json atomically with the patch applied (updatedAt refreshed). */
export function updateRun(dir: string, patch: Partial<RunInfo> | ((info: RunInfo) => RunInfo)): RunInfo {
  const file = path.join(dir, RUN_FILE);
  const raw = JSON.parse(guard(file, 'read', () => fs.readFileSync(file, 'utf8'))) as RunInfo;
  const next = typeof patch === 'function' ? patch(raw) : { ...raw, ...patch };
  next.updatedAt = new Date().toISOString();
  writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  return next;
}

/** Appends one record to metrics.jsonl (one write call, so a kill tears at most this line). */
export function appendMetrics(dir: string, record: MetricsRecord): void {
  const file = path.join(dir, METRICS_FILE);
  guard(file, 'append to', () => fs.appendFileSync(file, JSON.stringify(record) + '\n'));
}

/** Reads metrics.jsonl; a torn (unterminated or unparsable) last line is ignored. */
export function readMetrics(dir: string): MetricsRecord[] {
  const file = path.join(dir, METRICS_FILE);
  if (!fs.existsSync(file)) return [];
  const text = guard(file, 'read', () => fs.readFileSync(file, 'utf8'));
  const lines = text.split('\n');
  const records: MetricsRecord[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const isLast = index === lines.length - 1; // no newline after it: possibly torn
    try {
      records.push(JSON.parse(line) as MetricsRecord);
    } catch (error) {
      if (isLast || index === lines.length - 2) return;
      throw new RunStoreError(`${file}:${index + 1}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  });
  return records;
}

/**
 * Before resuming from a checkpoint taken at `step`: drops a torn last line and every record
 * after that step (they were computed after the checkpoint and will be computed again).
 */
export function truncateMetricsAfter(dir: string, step: number): void {
  const file = path.join(dir, METRICS_FILE);
  if (!fs.existsSync(file)) return;
  const kept = readMetrics(dir).filter((r) => r.step <= step);
  writeFileAtomic(file, kept.map((r) => JSON.stringify(r) + '\n').join(''));
}

/** Name of the last complete checkpoint, or undefined. */
export function latestCheckpointName(dir: string): string | undefined {
  const pointer = path.join(dir, CHECKPOINTS_DIR, LATEST_FILE);
  if (!fs.existsSync(pointer)) return undefined;
  const name = fs.readFileSync(pointer, 'utf8').trim();
  return name && fs.existsSync(path.join(dir, CHECKPOINTS_DIR, name)) ? name : undefined;
}

/** Folder of the last complete checkpoint, or undefined. */
export function latestCheckpoint(dir: string): string | undefined {
  const name = latestCheckpointName(dir);
  return name ? path.join(dir, CHECKPOINTS_DIR, name) : undefined;
}

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/**
 * Writes a checkpoint: `write` fills a temporary folder, which is renamed to `name` and only then
 * named by `latest`. Older checkpoints beyond CHECKPOINTS_KEPT and stale temporaries are removed.
 */
export async function writeCheckpoint(dir: string, name: string, write: (folder: string) => Promise<void> | void): Promise<string> {
  const root = path.join(dir, CHECKPOINTS_DIR);
  const final = path.join(root, name);
  const tmp = path.join(root, `.tmp-${name}-${process.pid}`);
  guard(root, 'write a checkpoint in', () => {
    fs.mkdirSync(root, { recursive: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
  });
  try {
    await write(tmp);
    guard(final, 'write the checkpoint', () => {
      fsyncPath(tmp);
      fs.rmSync(final, { recursive: true, force: true });
      fs.renameSync(tmp, final);
      fsyncPath(root);
    });
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (error instanceof RunStoreError) throw error;
    throw describeFsError(error, final, 'write the checkpoint');
  }
  writeFileAtomic(path.join(root, LATEST_FILE), name + '\n');
  pruneCheckpoints(root, name);
  return final;
}

function pruneCheckpoints(root: string, latest: string): void {
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  const complete = entries.filter((e) => !e.name.startsWith('.tmp-') && e.name !== latest).map((e) => e.name).sort();
  const stale = entries.filter((e) => e.name.startsWith('.tmp-') && !e.name.endsWith(`-${process.pid}`)).map((e) => e.name);
  for (const name of [...complete.slice(0, Math.max(0, complete.length - (CHECKPOINTS_KEPT - 1))), ...stale]) {
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/** Marks a run whose process died as interrupted on disk (readRun already reports it so). */
export function markInterruptedIfDead(dir: string): RunInfo {
  const info = readRun(dir);
  if (info.status === 'interrupted') return updateRun(dir, { status: 'interrupted', error: info.error });
  return info;
}
