// The host side of the CIF worker: starts dist/cifWorker.js on the first large document, feeds it
// through the scheduler (newest version wins), restarts it when it dies, and stops it after a
// minute idle so its memory goes back. No vscode import: the editor glue lives in cifModel.ts.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CifRequestScheduler, transferablesOf, type CifWorkerJob, type CifWorkerResponse, type CifWorkerResults } from './cifWorkerProtocol';

const IDLE_STOP_MS = 60_000;
/** Heap cap of the worker: a 10 MB CIF needs ~500 MB, the syntax-only read of a 50 MB one ~2.5 GB. */
const WORKER_HEAP_MB = 4096;

export class CifWorkerClient {
  private worker: Worker | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly scheduler = new CifRequestScheduler({
    post: (request) => {
      const worker = this.ensureWorker();
      worker.ref(); // busy: keeps a CLI or test process alive until the answer
      worker.postMessage(request, transferablesOf(request));
    },
    restart: () => this.stopWorker(),
  });

  constructor(private readonly script: string, private readonly log: (line: string) => void = () => {}) {}

  request<K extends CifWorkerJob['type']>(job: Extract<CifWorkerJob, { type: K }>): Promise<CifWorkerResults[K]> {
    clearTimeout(this.idleTimer);
    const answer = this.scheduler.submit(job);
    const settle = () => this.scheduleIdleStop();
    answer.then(settle, settle);
    return answer;
  }

  /** How many stale reads were abandoned by restarting the worker. */
  get restarts(): number {
    return this.scheduler.restarts;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.scheduler.cancelAll();
    this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.on('message', (response: CifWorkerResponse) => this.scheduler.receive(response));
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const reason = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory above ${WORKER_HEAP_MB} MB` : error.message;
      this.log(`CIF worker failed: ${reason}`);
      this.scheduler.workerFailed(reason);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // stopped on purpose
      this.worker = undefined;
      this.scheduler.workerFailed(`the CIF worker exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    if (this.scheduler.busy) return;
    // Idle: the worker alone must not keep a process alive.
    this.worker?.unref();
    this.idleTimer = setTimeout(() => this.stopWorker(), IDLE_STOP_MS);
    this.idleTimer.unref?.();
  }
}

let shared: CifWorkerClient | undefined;

/** One worker for the language features and the viewer of this extension host. */
export function sharedCifWorker(extensionPath: string, log?: (line: string) => void): CifWorkerClient {
  shared ??= new CifWorkerClient(path.join(extensionPath, 'dist', 'cifWorker.js'), log);
  return shared;
}

export function disposeSharedCifWorker(): void {
  shared?.dispose();
  shared = undefined;
}
