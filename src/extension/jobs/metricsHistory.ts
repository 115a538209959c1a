// The host keeps each shown run's metric history (the dashboard may be destroyed and rebuilt at
// any time: it gets the full history back on `ready`). Records come live from our own jobs, or
// from metrics.jsonl for runs another process writes (a CLI run in the same workspace).
import * as vscode from 'vscode';
import { readMetrics } from '../../runs/store';
import type { MetricsRecord } from '../../jobs/types';

export interface HistoryChange {
  runDir: string;
  /** New records appended at the end, or undefined when the history was replaced (reload, resume). */
  appended?: MetricsRecord[];
}

export class MetricsHistory implements vscode.Disposable {
  private readonly histories = new Map<string, MetricsRecord[]>();
  private readonly changed = new vscode.EventEmitter<HistoryChange>();
  readonly onDidChange = this.changed.event;

  get(runDir: string): MetricsRecord[] {
    let records = this.histories.get(runDir);
    if (!records) {
      records = safeRead(runDir);
      this.histories.set(runDir, records);
    }
    return records;
  }

  append(runDir: string, records: MetricsRecord[]): void {
    this.get(runDir).push(...records);
    this.changed.fire({ runDir, appended: records });
  }

  /** Re-reads metrics.jsonl; sends only the new tail when the file grew, else everything. */
  reload(runDir: string): void {
    if (!this.histories.has(runDir)) return;
    const before = this.histories.get(runDir) ?? [];
    const now = safeRead(runDir);
    this.histories.set(runDir, now);
    const grew = now.length >= before.length && before.every((r, i) => r.step === now[i].step);
    if (grew && now.length === before.length) return;
    this.changed.fire({ runDir, appended: grew ? now.slice(before.length) : undefined });
  }

  /** Runs whose history is held (shown now or recently). */
  tracked(): string[] {
    return [...this.histories.keys()];
  }

  forget(runDir: string): void {
    this.histories.delete(runDir);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function safeRead(runDir: string): MetricsRecord[] {
  try {
    return readMetrics(runDir);
  } catch {
    return []; // a broken metrics file shows as an empty chart; the run tree reports the problem
  }
}
