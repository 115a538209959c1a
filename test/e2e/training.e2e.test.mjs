// End to end in a real VS Code: start a training run from the command palette, watch loss-curve
// points arrive in the dashboard webview, cancel it from the dashboard's button, and find the
// run in the run-history tree marked cancelled. Run by test/e2e/harness.sh (npm run test:e2e);
// the workspace's settings keep the run small. Screenshots go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openRunsView, openWorkbench, runCommand, screenshot, treeRow, webviewFrame, withShot } from './helpers.mjs';

/** The training command to drive: the crystal GAN, or another kind the job process runs. */
const TRAIN_COMMAND = process.env.E2E_TRAIN_COMMAND || 'Crystal GAN: Train Crystal GAN';

let browser;
const page = () => browser?.page;

before(async () => {
  browser = await launchBrowser('training');
  await openWorkbench(browser.page, { expectFile: 'formulas.csv' });
});

after(async () => {
  await browser?.close();
});

test('the run history starts empty and offers to train', withShot(page, 'runs-empty', async () => {
  await openRunsView(page());
  const welcome = page().locator('.part.sidebar .welcome-view-content', { hasText: 'No runs yet' }).first();
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /Train Crystal GAN/);
  await screenshot(page(), '01-runs-empty');
}));

test('training from the palette streams curve points into the dashboard; cancel marks the run cancelled', withShot(page, 'training', async () => {
  await runCommand(page(), TRAIN_COMMAND);
  // The command asks one question (the data set) with the default first: accept it. Wait for
  // that question's own placeholder, not the palette's rows that are still on screen.
  await page().locator('.quick-input-widget input.input[placeholder*="crystal GAN"], .quick-input-widget input.input[placeholder*="composition GAN"]').waitFor();
  await page().keyboard.press('Enter');

  const dashboard = webviewFrame(page());
  await dashboard.locator('#title').waitFor({ timeout: 60_000 });
  // Curve points: the page's counter, then the uPlot canvas itself.
  const points = dashboard.locator('#points');
  await points.filter({ hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 240_000 });
  await dashboard.locator('#chart-losses canvas').first().waitFor();
  const first = Number(await points.textContent());
  assert.ok(first > 0, `points: ${first}`);
  await dashboard.locator('vscode-badge[data-status="running"]').waitFor();
  await screenshot(page(), '02-dashboard-live');

  // Cancel from the dashboard (webview → host message), then wait for the status to follow.
  await dashboard.locator('#cancel').click();
  await dashboard.locator('vscode-badge[data-status="cancelled"]').waitFor({ timeout: 60_000 });
  await screenshot(page(), '03-dashboard-cancelled');

  // Rebuild the page (as when a hidden tab comes back): it gets its history again from
  // setState and from the host's answer to `ready`.
  const shownPoints = Number(await points.textContent());
  await runCommand(page(), 'Developer: Reload Webviews');
  await webviewFrame(page()).locator('#points').filter({ hasText: String(shownPoints) }).waitFor({ timeout: 30_000 });

  await openRunsView(page());
  const row = treeRow(page(), 'cancelled');
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /crystal-gan|composition-gan/);
  await screenshot(page(), '04-runs-cancelled');
}));

test('Generate Crystals samples the shipped model under a progress notification and opens the gallery', withShot(page, 'generate', async () => {
  await runCommand(page(), 'Crystal GAN: Generate Crystals');
  await page().locator('.quick-input-widget input.input[placeholder*="Model to sample"]').waitFor();
  await page().keyboard.press('Enter');                       // the shipped Nb–O model
  const count = page().locator('.quick-input-widget input.input');
  await page().locator('.quick-input-widget', { hasText: 'How many crystals' }).waitFor();
  assert.equal(await count.inputValue(), '4');                // the default from the workspace settings
  await page().keyboard.press('Enter');
  await page().locator('.tabs-container .tab', { hasText: /Gallery: .*crystals-/ }).first().waitFor({ timeout: 120_000 });
  const gallery = page().frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  await gallery.getByText('4 structures').first().waitFor({ timeout: 30_000 });
  await screenshot(page(), '05-generated-gallery');
}));
