// The command table (rust-analyzer style): command id → handler factory over the shared services.
// Every command asks only for what it needs, with defaults from the settings, and works on a
// fresh install with the default data. Long training runs go to the job process (status bar,
// run tree, dashboard); bounded steps run the CLI under a cancellable progress notification.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DataDirectoryNotFoundError } from '../core/data/dataDir';
import { isJobKind } from '../jobs/protocol';
import { listRuns, type ListedRun } from '../runs/store';
import type { RunKind } from '../runs/types';
import type { CrystalGanContext } from './context';
import { cliErrorMessage, runCliTask } from './jobs/cliTask';
import type { JobService } from './jobs/jobService';
import { showPredictionsForDocument } from './predictions';
import { RunItem, type RunTreeProvider } from './views/runTree';
import { DashboardPanel } from './webviews/dashboard/panel';

export interface Services {
  ctx: CrystalGanContext;
  jobs: JobService;
  tree: RunTreeProvider;
  view: vscode.TreeView<RunItem>;
}

type Handler = (...args: unknown[]) => unknown;

export const COMMANDS: Record<string, (s: Services) => Handler> = {
  'crystalGan.trainCrystalGan': (s) => () => trainCrystalGan(s),
  'crystalGan.trainCompositionGan': (s) => () => trainCompositionGan(s),
  'crystalGan.generateCrystals': (s) => () => generateCrystals(s),
  'crystalGan.generateCompositions': (s) => (arg) => generateCompositions(s, runDirOf(arg)),
  'crystalGan.predictProperties': (s) => (arg) => predictProperties(s, arg instanceof vscode.Uri ? arg : undefined),
  'crystalGan.featurizeDataset': (s) => (arg) => featurizeDataset(s, arg instanceof vscode.Uri ? arg : undefined),
  'crystalGan.openDashboard': (s) => (arg, selected) => openDashboard(s, runDirsOf(arg, selected)),
  'crystalGan.cancelRun': (s) => (arg) => cancelRun(s, runDirOf(arg)),
  'crystalGan.resumeRun': (s) => (arg) => resumeRun(s, runDirOf(arg)),
  'crystalGan.downloadDatasets': (s) => () => downloadDatasets(s),
  'crystalGan.showLog': (s) => () => s.ctx.output.show(),
  'crystalGan.runs.refresh': (s) => () => s.tree.refresh(),
  'crystalGan.runs.compare': (s) => (arg, selected) => compareRuns(s, runDirsOf(arg, selected)),
  'crystalGan.runs.openGenerated': (s) => (arg) => openGenerated(s, runDirOf(arg)),
  'crystalGan.runs.delete': (s) => (arg, selected) => deleteRuns(s, runDirsOf(arg, selected)),
  'crystalGan.runs.reveal': () => (arg) => revealRun(runDirOf(arg)),
};

export function registerCommands(services: Services): void {
  for (const [id, make] of Object.entries(COMMANDS)) {
    const handler = make(services);
    services.ctx.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        reportError(services.ctx, id, error);
        return undefined;
      }
    }));
  }
}

function reportError(ctx: CrystalGanContext, id: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  ctx.output.error(`${id}: ${message}`);
  if (error instanceof DataDirectoryNotFoundError) {
    void vscode.window.showErrorMessage('Crystal GAN found no data sets. Set "crystalGan.dataDirectory" or run "Crystal GAN: Download Datasets".', 'Open Settings', 'Show Log').then((pick) => {
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'crystalGan.dataDirectory');
      if (pick === 'Show Log') ctx.output.show();
    });
    return;
  }
  void vscode.window.showErrorMessage(`Crystal GAN: ${message.split('\n')[0]}`, 'Show Log').then((pick) => pick && ctx.output.show());
}

// ---------------------------------------------------------------- argument helpers

