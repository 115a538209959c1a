// End to end in a real VS Code (code-server + chromium, run by test/e2e/harness.sh): the CIF
// language and the crystal views as a user meets them. A broken CIF shows its diagnostic in the
// Problems panel; hovering a formula in Markdown shows the predicted band gap; a generated CIF
// opens in the 3D viewer and draws non-blank WebGL pixels; the gallery pages through a folder of
// generated CIFs. Test files are written into the harness's workspace at start (from the shared
// samples, read at run time). Screenshots go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CS_FOLDER, launchBrowser, openWorkbench, runCommand, screenshot, hoverWord, webviewFrame, withShot } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const samples = path.resolve(here, '..', '..', '..', 'shared', 'data', 'cif-samples');
const GENERATED = 'pymatgen__K3AlCl6_mattergen-generated.cif';

let browser;
const page = () => browser?.page;

/** Writes the files the tests open: a broken CIF, a note with a formula, a folder of 14 CIFs. */
function prepareWorkspace() {
  if (!CS_FOLDER) throw new Error('CS_FOLDER must be set (test/e2e/harness.sh sets it)');
  fs.writeFileSync(path.join(CS_FOLDER, 'broken.cif'), [
    'data_broken',
    '_cell_length_a 5.64',
    '_cell_length_b 5.64',
    '_cell_length_c 5.64',
    '_cell_angle_alpha 90',
    '_cell_angle_beta 90',
    '_cell_angle_gamma 90',
    'loop_',
    '_atom_site_label',
    '_atom_site_fract_x',
    '_atom_site_fract_y',
    '_atom_site_fract_z',
    'Na1 0 0 0',
    'Cl1 0.5 0.5',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(CS_FOLDER, 'typo.cif'), [
    'data_typo', '_cell_lenght_a 5.64', '_cell_length_b 5.64', '_cell_length_c 5.64',
    '_cell_angle_alpha 90', '_cell_angle_beta 90', '_cell_angle_gamma 90',
    'loop_', '_atom_site_label', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', 'Na1 0 0 0', '',
  ].join('\n'));
  fs.writeFileSync(path.join(CS_FOLDER, 'notes.md'), '# Oxides\n\nThe oxide Fe2O3 is red.\n');
  fs.copyFileSync(path.join(samples, GENERATED), path.join(CS_FOLDER, 'generated-K3AlCl6.cif'));
  const generated = path.join(CS_FOLDER, 'generated');
  fs.mkdirSync(generated, { recursive: true });
  const cifs = fs.readdirSync(samples).filter((f) => f.endsWith('.cif')).slice(0, 14);
  const rows = ['file,energy_above_hull,valid'];
  cifs.forEach((f, i) => {
    const name = `sample_${i + 1}.cif`;
    fs.copyFileSync(path.join(samples, f), path.join(generated, name));
    rows.push(`${name},${(0.01 * i).toFixed(3)},true`);
  });
  fs.writeFileSync(path.join(generated, 'summary.csv'), rows.join('\n') + '\n');
}

async function openFromExplorer(name) {
  const row = page().locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 60_000 });
  await row.click();
  await page().locator('.tabs-container .tab', { hasText: name }).first().waitFor();
}

