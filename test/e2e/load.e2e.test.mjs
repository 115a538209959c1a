// End to end in a real VS Code: "Download Datasets" (loading the data sets into global storage).
// The command offers the choices, runs `crystal-gan download-data` in a child process under a
// cancellable progress notification, and cancelling it says so. The harness machine has no
// network, so the test cancels rather than waiting for every file to fail. Run by
// test/e2e/harness.sh (npm run test:e2e); screenshots go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openWorkbench, runCommand, screenshot, toast, withShot } from './helpers.mjs';

let browser;
const page = () => browser?.page;

before(async () => {
  browser = await launchBrowser('download');
  await openWorkbench(browser.page, { expectFile: 'formulas.csv' });
});

after(async () => {
  await browser?.close();
});

test('Download Datasets offers download, an existing folder or the storage folder; the download is cancellable', withShot(page, 'download', async () => {
  await runCommand(page(), 'Crystal GAN: Download Datasets');
  const offer = toast(page(), 'Download the public data sets into');
  await offer.waitFor();
  const buttons = await offer.locator('.monaco-button').allInnerTexts();
  for (const label of ['Download', 'Choose Existing Folder…', 'Open Storage Folder']) assert.ok(buttons.includes(label), `buttons: ${buttons.join(', ')}`);
  await screenshot(page(), '20-download-offer');
  await offer.locator('.monaco-button', { hasText: /^Download$/ }).click();

  const progress = toast(page(), 'Downloading Crystal GAN data sets');
  await progress.waitFor({ timeout: 30_000 });
  await screenshot(page(), '21-download-progress');
  // A cancellable progress notification carries a "Cancel" button. Offline (as here) the download
  // stops at its first failure, which may beat the click: either end is a clear message.
  await progress.locator('.monaco-button', { hasText: /^Cancel$/ }).click().catch(() => {});
  const cancelled = toast(page(), 'Download cancelled');
  const offline = toast(page(), 'No network: the data sets could not be downloaded');
  await cancelled.or(offline).first().waitFor({ timeout: 30_000 });
  if (await offline.isVisible()) {
    const buttons = await offline.locator('.monaco-button').allInnerTexts();
    assert.ok(buttons.includes('Choose Existing Folder…'), `buttons: ${buttons.join(', ')}`);
    assert.ok(!buttons.includes('Use as Data Directory'), 'an empty download folder is not offered as the data directory');
  }
  await screenshot(page(), '22-download-ended');
}));