/** A run folder from a tree item, a path or a Uri (commands are called from menus, code and tests). */
function runDirOf(arg: unknown): string | undefined {
  if (arg instanceof RunItem) return arg.run.dir;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  return undefined;
}

function runDirsOf(arg: unknown, selected: unknown): string[] {
  if (Array.isArray(selected) && selected.length > 1) return selected.map(runDirOf).filter((d): d is string => Boolean(d));
  if (Array.isArray(arg)) return arg.map(runDirOf).filter((d): d is string => Boolean(d));
  const one = runDirOf(arg);
  return one ? [one] : [];
}

function optionalNumber(value: number | undefined): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** Drops unset values so run.json's config shows only what was chosen. */
function definedOnly(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
}

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

async function pickOne<T>(items: Pick<T>[], placeHolder: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  return picked?.value;
}

function runPicks(runs: ListedRun[]): Pick<string>[] {
  return runs.map((run) => ({ label: run.info.id, description: `${run.info.kind} · ${run.info.status}`, detail: run.dir, value: run.dir }));
}

function listedRuns(s: Services): ListedRun[] {
  return listRuns(s.ctx.runsRoot());
}

/** Restricted mode: running a job over workspace files needs the user's say-so first. */
async function allowWorkspaceData(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const pick = await vscode.window.showWarningMessage(
    `This workspace is in Restricted Mode. ${what} reads files from it. Trust the workspace to continue?`,
    { modal: true },
    'Manage Workspace Trust',
  );
  if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

// ---------------------------------------------------------------- training

async function startTraining(s: Services, kind: RunKind, config: Record<string, unknown>): Promise<string> {
  if (!isJobKind(kind)) throw new Error(`this build cannot run ${kind} jobs yet`);
  const { runDir } = await s.jobs.startRun(kind, definedOnly(config));
  s.tree.refresh();
  DashboardPanel.show(s.ctx, s.jobs, [runDir]);
  return runDir;
}

async function trainCrystalGan(s: Services): Promise<string | undefined> {
  const preferred = s.ctx.setting<string>('crystalGan.dataset', 'nbo');
  const sets: Pick<string>[] = [
    { label: 'nbo', description: 'Nb–O structures (267 POSCARs)', value: 'nbo' },
    { label: 'perov-5', description: 'perovskites (CDVAE)', value: 'perov-5' },
    { label: 'carbon-24', description: 'carbon allotropes (CDVAE)', value: 'carbon-24' },
    { label: 'mp-20', description: 'Materials Project ≤ 20 atoms (CDVAE)', value: 'mp-20' },
  ].sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred));
  const dataset = await pickOne(sets, 'Training set for the crystal GAN');
  if (!dataset) return undefined;
  const dataDir = s.ctx.dataDir().path;
  return startTraining(s, 'crystal-gan', {
    dataset,
    dataDirectory: dataDir,
    epochs: optionalNumber(s.ctx.setting<number>('crystalGan.epochs', 20)),
    maxSteps: optionalNumber(s.ctx.setting<number>('crystalGan.maxSteps', 0)),
    batchSize: optionalNumber(s.ctx.setting<number>('crystalGan.batchSize', 0)),
    seed: s.ctx.setting<number>('crystalGan.seed', 0),
    backend: s.ctx.backend(),
  });
}