async function closeAllEditors() {
  await runCommand(page(), 'View: Close All Editors');
  await page().locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

before(async () => {
  prepareWorkspace();
  browser = await launchBrowser('language');
  await openWorkbench(browser.page, { expectFile: 'broken.cif' });
});

after(async () => {
  await browser?.close();
});

test('a broken CIF shows the loop-count error in the Problems panel', withShot(page, 'language-problems', async () => {
  await openFromExplorer('broken.cif');
  await runCommand(page(), 'View: Focus Problems');
  const problem = page().locator('.markers-panel .monaco-list-row', { hasText: 'multiple' }).first();
  await problem.waitFor({ timeout: 60_000 });
  const text = await problem.innerText();
  assert.match(text, /loop/i);
  await screenshot(page(), 'language-01-problems');
  await closeAllEditors();
}));

test('the quick fix renames a misspelt tag, and the missing-cell error goes away', withShot(page, 'language-quickfix', async () => {
  await openFromExplorer('typo.cif');
  await runCommand(page(), 'View: Focus Problems');
  await page().locator('.markers-panel .monaco-list-row', { hasText: 'did you mean _cell_length_a' }).first().waitFor({ timeout: 60_000 });
  await page().locator('.editor-instance .view-lines').first().click();
  await page().keyboard.press('Control+Home');
  await page().keyboard.press('ArrowDown');
  // The code-action request can still be computing when the command runs (the light bulb shows a
  // spinner) and then the menu does not open: ask again, as a person would.
  const fix = page().locator('.action-widget .monaco-list-row', { hasText: 'Change to _cell_length_a' }).first();
  for (let attempt = 1; ; attempt++) {
    await runCommand(page(), 'Quick Fix...');
    try {
      await fix.waitFor({ timeout: 8_000 });
      break;
    } catch (error) {
      if (attempt >= 4) throw error;
      await page().keyboard.press('Escape');
    }
  }
  await screenshot(page(), 'language-02-quick-fix');
  await fix.click();
  await page().locator('.editor-instance .view-lines', { hasText: '_cell_length_a 5.64' }).first().waitFor();
  await page().locator('.markers-panel .monaco-list-row', { hasText: 'no _cell_length_a' }).first().waitFor({ state: 'detached', timeout: 30_000 });
  await runCommand(page(), 'File: Revert File');
  await closeAllEditors();
}));

test('hovering a formula in Markdown shows the predicted band gap and the model', withShot(page, 'language-hover', async () => {
  await openFromExplorer('notes.md');
  const hover = await hoverWord(page(), 'Fe2O3', 'Band gap');
  const text = await hover.innerText();
  assert.match(text, /Fe 2 · O 3/);
  assert.match(text, /Band gap: [\d.]+( ± [\d.]+)? eV/);
  assert.match(text, /Model:/);
  await screenshot(page(), 'language-03-formula-hover');
  await page().keyboard.press('Escape');
  await closeAllEditors();
  // A CSV's formula column lifts the word filter; the CSV may open as plain text.
  await openFromExplorer('formulas.csv');
  const csvHover = await hoverWord(page(), 'GaAs', 'Band gap');
  assert.match(await csvHover.innerText(), /Ga 1 · As 1/);
  await page().keyboard.press('Escape');
  await closeAllEditors();
}));

test('CIF hovers explain a tag (meaning, units) and an atom site (multiplicity, neighbours)', withShot(page, 'language-cif-hover', async () => {
  await openFromExplorer('generated-K3AlCl6.cif');
  // The code lens inserts a line above the block: wait for it so the text does not move under the mouse.
  await page().locator('.editor-instance .codelens-decoration', { hasText: 'Preview structure' }).first().waitFor();
  const tag = await hoverWord(page(), '_cell_length_a', 'Units');
  assert.match(await tag.innerText(), /edge length a[\s\S]*Units: Å/);
  await page().keyboard.press('Escape');
  await page().locator('.editor-instance .view-lines').first().click();
  await page().keyboard.press('Control+End');
  const site = await hoverWord(page(), 'Al3', 'Multiplicity');
  const text = await site.innerText();
  assert.match(text, /Atom site Al3/);
  assert.match(text, /Multiplicity after symmetry expansion: 1/);
  assert.match(text, /Cl\d Cl: 2\.\d{3} Å/, 'the nearest neighbours of Al are Cl at about 2.1–2.3 Å');
  await screenshot(page(), 'language-04-atom-site-hover');
  await page().keyboard.press('Escape');
  await closeAllEditors();
}));

test('a generated CIF opens in the 3D viewer beside the text and draws non-blank WebGL pixels', withShot(page, 'language-viewer', async () => {
  await openFromExplorer('generated-K3AlCl6.cif');
  await runCommand(page(), 'Crystal GAN: Open Preview to the Side');
  const frame = webviewFrame(page());
  await frame.locator('body[data-atoms]').waitFor({ timeout: 90_000 });
  const info = await frame.locator('.info').innerText();
  assert.match(info, /AlCl6K3|K3AlCl6/);
  const canvas = frame.locator('.view canvas').first();
  const stats = await canvas.evaluate((c) => {
    const gl = c.getContext('webgl2') || c.getContext('webgl');
    if (!gl) return { error: 'no WebGL context' };
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const pixels = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    const bg = pixels.slice(0, 4);
    let different = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs(pixels[i] - bg[0]) + Math.abs(pixels[i + 1] - bg[1]) + Math.abs(pixels[i + 2] - bg[2]) > 30) different++;
    }
    return { w, h, fraction: different / (w * h) };
  });
  assert.equal(stats.error, undefined);
  assert.ok(stats.fraction > 0.01, `only ${(100 * stats.fraction).toFixed(2)} % of ${stats.w}×${stats.h} pixels differ from the background`);
  await screenshot(page(), 'language-05-viewer');
  await closeAllEditors();
}));

test('the gallery pages through a folder of generated CIFs with their summary.csv metrics', withShot(page, 'language-gallery', async () => {
  const folder = page().locator('.explorer-folders-view .monaco-list-row', { hasText: /^generated$/ }).first();
  await folder.waitFor();
  await folder.click({ button: 'right' });
  // Monaco's context menu acts on its focused item: hover the entry, then press Enter.
  const entry = page().locator('.context-view .action-item', { hasText: 'Open Generated-Structure Gallery' }).first();
  await entry.hover();
  await page().keyboard.press('Enter');
  const frame = webviewFrame(page());
  const label = frame.locator('.page-label');
  await label.filter({ hasText: 'Page 1 / 2' }).waitFor({ timeout: 90_000 });
  assert.match(await label.innerText(), /14 structures/);
  assert.match(await frame.locator('table.list').innerText(), /energy_above_hull/);
  await frame.locator('body[data-selected]').waitFor();
  await screenshot(page(), 'language-06-gallery-page1');
  await frame.getByRole('button', { name: 'Next page' }).click();
  await label.filter({ hasText: 'Page 2 / 2' }).waitFor({ timeout: 60_000 });
  assert.equal(await frame.locator('table.list tr[data-index]').count(), 2);
  await screenshot(page(), 'language-07-gallery-page2');
}));
