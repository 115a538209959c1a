// The run history (vscode-standards.md §9): one row per run folder in the run store, newest
// first, with a status icon, the kind and start time, the best metric in the description and the
// config in the tooltip. Refreshed by our own jobs and by a watcher on the runs folder, so runs
// started from the CLI in the same workspace appear too.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { listRuns, type ListedRun } from '../../runs/store';
import type { RunInfo, RunStatus } from '../../runs/types';
import type { CrystalGanContext } from '../context';
import type { JobService } from '../jobs/jobService';

export const RUNS_VIEW = 'crystalGan.runs';
const POLL_INTERVAL_MS = 2000;

const STATUS_ICONS: Record<RunStatus, [string, string?]> = {
  created: ['circle-outline'],
  running: ['loading~spin'],
  completed: ['pass', 'testing.iconPassed'],
  cancelled: ['debug-stop', 'disabledForeground'],
  failed: ['error', 'testing.iconFailed'],
  interrupted: ['warning', 'list.warningForeground'],
};

/** The run-history row for one run folder. */
export class RunItem extends vscode.TreeItem {
  constructor(readonly run: ListedRun) {
    super(run.info.id, vscode.TreeItemCollapsibleState.None);
    const { info } = run;
    const [icon, colour] = STATUS_ICONS[info.status] ?? ['question'];
    this.id = run.dir;
    this.label = `${info.kind} · ${formatTime(info.createdAt)}`;
    this.description = `${info.status}${bestMetric(info) ? ` · ${bestMetric(info)}` : ''}`;
    this.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    this.tooltip = tooltipFor(run);
    this.resourceUri = vscode.Uri.file(run.dir);
    // contextValue drives the inline and context-menu actions in package.json.
    const resumable = ['cancelled', 'interrupted', 'failed'].includes(info.status) && ['composition-gan', 'crystal-gan'].includes(info.kind);
    this.contextValue = ['run', `status-${info.status}`, resumable ? 'resumable' : '', info.kind.endsWith('gan') ? 'training' : ''].filter(Boolean).join(' ');
    this.command = { command: 'crystalGan.openDashboard', title: 'Open Training Dashboard', arguments: [this] };
    this.accessibilityInformation = { label: `${info.kind} run ${info.id}, ${info.status}, started ${formatTime(info.createdAt)}` };
  }
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '?' : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The figure users compare runs by: a held-out or final loss, else the first number in the summary. */
function bestMetric(info: RunInfo): string | undefined {
  const summary = info.summary ?? {};
  const preferred = ['heldOutCriticLoss', 'heldOutWasserstein', 'structuralValidity', 'validRate', 'mae', 'finalLoss'];
  const key = preferred.find((k) => typeof summary[k] === 'number') ?? Object.keys(summary).find((k) => typeof summary[k] === 'number');
  if (!key) return undefined;
  const value = summary[key] as number;
  return `${key} ${Math.abs(value) >= 1000 || Number.isInteger(value) ? value : value.toPrecision(3)}`;
}

function tooltipFor(run: ListedRun): vscode.MarkdownString {
  const { info } = run;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${info.kind}** — ${info.status}\n\n`);
  if (run.problem) md.appendText(`⚠ ${run.problem}\n\n`);
  if (info.error) md.appendText(`error: ${info.error}\n\n`);
  const rows = [
    ...Object.entries(info.config ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
    ...(info.backend ? [['backend', info.backend.name]] : []),
    ...Object.entries(info.summary ?? {}).map(([k, v]) => [k, String(v)]),
    ...(info.resumes ? [['resumes', String(info.resumes)]] : []),
  ];
  // appendText escapes Markdown: config values come from the workspace.
  md.appendText(rows.map(([k, v]) => `${k}: ${v}`).join('\n'));
  md.appendText(`\n\n${run.dir}`);
  return md;
}

export class RunTreeProvider implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private watcher?: vscode.FileSystemWatcher;
  private refreshTimer?: NodeJS.Timeout;
  private readonly pollTimer: NodeJS.Timeout;
  private lastSignature = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: CrystalGanContext, jobs: JobService) {
    this.watchRunsRoot();
    // File watchers miss events on a runs folder created after the watcher, on network file
    // systems and under load; a cheap listing check every few seconds backs them up.
    this.lastSignature = this.runsSignature();
    this.pollTimer = setInterval(() => this.pollRunsRoot(), POLL_INTERVAL_MS);
    this.disposables.push(
      jobs.onDidChange((change) => (change.event ? undefined : this.refresh())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('crystalGan.runDirectory')) {
          this.watchRunsRoot();
          this.refresh();
        }
      }),
    );
  }

  /** Watches run.json files under the runs root (a CLI run in this workspace shows up at once). */
  private watchRunsRoot(): void {
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(vscode.Uri.file(this.ctx.runsRoot()), '*/run.json');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const refresh = () => this.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidChange(refresh);
    this.watcher.onDidDelete(refresh);
  }

  /** Folder names and run.json modification times: changes when any run appears, changes or goes. */
  private runsSignature(): string {
    const root = this.ctx.runsRoot();
    try {
      return fs
        .readdirSync(root)
        .map((name) => {
          try {
            return `${name}:${fs.statSync(path.join(root, name, 'run.json')).mtimeMs}`;
          } catch {
            return name;
          }
        })
        .join('|');
    } catch {
      return '';
    }
  }

  private pollRunsRoot(): void {
    const signature = this.runsSignature();
    if (signature !== this.lastSignature) {
      this.lastSignature = signature;
      this.refresh();
    }
  }

  /** Coalesces bursts (a training run rewrites run.json often). */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, 200);
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: RunItem): RunItem[] {
    if (parent) return [];
    try {
      return listRuns(this.ctx.runsRoot()).map((run) => new RunItem(run));
    } catch (error) {
      this.ctx.output.error(`cannot list runs in ${this.ctx.runsRoot()}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** All runs, for pickers (Resume Run, Open Dashboard, compare). */
  runs(): ListedRun[] {
    return this.getChildren().map((item) => item.run);
  }

  dispose(): void {
    this.watcher?.dispose();
    clearTimeout(this.refreshTimer);
    clearInterval(this.pollTimer);
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function registerRunTree(ctx: CrystalGanContext, jobs: JobService): { tree: RunTreeProvider; view: vscode.TreeView<RunItem> } {
  const tree = new RunTreeProvider(ctx, jobs);
  const view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: false });
  ctx.subscriptions.push(tree, view);
  return { tree, view };
}

export function runName(runDir: string): string {
  return path.basename(runDir);
}