async function trainCompositionGan(s: Services): Promise<string | undefined> {
  const dataDir = s.ctx.dataDir().path;
  const defaultFile = path.join(dataDir, 'composition', 'gan_train_oqmd', 'oqmd_formulas.csv');
  const choice = await pickOne<string | 'browse'>([
    { label: 'OQMD formulas (default)', description: path.relative(dataDir, defaultFile), value: defaultFile },
    { label: 'Choose a CSV file…', description: 'a file with a "formula" column', value: 'browse' },
  ], 'Formulas to train the composition GAN on');
  if (!choice) return undefined;
  let dataFile = choice;
  if (choice === 'browse') {
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv'] }, defaultUri: s.ctx.workspaceFolder()?.uri });
    if (!files?.[0]) return undefined;
    if (!(await allowWorkspaceData('Training'))) return undefined;
    dataFile = files[0].fsPath;
  }
  return startTraining(s, 'composition-gan', {
    dataFile,
    epochs: optionalNumber(s.ctx.setting<number>('compositionGan.epochs', 5)),
    maxSteps: optionalNumber(s.ctx.setting<number>('compositionGan.maxSteps', 0)),
    batchSize: optionalNumber(s.ctx.setting<number>('compositionGan.batchSize', 256)),
    seed: s.ctx.setting<number>('compositionGan.seed', 0),
    backend: s.ctx.backend(),
  });
}

async function cancelRun(s: Services, runDir?: string): Promise<void> {
  const running = s.jobs.running();
  const target = runDir ?? (running.length === 1 ? running[0].spec.runDir : await pickOne(running.map((job) => ({ label: path.basename(job.spec.runDir), description: job.spec.kind, value: job.spec.runDir })), 'Run to cancel'));
  if (!target) {
    if (running.length === 0) void vscode.window.showInformationMessage('No Crystal GAN run is running in this window.');
    return;
  }
  const outcome = await s.jobs.cancel(target);
  if (!outcome) void vscode.window.showInformationMessage(`${path.basename(target)} is not running in this window.`);
}

async function resumeRun(s: Services, runDir?: string): Promise<void> {
  const resumable = listedRuns(s).filter((r) => ['cancelled', 'interrupted', 'failed'].includes(r.info.status) && isJobKind(r.info.kind));
  const target = runDir ?? (await pickOne(runPicks(resumable), resumable.length ? 'Run to resume from its last checkpoint' : 'No cancelled or interrupted runs'));
  if (!target) return;
  await s.jobs.resumeRun(target);
  s.tree.refresh();
  DashboardPanel.show(s.ctx, s.jobs, [target]);
}

// ---------------------------------------------------------------- dashboard and run tree actions

async function openDashboard(s: Services, runDirs: string[]): Promise<DashboardPanel | undefined> {
  let dirs = runDirs;
  if (dirs.length === 0) {
    const running = s.jobs.running().map((job) => job.spec.runDir);
    if (running.length) dirs = [running[running.length - 1]];
    else {
      const runs = listedRuns(s);
      if (runs.length === 0) {
        void vscode.window.showInformationMessage('No runs yet. Start one with "Crystal GAN: Train Crystal GAN".');
        return undefined;
      }
      const picked = runs.length === 1 ? runs[0].dir : await pickOne(runPicks(runs), 'Run to show');
      if (!picked) return undefined;
      dirs = [picked];
    }
  }
  return DashboardPanel.show(s.ctx, s.jobs, dirs);
}

async function compareRuns(s: Services, runDirs: string[]): Promise<DashboardPanel | undefined> {
  let dirs = runDirs;
  if (dirs.length < 2) {
    const others = listedRuns(s).filter((r) => !dirs.includes(r.dir));
    const picked = await vscode.window.showQuickPick(runPicks(others), { canPickMany: true, placeHolder: 'Runs to overlay' });
    if (!picked?.length) return undefined;
    dirs = [...dirs, ...picked.map((p) => p.value)];
  }
  return DashboardPanel.show(s.ctx, s.jobs, dirs);
}

async function openGenerated(s: Services, runDir?: string): Promise<void> {
  if (!runDir) return;
  const folder = path.join(runDir, 'generated');
  if (!fs.existsSync(folder)) {
    void vscode.window.showInformationMessage(`${path.basename(runDir)} has no generated files yet.`);
    return;
  }
  const commands = await vscode.commands.getCommands(true);
  const hasCif = fs.readdirSync(folder).some((f) => f.toLowerCase().endsWith('.cif'));
  if (hasCif && commands.includes('crystalGan.openGallery')) await vscode.commands.executeCommand('crystalGan.openGallery', vscode.Uri.file(folder));
  else await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder));
  s.ctx.output.info(`generated files of ${path.basename(runDir)}: ${folder}`);
}

