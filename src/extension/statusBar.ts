// Health of the background job process in one place (vscode-standards.md §7): a left-aligned
// status-bar item while a run is going — "Composition GAN 37% · D 0.61 G 1.12" with a spinner,
// a warning icon when the job process stops answering — that opens the dashboard when clicked.
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunningJob } from '../jobs/client';
import type { MetricsRecord } from '../jobs/types';
import type { JobChange, JobService } from './jobs/jobService';

interface Latest {
  fraction?: number;
  record?: MetricsRecord;
}

const KIND_LABELS: Record<string, string> = {
  'composition-gan': 'Composition GAN',
  'crystal-gan': 'Crystal GAN',
};

export function registerStatusBar(subscriptions: vscode.Disposable[], jobs: JobService): void {
  const item = vscode.window.createStatusBarItem('crystalGan.job', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Crystal GAN job';
  const latest = new Map<string, Latest>();
  const update = (change?: JobChange) => {
    if (change?.event?.type === 'progress') latest.set(change.runDir, { ...latest.get(change.runDir), fraction: change.event.fraction });
    if (change?.event?.type === 'metrics') latest.set(change.runDir, { ...latest.get(change.runDir), record: change.event.record });
    const running = jobs.running();
    // Enables "Cancel Run" only while something runs (package.json: enablement).
    void vscode.commands.executeCommand('setContext', 'crystalGan.jobRunning', running.length > 0);
    if (running.length === 0) {
      latest.clear();
      item.hide();
      return;
    }
    const job = running[running.length - 1];
    render(item, job, latest.get(job.spec.runDir) ?? {}, running.length);
    item.show();
  };
  // Health changes without an event (no heartbeat): look again every few seconds.
  const timer = setInterval(() => update(), 5000);
  subscriptions.push(item, jobs.onDidChange(update), { dispose: () => clearInterval(timer) });
}

function render(item: vscode.StatusBarItem, job: RunningJob, latest: Latest, count: number): void {
  const label = KIND_LABELS[job.spec.kind] ?? job.spec.kind;
  const percent = latest.fraction !== undefined ? ` ${Math.round(latest.fraction * 100)}%` : '';
  const losses = latest.record ? lossText(latest.record) : '';
  const unhealthy = job.health === 'unresponsive';
  const icon = unhealthy ? '$(warning)' : job.state === 'cancelling' ? '$(debug-stop)' : '$(loading~spin)';
  item.text = `${icon} ${label}${percent}${losses}${count > 1 ? ` (+${count - 1})` : ''}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${label}** — ${job.state}${unhealthy ? ', **no heartbeat from the job process**' : ''}\n\n`);
  tooltip.appendText(`run: ${path.basename(job.spec.runDir)}\npid: ${job.pid ?? '?'}  memory: ${(job.rss / 2 ** 20).toFixed(0)} MiB`);
  tooltip.appendMarkdown('\n\nClick to open the training dashboard.');
  item.tooltip = tooltip;
  item.command = { command: 'crystalGan.openDashboard', title: 'Open Training Dashboard', arguments: [job.spec.runDir] };
  item.backgroundColor = unhealthy ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
}

function lossText(record: MetricsRecord): string {
  const parts: string[] = [];
  if (Number.isFinite(record.criticLoss)) parts.push(`D ${record.criticLoss.toFixed(2)}`);
  if (Number.isFinite(record.generatorLoss)) parts.push(`G ${record.generatorLoss.toFixed(2)}`);
  return parts.length ? ` · ${parts.join(' ')}` : ` · step ${record.step}`;
}
