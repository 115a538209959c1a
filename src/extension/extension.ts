// Activation: build the shared context, then let each feature register itself. Kept short; the
// job process starts lazily on the first run. VS Code does not show activation errors, so a
// failure here is reported to the user directly.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CrystalGanContext } from './context';
import { JobService } from './jobs/jobService';
import { registerStatusBar } from './statusBar';
import { registerRunTree, type RunTreeProvider } from './views/runTree';
import { DashboardPanel, registerDashboardSerializer } from './webviews/dashboard/panel';
import { registerLanguageFeatures } from './language';
import { registerViewer } from './viewer';

/** What activate() returns: used by the extension-host tests. */
export interface CrystalGanApi {
  context: CrystalGanContext;
  jobs: JobService;
  runTree: RunTreeProvider;
  dashboard(): DashboardPanel | undefined;
}

export function activate(extension: vscode.ExtensionContext): CrystalGanApi | undefined {
  try {
    const ctx = new CrystalGanContext(extension);
    const jobs = new JobService(ctx);
    extension.subscriptions.push(jobs);
    const { tree, view } = registerRunTree(ctx, jobs);
    registerCommands({ ctx, jobs, tree, view });
    registerStatusBar(extension.subscriptions, jobs);
    registerDashboardSerializer(ctx, jobs);
    // Language features, crystal viewer, gallery and predictions register below (one line each).
    registerLanguageFeatures(extension);
    registerViewer(extension);

    return { context: ctx, jobs, runTree: tree, dashboard: () => DashboardPanel.current };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Crystal GAN could not start: ${message}`);
    return undefined;
  }
}

export function deactivate(): void {
  // Disposables in context.subscriptions (the job service cancels running jobs) are disposed by VS Code.
}
