// "Editor under load", inside the real extension host (code-server): opens a generated 50 MB CIF
// and a 1,000,000-row CSV and measures how long the host's event loop was blocked meanwhile
// (perf_hooks.monitorEventLoopDelay plus a 5 ms ticker: the longest gap between ticks), then the
// host's RSS before, during and after a composition-GAN training run in the job process. The
// figures are printed as "LOAD-FIGURES {…}" (test-results/ext-tests.log) and go into
// bench/NOTES.md by hand; the tests assert behaviour only (no timing thresholds).
// Inputs are generated into the test workspace's .crystal-gan/load (removed afterwards).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { CrystalGanApi } from '../../src/extension/extension';

const EXTENSION_ID = 'crystal-gan.crystal-gan';
const CIF_MB = 50;
const CSV_ROWS = 1_000_000;

async function api(): Promise<CrystalGanApi> {
  const exported = await vscode.extensions.getExtension<CrystalGanApi | undefined>(EXTENSION_ID)?.activate();
  assert.ok(exported, 'activation failed');
  return exported;
}

/** A P1 cell of about `megabytes` MB, one atom site per line on a grid (as bench/ours/loadCif.ts). */
function writeBigCif(file: string, megabytes: number): number {
  const n = Math.ceil(Math.cbrt((megabytes * 1e6) / 40));
  const a = (n * 1.25).toFixed(3);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, ['data_big', `_cell_length_a ${a}`, `_cell_length_b ${a}`, `_cell_length_c ${a}`, '_cell_angle_alpha 90', '_cell_angle_beta 90', '_cell_angle_gamma 90',
    "_symmetry_space_group_name_H-M 'P 1'", 'loop_', '_atom_site_label', '_atom_site_type_symbol', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', '_atom_site_occupancy', ''].join('\n'));
  let size = 0;
  let sites = 0;
  for (let chunk: string[] = []; size < megabytes * 1e6; chunk = []) {
    for (let k = 0; k < 10_000; k++, sites++) {
      const i = sites;
      const element = i % 3 ? 'O' : 'Nb';
      chunk.push(`${element}${i} ${element} ${((i % n) / n).toFixed(6)} ${((Math.floor(i / n) % n) / n).toFixed(6)} ${(Math.floor(i / (n * n)) / n).toFixed(6)} 1.0\n`);
    }
    const text = chunk.join('');
    fs.writeSync(fd, text);
    size += text.length;
  }
  fs.closeSync(fd);
  return sites;
}

function writeBigCsv(file: string, rows: number): void {
  const formulas = ['Fe2O3', 'NaCl', 'GaAs', 'MgO', 'TiO2', 'ZnS', 'CuO', 'SiC', 'AlN', 'LiFePO4', 'BaTiO3', 'YBa2Cu3O7'];
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'formula,target\n');
  for (let start = 0; start < rows; start += 50_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 50_000); i++) lines.push(`${formulas[i % formulas.length]},${((i * 7919) % 10007) / 1000}\n`);
    fs.writeSync(fd, lines.join(''));
  }
  fs.closeSync(fd);
}

/** Watches the host's event loop: the longest block in ms, by the histogram and by a 5 ms ticker. */
function watchEventLoop(): { stop(): { longestBlockMs: number; histogramMaxMs: number; p99Ms: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 5);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(ticker);
      histogram.disable();
      return { longestBlockMs: Math.round(longest), histogramMaxMs: Math.round(histogram.max / 1e6), p99Ms: Math.round(histogram.percentile(99) / 1e6) };
    },
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * Samples the host's main thread (CPU profile through node:inspector) to say whose code the busy
 * time was: the top functions by self time, "(garbage collector)" included.
 */
async function profileMainThread(): Promise<() => Promise<string[]>> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) => new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } }>('Profiler.stop');
    session.disconnect();
    const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    const byFunction = new Map<string, number>();
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || !node.hitCount) continue;
      const where = url ? ` ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
      const name = `${functionName || '(anonymous)'}${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.hitCount * msPerSample);
    }
    return [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, ms]) => `${Math.round(ms)} ms ${name}`);
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

