// Messages between the extension host and the CIF worker (cifWorker.ts), and the scheduler that
// keeps the worker on the newest version of each document: one request runs at a time; a new
// version of a document drops its queued older requests, and when the worker is busy reading an
// older version of it, the worker is restarted (a read of a 50 MB file cannot be interrupted any
// other way, and restarting frees its memory at once). Pure logic, unit-tested without a thread.
import type { TextEdit } from '../../core/cif/segments';
import type { CifPosition } from '../../core/cif/types';
import type { ViewerModel } from '../webviews/crystal/protocol';
import type { CifAnalysis, HoverAnswer } from './cifWorkerAnalysis';

/**
 * The text itself; a path the worker reads (a saved file: the host never builds the string); or
 * the text as UTF-8 pieces built a few at a time and transferred, not copied (a large unsaved file).
 */
export type CifSource = { text: string } | { path: string } | { utf8: Uint8Array[] };

/** Buffers a request can hand over to the worker instead of copying them. */
export function transferablesOf(request: CifWorkerRequest): ArrayBuffer[] {
  return 'source' in request && 'utf8' in request.source ? request.source.utf8.map((piece) => piece.buffer as ArrayBuffer) : [];
}

/** The content changes that made `version` from `version - 1`, in VS Code's order. */
export interface VersionEdits {
  version: number;
  edits: TextEdit[];
}

export type CifWorkerJob =
  | { type: 'analyze'; key: string; version: number; source: CifSource; fileName: string; unknownTags: boolean }
  /** Edits since a version the worker may hold: it applies those newer than its text and re-reads the changed blocks. */
  | { type: 'edit'; key: string; version: number; steps: VersionEdits[]; fileName: string; unknownTags: boolean }
  | { type: 'hover'; key: string; version: number; position: CifPosition }
  | { type: 'viewer'; key: string; version: number; source: CifSource; fileName: string; blockIndex: number }
  | { type: 'forget'; key: string; version: number };

export type CifWorkerRequest = CifWorkerJob & { id: number };

export interface CifWorkerResults {
  analyze: CifAnalysis;
  /** 'not-read': the worker does not hold a version the steps start from (send the text instead). */
  edit: CifAnalysis | 'not-read';
  /** null: nothing to say there; 'not-read': the worker does not hold that version (read it again). */
  hover: HoverAnswer | null | 'not-read';
  viewer: ViewerModel;
  forget: null;
}

export type CifWorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** A request dropped because a newer version of its document was asked for. */
export class CifRequestCancelled extends Error {
  constructor(readonly key: string, readonly version: number) {
    super(`CIF request for ${key} version ${version} superseded by a newer version`);
  }
}

interface Queued {
  request: CifWorkerRequest;
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** Superseded while in flight but left to finish: its answer is dropped. */
  abandoned?: boolean;
}

/** What the scheduler needs from a worker thread; the client gives a real one, tests a fake. */
export interface CifWorkerTransport {
  post(request: CifWorkerRequest): void;
  /** Stops the worker now and starts a fresh one (used to abandon a stale read). */
  restart(): void;
}

export class CifRequestScheduler {
  private readonly queue: Queued[] = [];
  private current: Queued | undefined;
  private nextId = 1;
  /** How many times a stale read was abandoned by restarting the worker (for tests and the log). */
  restarts = 0;

  constructor(private readonly transport: CifWorkerTransport) {}

  submit<K extends CifWorkerJob['type']>(job: Extract<CifWorkerJob, { type: K }>): Promise<CifWorkerResults[K]> {
    this.dropStale(job.key, job.version);
    return new Promise<CifWorkerResults[K]>((resolve, reject) => {
      this.queue.push({ request: { ...job, id: this.nextId++ }, resolve: resolve as (r: unknown) => void, reject });
      this.pump();
    });
  }

  /** The worker answered the current request. */
  receive(response: CifWorkerResponse): void {
    const current = this.current;
    if (!current || current.request.id !== response.id) return; // an answer from a worker since restarted
    this.current = undefined;
    if (current.abandoned) current.reject(new CifRequestCancelled(current.request.key, current.request.version));
    else if (response.ok) current.resolve(response.result);
    else current.reject(new Error(response.error));
    this.pump();
  }

  /** The worker died (out of memory, crash): the current request fails with the reason, the rest go on. */
  workerFailed(reason: string): void {
    const current = this.current;
    this.current = undefined;
    current?.reject(new Error(reason));
    this.transport.restart();
    this.pump();
  }

  /** Rejects every request (the extension is shutting down). */
  cancelAll(): void {
    for (const q of [...(this.current ? [this.current] : []), ...this.queue.splice(0)]) q.reject(new CifRequestCancelled(q.request.key, q.request.version));
    this.current = undefined;
  }

  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  private dropStale(key: string, version: number): void {
    const stale = (q: Queued) => q.request.key === key && q.request.version < version;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (stale(this.queue[i])) {
        const [dropped] = this.queue.splice(i, 1);
        dropped.reject(new CifRequestCancelled(key, dropped.request.version));
      }
    }
    if (this.current && stale(this.current) && this.current.request.type === 'edit') {
      // An edit re-reads a block or two and the worker keeps the text it builds on: let it finish.
      this.current.abandoned = true;
      this.current.reject(new CifRequestCancelled(key, this.current.request.version));
    } else if (this.current && stale(this.current) && !this.current.abandoned) {
      const abandoned = this.current;
      this.current = undefined;
      this.restarts++;
      this.transport.restart();
      abandoned.reject(new CifRequestCancelled(key, abandoned.request.version));
    }
  }

  private pump(): void {
    if (this.current) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.transport.post(next.request);
  }
}
