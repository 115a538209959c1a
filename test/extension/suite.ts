// Runs inside the real extension host (code-server), with the extension loaded unpackaged.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CrystalGanApi } from '../../src/extension/extension';
import { COMMANDS } from '../../src/extension/commands';
import { createRun, readRun, updateRun } from '../../src/runs/store';

const EXTENSION_ID = 'crystal-gan.crystal-gan';

async function api(): Promise<CrystalGanApi> {
  const extension = vscode.extensions.getExtension<CrystalGanApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const exported = await extension.activate();
  assert.ok(exported, 'activate() returned nothing: activation failed');
  return exported;
}

export function defineSuite(): void {
  suite('Crystal GAN in the extension host', () => {
    test('activates and exposes its services', async () => {
      const { context, jobs, runTree } = await api();
      assert.ok(context.runsRoot().includes(path.join('.crystal-gan', 'runs')), context.runsRoot());
      assert.equal(jobs.running().length, 0, 'no job process starts on activation');
      assert.ok(runTree);
    });

    test('every command of the table is registered and contributed', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
      const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
      for (const id of Object.keys(COMMANDS)) {
        assert.ok(registered.has(id), `${id} not registered`);
        assert.ok(contributed.has(id), `${id} not in package.json contributes.commands`);
      }
    });

    test('the run tree lists a run folder created on disk (as the CLI would)', async () => {
      const { context, runTree } = await api();
      const { dir } = createRun(context.runsRoot(), 'composition-gan', { epochs: 3, seed: 7 });
      updateRun(dir, { status: 'completed', summary: { heldOutCriticLoss: 0.4321 } });
      fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [1, 2, 3].map((step) => JSON.stringify({ step, epoch: 0, time: Date.now(), criticLoss: 1 / step })).join('\n') + '\n');
      const items = runTree.getChildren();
      const item = items.find((i) => i.run.dir === dir);
      assert.ok(item, `tree rows: ${items.map((i) => i.run.dir).join(', ')}`);
      assert.match(String(item.description), /completed · heldOutCriticLoss 0\.432/);
      assert.match(String(item.contextValue), /status-completed/);
      assert.match((item.tooltip as vscode.MarkdownString).value, /epochs:(\s|&nbsp;)3/);
    });

    test('the tree refreshes by itself when another process writes a run folder', async () => {
      const { context, runTree } = await api();
      const refreshed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no tree refresh within 15 s of a new run.json')), 15_000);
        const listener = runTree.onDidChangeTreeData(() => {
          clearTimeout(timer);
          listener.dispose();
          resolve();
        });
      });
      // Written with plain fs, as the CLI in a terminal would (no call into the extension).
      const { dir } = createRun(context.runsRoot(), 'crystal-gan', { dataset: 'nbo' });
      await refreshed;
      assert.ok(runTree.getChildren().some((i) => i.run.dir === dir));
    });

    test('the dashboard opens on a run with a strict CSP and the run history', async () => {
      const { context, dashboard } = await api();
      const { dir } = createRun(context.runsRoot(), 'composition-gan', { epochs: 1 });
      fs.writeFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ step: 1, epoch: 0, time: 1, criticLoss: 0.5 }) + '\n');
      const panel = await vscode.commands.executeCommand('crystalGan.openDashboard', dir);
      assert.ok(panel, 'openDashboard returned no panel');
      const shown = dashboard();
      assert.ok(shown);
      assert.deepEqual(shown.shownRunDirs, [dir]);
      const html = shown.panel.webview.html;
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[A-Za-z0-9+/]+'/);
      assert.doesNotMatch(html, /unsafe-eval|unsafe-inline/);
      assert.match(html, /dashboard\.js/);
      assert.match(shown.panel.title, new RegExp(path.basename(dir)));
    });

    test('a real composition-GAN job runs in the job process: metrics stream, cancel, resume', async () => {
      const { context, jobs, runTree } = await api();
      const dataFile = path.join(context.runsRoot(), '..', 'formulas.csv');
      fs.mkdirSync(path.dirname(dataFile), { recursive: true });
      fs.writeFileSync(dataFile, 'formula\n' + ['Fe2O3', 'NaCl', 'GaAs', 'MgO', 'TiO2', 'ZnS', 'CuO', 'SiC', 'AlN', 'BN', 'LiF', 'KCl'].join('\n') + '\n');
      const params = { dataFile, maxSteps: 100_000, batchSize: 4, logEvery: 1, evalEvery: 1000, backend: 'wasm' };
      const { runDir, job } = await jobs.startRun('composition-gan', params);
      const firstRecord = new Promise<void>((resolve) => job.onEvent((e) => e.type === 'metrics' && resolve()));
      await firstRecord;
      assert.ok(jobs.history.get(runDir).length >= 1, 'the host keeps the streamed history');
      assert.equal((await job.cancel()).status, 'cancelled');
      assert.equal(readRun(runDir).status, 'cancelled');
      assert.match(String(runTree.getChildren().find((i) => i.run.dir === runDir)?.contextValue), /resumable/);

      const resumed = await jobs.resumeRun(runDir);
      await new Promise<void>((resolve) => resumed.onEvent((e) => e.type === 'metrics' && resolve()));
      assert.equal((await resumed.cancel()).status, 'cancelled');
      const info = readRun(runDir);
      assert.equal(info.resumes, 1);
      assert.equal(info.backend?.name, 'wasm');
    });

    test('a job the job process does not know fails cleanly and the run says why', async () => {
      const { jobs } = await api();
      const { runDir, job } = await jobs.startRun('evaluate-crystals', { n: 1 });
      const outcome = await job.finished;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.error ?? '', /unknown job kind "evaluate-crystals"/);
      const info = readRun(runDir);
      assert.equal(info.status, 'failed');
      assert.equal(info.pid, undefined);
      assert.equal(jobs.running().length, 0);
    });
  });
}