async function deleteRuns(s: Services, runDirs: string[]): Promise<void> {
  if (runDirs.length === 0) return;
  const busy = runDirs.filter((d) => s.jobs.jobFor(d));
  if (busy.length) throw new Error(`cancel ${busy.map((d) => path.basename(d)).join(', ')} before deleting it`);
  const what = runDirs.length === 1 ? path.basename(runDirs[0]) : `${runDirs.length} runs`;
  const answer = await vscode.window.showWarningMessage(`Delete ${what}? Its checkpoints, metrics and generated files are removed.`, { modal: true }, 'Delete');
  if (answer !== 'Delete') return;
  for (const dir of runDirs) {
    await vscode.workspace.fs.delete(vscode.Uri.file(dir), { recursive: true, useTrash: false });
    s.jobs.history.forget(dir);
  }
  s.tree.refresh();
}

async function revealRun(runDir?: string): Promise<void> {
  if (!runDir) return;
  const uri = vscode.Uri.file(path.join(runDir, 'run.json'));
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri);
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

// ---------------------------------------------------------------- bounded steps through the CLI

function timestamped(prefix: string): string {
  return `${prefix}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

async function finishCliTask(s: Services, what: string, result: Awaited<ReturnType<typeof runCliTask>>, open?: vscode.Uri): Promise<boolean> {
  if (result.cancelled) {
    void vscode.window.showInformationMessage(`${what} cancelled.`);
    return false;
  }
  // Exit 1 = some rows could not be used (the output still lists them with the reason).
  if (result.code !== 0 && !(result.code === 1 && open && fs.existsSync(open.fsPath))) {
    void vscode.window.showErrorMessage(`${what} failed: ${cliErrorMessage(result)}`, 'Show Log').then((pick) => pick && s.ctx.output.show());
    return false;
  }
  if (result.code === 1) void vscode.window.showWarningMessage(`${what}: some rows could not be used; see the error column.`);
  if (open) await vscode.window.showTextDocument(open, { preview: false });
  return true;
}

async function generateCrystals(s: Services): Promise<void> {
  const trained = listedRuns(s).filter((r) => r.info.kind === 'crystal-gan' && r.info.status === 'completed');
  const model = await pickOne<string>([
    { label: 'Default Nb–O model', description: 'shipped with the extension', value: '' },
    ...runPicks(trained),
  ], 'Model to sample crystals from');
  if (model === undefined) return;
  const count = await askCount('crystals', s.ctx.setting<number>('generate.count', 100));
  if (!count) return;
  const out = path.join(s.ctx.outputRoot(), timestamped('crystals'));
  const args = ['generate-crystals', '--n', String(count), '--out', out, ...(model ? ['--model', model] : [])];
  const result = await runCliTask(s.ctx, `Generating ${count} crystals`, args, dataEnv(s));
  if (!(await finishCliTask(s, 'Generating crystals', result))) return;
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('crystalGan.openGallery')) await vscode.commands.executeCommand('crystalGan.openGallery', vscode.Uri.file(out));
  else await vscode.window.showTextDocument(vscode.Uri.file(path.join(out, 'summary.csv')));
}

async function generateCompositions(s: Services, runDir?: string): Promise<void> {
  const trained = listedRuns(s).filter((r) => r.info.kind === 'composition-gan' && ['completed', 'cancelled'].includes(r.info.status));
  const model = runDir ?? (await pickOne(runPicks(trained), trained.length ? 'Composition-GAN run to sample from' : 'No trained composition GAN yet: run "Train Composition GAN" first'));
  if (!model) return;
  const count = await askCount('compositions', s.ctx.setting<number>('generate.count', 100));
  if (!count) return;
  fs.mkdirSync(s.ctx.outputRoot(), { recursive: true });
  const out = vscode.Uri.file(path.join(s.ctx.outputRoot(), `${timestamped('compositions')}.csv`));
  const result = await runCliTask(s.ctx, `Generating ${count} compositions`, ['generate-compositions', '--model', model, '--n', String(count), '--out', out.fsPath], dataEnv(s));
  await finishCliTask(s, 'Generating compositions', result, out);
}

async function askCount(what: string, fallback: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: `How many ${what}?`,
    value: String(fallback),
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 1_000_000 ? undefined : 'a whole number from 1 to 1,000,000'),
  });
  return text ? Number(text.trim()) : undefined;
}

function dataEnv(s: Services): NodeJS.ProcessEnv {
  return { CRYSTAL_GAN_DATA: s.ctx.dataDir().path };
}

/**
 * Predictions run in the extension host through the plain-TS predictor (no TensorFlow.js, about a
 * millisecond per formula) and show in the predictions panel: the selection when there is one,
 * else the active CSV, else a file the user picks.
 */
async function predictProperties(s: Services, file?: vscode.Uri): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!file && editor && (!editor.selection.isEmpty || /\.csv$/i.test(editor.document.uri.path))) {
    await showPredictionsForDocument(s.ctx.extension, editor.document, editor.selection);
    return;
  }
  const target = file ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv'], Text: ['txt', 'md'] }, openLabel: 'Predict', defaultUri: s.ctx.workspaceFolder()?.uri }))?.[0];
  if (!target) return;
  if (!(await allowWorkspaceData('Predicting properties of a file'))) return;
  // openTextDocument reads through the workspace file system (works over Remote-SSH).
  await showPredictionsForDocument(s.ctx.extension, await vscode.workspace.openTextDocument(target));
}

async function featurizeDataset(s: Services, file?: vscode.Uri): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const input = file ?? (active?.path.toLowerCase().endsWith('.csv') ? active : (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv'] }, openLabel: 'Featurize', defaultUri: s.ctx.workspaceFolder()?.uri }))?.[0]);
  if (!input) return;
  if (!(await allowWorkspaceData('Featurizing'))) return;
  const preferred = s.ctx.setting<string>('featurize.featurizer', 'magpie');
  const featurizer = await pickOne([
    { label: 'magpie', description: '132 element-property statistics', value: 'magpie' },
    { label: 'magpie145', description: 'Magpie plus stoichiometry, valence-orbital and ionic features (145)', value: 'magpie145' },
    { label: 'onehot', description: '85 element amounts', value: 'onehot' },
    { label: 'gan', description: 'composition-GAN critic embedding (needs a trained run)', value: 'gan' },
    { label: 'gan-frac', description: 'fraction-weighted GAN embedding (needs a trained run)', value: 'gan-frac' },
  ].sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred)), 'Featurizer');
  if (!featurizer) return;
  const model: string[] = [];
  if (featurizer.startsWith('gan')) {
    const runs = listedRuns(s).filter((r) => r.info.kind === 'composition-gan' && fs.existsSync(path.join(r.dir, 'embeddings.json')));
    const run = await pickOne(runPicks(runs), runs.length ? 'Composition-GAN run whose embeddings to use' : 'No composition-GAN run with embeddings yet');
    if (!run) return;
    model.push('--model', run);
  }
  const out = vscode.Uri.file(input.fsPath.replace(/(\.csv)?$/i, `.${featurizer}.csv`));
  const result = await runCliTask(s.ctx, `Featurizing ${path.basename(input.fsPath)} (${featurizer})`, ['featurize', '--featurizer', featurizer, '--input', input.fsPath, '--out', out.fsPath, ...model], dataEnv(s));
  await finishCliTask(s, 'Featurizing', result, out);
}

// ---------------------------------------------------------------- data sets

/**
 * Offers to download the public data sets into <global storage>/data (the last place the
 * data-directory rule looks), to use a folder that already holds them, or to open the storage
 * folder. The download runs as `crystal-gan download-data --dir DIR` in a child process (hashing
 * and converting large files would block the extension host) under a cancellable notification.
 */
async function downloadDatasets(s: Services): Promise<void> {
  const target = path.join(s.ctx.extension.globalStorageUri.fsPath, 'data');
  let found: ReturnType<CrystalGanContext['dataDir']> | undefined;
  try {
    found = s.ctx.dataDir();
  } catch (error) {
    if (!(error instanceof DataDirectoryNotFoundError)) throw error;
    s.ctx.output.info(error.message);
  }
  const where = found ? `Crystal GAN reads data sets from ${found.path} (from the ${found.source}).` : 'Crystal GAN found no data sets.';
  const pick = await vscode.window.showInformationMessage(
    `${where} Download the public data sets into ${target}, or use a folder that holds them?`,
    'Download', 'Choose Existing Folder…', 'Open Storage Folder', found ? 'Reveal Current Folder' : 'Show Where I Looked',
  );
  if (pick === 'Download') await downloadInto(s, target);
  if (pick === 'Choose Existing Folder…') await chooseDataFolder(s);
  if (pick === 'Open Storage Folder') {
    fs.mkdirSync(target, { recursive: true });
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
  }
  if (pick === 'Reveal Current Folder' && found) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(found.path));
  if (pick === 'Show Where I Looked') s.ctx.output.show();
}

async function downloadInto(s: Services, target: string): Promise<void> {
  const result = await runCliTask(s.ctx, 'Downloading Crystal GAN data sets', ['download-data', '--dir', target]);
  if (result.cancelled) {
    void vscode.window.showInformationMessage('Download cancelled. Files already in place are kept (each is checked before it is moved in); run "Download Datasets" again to finish.');
    return;
  }
  // Exit 1: some files could not be fetched (no network, a moved URL); the rest are in place.
  if (result.code !== 0 && result.code !== 1) {
    void vscode.window.showErrorMessage(`Downloading data sets failed: ${cliErrorMessage(result)}`, 'Show Log').then((pick) => pick && s.ctx.output.show());
    return;
  }
  if (/no network/.test(result.stderr)) {
    // Offline (as on many HPC nodes): the download stops at the first failure, so offering the
    // folder as the data directory would mislead.
    const offline = await vscode.window.showWarningMessage(
      `No network: the data sets could not be downloaded into ${target}. Copy a data folder by hand and choose it, or set CRYSTAL_GAN_DATA_MIRROR to a mirror.`,
      'Choose Existing Folder…', 'Show Log',
    );
    if (offline === 'Choose Existing Folder…') await chooseDataFolder(s);
    if (offline === 'Show Log') s.ctx.output.show();
    return;
  }
  const configured = s.ctx.setting<string>('dataDirectory', '').trim();
  const offer = configured === target ? [] : ['Use as Data Directory'];
  const pick = result.code === 0
    ? await vscode.window.showInformationMessage(`Data sets downloaded into ${target}.`, ...offer)
    : await vscode.window.showWarningMessage(`Some data sets could not be downloaded: ${cliErrorMessage(result)}. The others are in ${target}.`, ...offer, 'Show Log');
  if (pick === 'Show Log') s.ctx.output.show();
  if (pick === 'Use as Data Directory') {
    await s.ctx.settings().update('dataDirectory', target, vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`Crystal GAN now reads data from ${target}.`);
  }
}

async function chooseDataFolder(s: Services): Promise<void> {
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Data Directory' });
  if (!folder?.[0]) return;
  await s.ctx.settings().update('dataDirectory', folder[0].fsPath, vscode.ConfigurationTarget.Global);
  const found = s.ctx.dataDir();
  void vscode.window.showInformationMessage(`Crystal GAN now reads data from ${found.path}.`);
}
