// Host side of the training dashboard: one panel showing one run (or several overlaid, for a
// comparison). The host keeps the history (MetricsHistory) and answers the page's `ready` with
// all of it, then streams new records and status changes. The panel is restored after a reload
// by its serializer (activation event onWebviewPanel:crystalGan.dashboard).
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo } from '../../../runs/types';
import type { CrystalGanContext } from '../../context';
import { tryReadRun, type JobService } from '../../jobs/jobService';
import { renderWebviewHtml, webviewResourceRoots } from '../html';
import { isDashboardState, validateDashboardToHost, type DashboardRecord, type DashboardRun, type HostToDashboard } from './protocol';

export const DASHBOARD_VIEW_TYPE = 'crystalGan.dashboard';

/** Static skeleton of the page (no workspace text: that arrives by postMessage and is set as text). */
const BODY = `
<header>
  <h1 id="title">Training dashboard</h1>
  <span id="badges" role="status"></span>
  <vscode-button id="cancel" secondary hidden aria-label="Cancel the running job">Cancel run</vscode-button>
</header>
<section id="summary" aria-label="Run summary">
  <span>backend <strong id="backend">–</strong></span>
  <span>steps/s <strong id="speed">–</strong></span>
  <span>step <strong id="step">–</strong></span>
  <span>points <strong id="points">0</strong></span>
</section>
<div id="error" role="alert" hidden></div>
<p id="empty">No metrics yet: curves appear as the job reports them.</p>
<div id="charts"></div>
<details open><summary>Run configuration</summary><table id="config" aria-label="Run configuration"></table></details>
`;

export class DashboardPanel implements vscode.Disposable {
  static current?: DashboardPanel;
  private readonly disposables: vscode.Disposable[] = [];
  /** Last status sent per run, to notice runs another process (the CLI) finishes. */
  private readonly sentStatus = new Map<string, string>();

  /** Shows the runs in the dashboard, reusing the open panel. */
  static show(ctx: CrystalGanContext, jobs: JobService, runDirs: string[]): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.setRuns(runDirs);
      DashboardPanel.current.panel.reveal(undefined, true);
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Training Dashboard', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {});
    return new DashboardPanel(panel, ctx, jobs, runDirs);
  }

  constructor(readonly panel: vscode.WebviewPanel, private readonly ctx: CrystalGanContext, private readonly jobs: JobService, private runDirs: string[]) {
    DashboardPanel.current = this;
    const extensionUri = ctx.extension.extensionUri;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'crystal-gan.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) };
    panel.webview.html = renderWebviewHtml({ webview: panel.webview, extensionUri, title: 'Training Dashboard', bundle: 'dashboard', body: BODY, bootstrap: { runs: runDirs.map((d) => path.basename(d)) } });
    this.setTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      jobs.history.onDidChange((change) => {
        if (!this.runDirs.includes(change.runDir)) return;
        if (change.appended) void this.post({ type: 'metrics', runId: path.basename(change.runDir), records: change.appended as DashboardRecord[] });
        else this.sendAll();
      }),
      jobs.onDidChange((change) => {
        if (change.event || !this.runDirs.includes(change.runDir)) return;
        const run = this.describe(change.runDir);
        void this.post({ type: 'status', runId: run.id, status: run.status, backend: run.backend, error: run.error });
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    const statusWatch = setInterval(() => this.sendChangedStatuses(), 3000);
    this.disposables.push({ dispose: () => clearInterval(statusWatch) });
  }

  /** Runs written by another process have no job events here: look at run.json now and then. */
  private sendChangedStatuses(): void {
    if (!this.panel.visible) return;
    for (const runDir of this.runDirs) {
      if (this.jobs.jobFor(runDir)) continue;
      const run = this.describe(runDir);
      if (this.sentStatus.get(run.id) === run.status) continue;
      this.sentStatus.set(run.id, run.status);
      void this.post({ type: 'status', runId: run.id, status: run.status, backend: run.backend, error: run.error });
    }
  }

  /** The runs shown now (the e2e and extension tests read this). */
  get shownRunDirs(): readonly string[] {
    return this.runDirs;
  }

  setRuns(runDirs: string[]): void {
    this.runDirs = runDirs;
    this.setTitle();
    this.sendAll();
  }

  private setTitle(): void {
    this.panel.title = this.runDirs.length === 1 ? `Dashboard: ${path.basename(this.runDirs[0])}` : `Dashboard: ${this.runDirs.length} runs`;
  }

  private onMessage(raw: unknown): void {
    const message = validateDashboardToHost(raw);
    if (!message.ok) {
      this.ctx.output.warn(`dashboard: dropped a malformed message: ${message.error}`);
      return;
    }
    switch (message.value.type) {
      case 'ready':
        this.sendAll();
        return;
      case 'cancel': {
        const runDir = this.runDirs.find((d) => path.basename(d) === (message.value as { runId: string }).runId);
        if (runDir) void this.jobs.cancel(runDir);
        return;
      }
      case 'invalid':
        this.ctx.output.warn(`dashboard page dropped a malformed message: ${message.value.error}`);
        return;
    }
  }

  private sendAll(): void {
    const runs = this.runDirs.map((d) => this.describe(d));
    for (const run of runs) this.sentStatus.set(run.id, run.status);
    void this.post({ type: 'init', runs });
  }

  private describe(runDir: string): DashboardRun {
    const info: RunInfo | undefined = tryReadRun(runDir);
    const job = this.jobs.jobFor(runDir);
    return {
      id: path.basename(runDir),
      kind: info?.kind ?? 'unknown',
      status: job && job.state !== 'completed' && job.state !== 'failed' && job.state !== 'cancelled' ? 'running' : info?.status ?? 'failed',
      config: flatConfig(info?.config ?? {}),
      backend: info?.backend?.name,
      error: info?.error,
      records: this.jobs.history.get(runDir) as DashboardRecord[],
    };
  }

  /** Posts to the page; a hidden page cannot receive, and gets everything again on its next `ready`. */
  private post(message: HostToDashboard): Thenable<boolean> {
    return this.panel.visible ? this.panel.webview.postMessage(message) : Promise.resolve(false);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function flatConfig(config: Record<string, unknown>): Record<string, string | number | boolean | null> {
  const flat: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(config)) {
    flat[key] = value === null || ['string', 'number', 'boolean'].includes(typeof value) ? (value as string | number | boolean | null) : JSON.stringify(value);
  }
  return flat;
}

/** Restores the dashboard after a window reload, from the run ids the page kept with setState. */
export function registerDashboardSerializer(ctx: CrystalGanContext, jobs: JobService): void {
  ctx.subscriptions.push(vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const ids = isDashboardState(state) ? state.runs.map((r) => r.id) : [];
      new DashboardPanel(panel, ctx, jobs, ids.map((id) => path.join(ctx.runsRoot(), id)));
    },
  }));
}
