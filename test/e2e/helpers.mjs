// Shared helpers for the end-to-end tests that drive Crystal GAN in a real VS Code (code-server)
// through playwright-core and Debian's chromium. test/e2e/harness.sh starts code-server and sets
// CS_URL, CS_FOLDER, ARTIFACTS_DIR and CHROMIUM_PATH. Three roles in one module:
//   - helpers imported by *.e2e.test.mjs (openWorkbench, runCommand, webviewFrame, treeRow, …);
//   - `node test/e2e/helpers.mjs run-extension-tests`: runs the mocha suite (dist/test/index.js)
//     inside the extension host and writes {"passed","failed"} to RESULTS_FILE;
//   - the default export is a node:test reporter that writes {"passed","failed"} (the harness adds
//     the counts of every step).
/* global document, NodeFilter -- hoverWord evaluates code inside the page */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CS_URL = process.env.CS_URL || 'http://127.0.0.1:18090';
export const CS_FOLDER = process.env.CS_FOLDER;
export const ARTIFACTS = path.resolve(process.env.ARTIFACTS_DIR || 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Our activity-bar icon (the view container's title is its aria-label). */
export const ACTIVITY_ITEM = '.activitybar .action-item a[aria-label^="Crystal GAN"], .activitybar .action-item[aria-label^="Crystal GAN"]';

/** A fresh chromium profile and page; `close()` removes the profile and writes the console log. */
export async function launchBrowser(name = 'e2e') {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'crystal-gan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 }, args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(30_000);
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  return {
    context, page, consoleLines,
    async close() {
      fs.writeFileSync(path.join(ARTIFACTS, `browser-console-${name}.log`), consoleLines.join('\n'));
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the workspace and waits until it is usable: workbench drawn, remote file system connected
 * (explorer rows), and our extension's contributions registered (the activity-bar icon). Commands
 * run before the last stage are not found in the palette.
 */
export async function openWorkbench(page, { folder = CS_FOLDER, expectFile } = {}) {
  if (!folder) throw new Error('CS_FOLDER must be set (test/e2e/harness.sh sets it)');
  await page.goto(`${CS_URL}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  if (expectFile) await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectFile }).first().waitFor({ timeout: 60_000 });
  await page.locator(ACTIVITY_ITEM).first().waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette (F1), waiting for its row so Enter does not pick another one. */
export async function runCommand(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks a quick-pick row by its label (after a command asked a question). */
export async function pickQuickItem(page, label) {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/** The inner frame of the webview whose tab is active: two nested iframes, `.ready` once loaded. */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** A notification toast containing `text`. */
export function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** A row of a tree in the side bar containing `text`. */
export function treeRow(page, text) {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();
}

/** Opens our activity-bar container (Runs view). */
export async function openRunsView(page) {
  // A container with a single view hides that view's header: its title shows in the side bar's.
  const title = page.locator('.part.sidebar .title-label', { hasText: 'Crystal GAN' }).first();
  // Clicking the icon of the container already shown would close the side bar: look first.
  if (!(await title.isVisible().catch(() => false))) await page.locator(ACTIVITY_ITEM).first().click();
  await title.waitFor();
}

/** Moves the real mouse over `word` in the active editor and returns the hover showing `expectText`. */
export async function hoverWord(page, word, expectText) {
  const lines = page.locator('.editor-instance .view-lines').first();
  await lines.filter({ hasText: word }).waitFor();
  const box = await lines.evaluate((root, w) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent.indexOf(w);
      if (i >= 0) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
        const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height };
      }
    }
    return null;
  }, word);
  if (!box) throw new Error(`word ${word} is not rendered in the editor`);
  // A hover can close before its content arrives (a layout shift, a toast, a provider that first
  // answers "predicting…"): move away and back a few times before giving up.
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expectText }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(box.x + 1, box.y + box.h / 2);
    await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2, { steps: 3 });
    try {
      await hover.waitFor({ state: 'visible', timeout: attempt < 4 ? 8_000 : 30_000 });
      return hover;
    } catch (error) {
      if (attempt >= 4) throw error;
      await page.mouse.move(5, 5);
      await page.waitForTimeout(300);
    }
  }
}

export function screenshot(page, name) {
  return page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Wraps a test body so a failure leaves FAILED-<name>.png. */
export function withShot(getPage, name, fn) {
  return async (t) => {
    try { await fn(t); } catch (error) {
      await getPage()?.screenshot({ path: path.join(ARTIFACTS, `FAILED-${name}.png`) }).catch(() => {});
      throw error;
    }
  };
}

// ---------------------------------------------------------------- mocha inside the extension host

/**
 * Opens the workbench with the payload that makes it load the extension unpackaged from
 * EXT_DEV_PATH and run EXT_TESTS_PATH's run() in the extension host (the server must run with
 * `--vscode-option enable-smoke-test-driver`). Mocha's output arrives through codeAutomationLog.
 */
export async function runExtensionTests() {
  const { EXT_DEV_PATH, EXT_TESTS_PATH, RESULTS_FILE } = process.env;
  for (const [k, v] of Object.entries({ CS_FOLDER, EXT_DEV_PATH, EXT_TESTS_PATH })) {
    if (!v || !path.isAbsolute(v)) throw new Error(`${k} must be an absolute path`);
  }
  const authority = new URL(CS_URL).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [['extensionDevelopmentPath', remote(EXT_DEV_PATH)], ['extensionTestsPath', remote(EXT_TESTS_PATH)]];
  const url = `${CS_URL}/?folder=${encodeURIComponent(CS_FOLDER)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await launchBrowser('ext-tests');
  const lines = [];
  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  const NOISE = /Creating a socket|Resolv(ing|ed) connection token|grace time|Service Worker|AgentHost|AccountPolicyGate|builtin extensions cache|open-vsx\.org|ENOTFOUND/;
  let counts = { passed: 0, failed: 1 };
  await browser.page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    lines.push(`[${type}] ${line}`);
    const summary = /^(\d+) passed, (\d+) failed$/.exec(line.trim());
    if (summary) counts = { passed: Number(summary[1]), failed: Number(summary[2]) };
    if (!NOISE.test(line)) console.log(line);
  });
  await browser.page.exposeFunction('codeAutomationExit', (code) => finish(code));
  await browser.page.goto(url);
  const timeoutMs = Number(process.env.EXT_TESTS_TIMEOUT_MS || 300_000);
  let timer;
  const code = await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  await browser.page.screenshot({ path: path.join(ARTIFACTS, 'ext-tests-final.png') }).catch(() => {});
  fs.writeFileSync(path.join(ARTIFACTS, 'ext-tests.log'), lines.join('\n'));
  await browser.close();
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // e.g. a timeout or a crash before the summary
  if (RESULTS_FILE) fs.writeFileSync(RESULTS_FILE, JSON.stringify(counts));
  console.log(`extension-host tests finished: exit code ${code}`);
  return code === 0 ? 0 : 1;
}

// ---------------------------------------------------------------- node:test reporter

/** A node:test reporter that yields {"passed": N, "failed": N} for the harness's summary. */
export default async function* countingReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.data?.details?.type === 'suite') continue;
    if (event.type === 'test:pass' && !event.data.skip) passed++;
    if (event.type === 'test:fail') failed++;
  }
  yield JSON.stringify({ passed, failed }) + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href && process.argv[2] === 'run-extension-tests') {
  runExtensionTests().then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });
}
