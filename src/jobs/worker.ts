// Entry of the background job process (bundled to dist/worker.js and forked by src/jobs/client.ts).
// It runs one job and exits: validates every message from the host, runs the handler from the
// registry with an AbortSignal wired to `cancel` (and to SIGTERM), streams the job's events back,
// sends a heartbeat so the host can tell "busy" from "hung", and exits cleanly when done. It never
// writes the run's status: the host does that, also when this process dies.
import { HEARTBEAT_INTERVAL_MS, PROTOCOL_VERSION, validateHostToWorker, type StartJobMessage, type WorkerToHostMessage } from './protocol';
import { jobKinds, jobRegistry, type JobRegistry } from './registry';
import type { JobEvent } from './types';

/** How long the job gets to reach a checkpoint after SIGTERM or a lost host before the process exits. */
const ABORT_GRACE_MS = 25_000;

function send(message: WorkerToHostMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function errorText(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: error.message || error.name, stack: error.stack };
  return { error: String(error) };
}

class WorkerProcess {
  private running?: { jobId: string; controller: AbortController };
  private readonly heartbeat: NodeJS.Timeout;
  private leaving = false;

  constructor(private readonly registry: JobRegistry) {
    this.heartbeat = setInterval(() => void send({ type: 'heartbeat', time: Date.now(), rss: process.memoryUsage().rss }), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  listen(): void {
    process.on('message', (raw: unknown) => this.onMessage(raw));
    // SIGTERM (the host's second step of Cancel) and a lost host both mean: stop at the next step
    // boundary, leave a checkpoint, then go. The host sends SIGKILL if even that takes too long.
    process.on('SIGTERM', () => this.abortAndLeave('terminated'));
    process.on('disconnect', () => this.abortAndLeave('the editor went away'));
    void send({ type: 'ready', pid: process.pid, protocolVersion: PROTOCOL_VERSION, kinds: jobKinds(this.registry) });
  }

  private onMessage(raw: unknown): void {
    const message = validateHostToWorker(raw);
    if (!message.ok) {
      process.stderr.write(`crystal-gan job process: ignored ${message.error}\n`);
      return;
    }
    if (message.value.type === 'start') void this.run(message.value);
    else if (this.running?.jobId === message.value.jobId) this.running.controller.abort(new Error('cancelled'));
  }

  private async run(start: StartJobMessage): Promise<void> {
    if (this.running) {
      await send({ type: 'failed', jobId: start.jobId, error: `this job process already runs job ${this.running.jobId}; start another process` });
      return;
    }
    const controller = new AbortController();
    this.running = { jobId: start.jobId, controller };
    const emit = (event: JobEvent) => void send({ type: 'event', jobId: start.jobId, event });
    try {
      const load = this.registry[start.kind];
      if (!load) throw new Error(`unknown job kind "${start.kind}" (this build runs: ${jobKinds(this.registry).join(', ') || 'none'})`);
      const handler = await load();
      const result = await handler(start.params, { runDir: start.runDir, signal: controller.signal, emit });
      await send({ type: 'done', jobId: start.jobId, cancelled: controller.signal.aborted, result: result ?? {} });
    } catch (error) {
      // A handler that throws because it was aborted was cancelled, not broken.
      if (controller.signal.aborted) await send({ type: 'done', jobId: start.jobId, cancelled: true, result: {} });
      else await send({ type: 'failed', jobId: start.jobId, ...errorText(error) });
    } finally {
      this.running = undefined;
      this.exit(0);
    }
  }

  private abortAndLeave(why: string): void {
    if (!this.running) return this.exit(0);
    this.running.controller.abort(new Error(why));
    setTimeout(() => this.exit(1), ABORT_GRACE_MS).unref();
  }

  private exit(code: number): void {
    if (this.leaving) return;
    this.leaving = true;
    clearInterval(this.heartbeat);
    if (process.connected) process.disconnect();
    // Let the last IPC message and stderr flush, then leave even if a library holds a handle open.
    setTimeout(() => process.exit(code), 50);
  }
}

/** Starts the job process loop with the given registry (tests pass one with extra fake kinds). */
export function runWorker(registry: JobRegistry = jobRegistry): void {
  if (!process.send) {
    process.stderr.write('crystal-gan job process: start me with child_process.fork (no IPC channel)\n');
    process.exit(2);
  }
  new WorkerProcess(registry).listen();
}

if (require.main === module) runWorker();