export function defineLoadSuite(): void {
  suite('Editor under load (extension host)', function () {
    this.timeout(240_000);
    const figures: Record<string, unknown> = {};
    let folder = '';

    suiteSetup(async () => {
      await api();
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      assert.ok(root, 'the harness opens a workspace folder');
      folder = path.join(root, '.crystal-gan', 'load');
      fs.mkdirSync(folder, { recursive: true });
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(folder, { recursive: true, force: true });
      console.log(`LOAD-FIGURES ${JSON.stringify(figures)}`);
    });

    // The baseline: VS Code's own cost of a 50 MB, 1.2M-line document in the extension host
    // (receiving the model, building its lines, GC), with no CIF feature running on it.
    test(`control: the same ${CIF_MB} MB as a plain-text file`, async () => {
      const file = path.join(folder, `big-${CIF_MB}MB.txt`);
      const sites = writeBigCif(file, CIF_MB);
      const stopProfile = await profileMainThread();
      const watch = watchEventLoop();
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(document, { preview: false });
      await new Promise((resolve) => setTimeout(resolve, 5000));
      figures.plainTextControl = { fileMB: mb(fs.statSync(file).size), ...watch.stop(), topSelfTime: await stopProfile() };
      assert.equal(document.languageId === 'cif', false);
      assert.equal(document.lineCount, sites + 16);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test(`a ${CIF_MB} MB CIF opens without blocking the host: syntax-only diagnostics and a capped outline from the worker`, async () => {
      const file = path.join(folder, `big-${CIF_MB}MB.cif`);
      const sites = writeBigCif(file, CIF_MB);
      const uri = vscode.Uri.file(file);
      const rssBefore = process.memoryUsage().rss;
      const stopProfile = await profileMainThread();
      const watch = watchEventLoop();
      const started = performance.now();
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const note = await waitFor('the large-file diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'large-file'), 180_000);
      const readMs = Math.round(performance.now() - started);
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      const open = watch.stop();
      figures.cif = { fileMB: mb(fs.statSync(file).size), sites, readMs, ...open, hostRssBeforeMB: mb(rssBefore), hostRssAfterMB: mb(process.memoryUsage().rss), topSelfTime: await stopProfile() };
      assert.match(note.message, /Large CIF .*only syntax checks and the outline/);
      assert.equal(note.severity, vscode.DiagnosticSeverity.Information);
      const loop = symbols?.[0]?.children.find((c) => c.kind === vscode.SymbolKind.Array && /_atom_site/.test(c.name));
      assert.ok(loop, `the outline lists the atom-site loop: ${JSON.stringify(symbols?.[0]?.children.map((c) => c.name))}`);
      assert.match(loop.detail, new RegExp(`× ${sites.toLocaleString('en-US')} rows`));

      // An edit makes the document dirty: the host hands the text over and the stale read is dropped.
      const stopEditProfile = await profileMainThread();
      const editWatch = watchEventLoop();
      const editStarted = performance.now();
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '# edited\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('diagnostics of the edited version', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'large-file' && d.range.start.line === 1), 180_000);
      figures.cifEdit = { readMs: Math.round(performance.now() - editStarted), ...editWatch.stop(), topSelfTime: await stopEditProfile() };
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('a 1.2 MB CIF is read fully in the worker: code lens with the structure and atom-site hovers', async () => {
      const file = path.join(folder, 'medium.cif');
      const sites = writeBigCif(file, 1.2);
      const uri = vscode.Uri.file(file);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.match(lenses?.[0]?.command?.title ?? '', new RegExp(`Preview structure \\(Nb\\d*O\\d*, ${sites} atoms\\)`));
      const line = document.getText(new vscode.Range(0, 0, 40, 0)).split('\n').findIndex((l) => l.startsWith('Nb0 '));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 1));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, new RegExp(`Loop row 1 of ${sites}`));
      assert.equal(vscode.languages.getDiagnostics(uri).some((d) => d.code === 'large-file'), false, 'under the limits: a full read');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test(`a ${CSV_ROWS.toLocaleString('en-US')}-row CSV opens with formula hovers and inlay hints`, async () => {
      const file = path.join(folder, 'composition-1M.csv');
      writeBigCsv(file, CSV_ROWS);
      const uri = vscode.Uri.file(file);
      const stopProfile = await profileMainThread();
      const watch = watchEventLoop();
      const started = performance.now();
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: false });
      const hovers = await waitFor('a formula hover', async () => {
        const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(500_000, 2));
        return found?.length ? found : undefined;
      }, 60_000);
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, 100, 0));
      // Let the workbench's own providers (folding, tokens, outline) run on the open file too.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      figures.csv = { rows: CSV_ROWS, fileMB: mb(fs.statSync(file).size), hoverReadyMs: Math.round(performance.now() - started), inlayHints: hints?.length ?? 0, ...watch.stop(), topSelfTime: await stopProfile() };
      assert.ok(hovers.some((h) => h.contents.some((c) => /Fe2O3|NaCl|GaAs|MgO|TiO2|ZnS|CuO|SiC|AlN|LiFePO4|BaTiO3|YBa2Cu3O7/.test(typeof c === 'string' ? c : c.value))));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('the host memory stays flat while a training run streams metrics', async () => {
      const { jobs } = await api();
      const dataFile = path.join(folder, 'formulas.csv');
      fs.writeFileSync(dataFile, 'formula\n' + ['Fe2O3', 'NaCl', 'GaAs', 'MgO', 'TiO2', 'ZnS', 'CuO', 'SiC', 'AlN', 'BN', 'LiF', 'KCl'].join('\n') + '\n');
      const rssBefore = process.memoryUsage().rss;
      const stopProfile = await profileMainThread();
      const watch = watchEventLoop();
      const { runDir, job } = await jobs.startRun('composition-gan', { dataFile, maxSteps: 200, batchSize: 8, logEvery: 1, evalEvery: 100_000, backend: 'wasm' });
      let peak = rssBefore;
      let records = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      job.onEvent((e) => e.type === 'metrics' && records++);
      const outcome = await job.finished;
      clearInterval(sampler);
      const rssAfter = process.memoryUsage().rss;
      figures.training = { steps: 200, metricsRecords: records, hostRssBeforeMB: mb(rssBefore), hostRssPeakMB: mb(peak), hostRssAfterMB: mb(rssAfter), ...watch.stop(), topSelfTime: await stopProfile() };
      assert.equal(outcome.status, 'completed', outcome.error);
      assert.ok(records > 0, 'metrics reached the host');
      assert.ok(jobs.history.get(runDir).length > 0);
    });
  });
}
