// The gallery's data side: natural file order, summary.csv rows matched by file name (with or
// without extension), paging, and unreadable files reported per item instead of failing the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildPage, indexSummary, metricsFor, pageCount, structureFiles } from '../src/extension/viewer/galleryData';
import { validateHostToGallery } from '../src/extension/webviews/gallery/protocol';

const samples = path.resolve(__dirname, '..', '..', 'shared', 'data', 'cif-samples');

test('structure files in natural order; other files ignored', () => {
  assert.deepEqual(structureFiles(['s10.cif', 'summary.csv', 's2.cif', 'POSCAR_1', 'a.vasp', 'notes.md', 'S1.CIF']), ['a.vasp', 'POSCAR_1', 'S1.CIF', 's2.cif', 's10.cif']);
});

test('summary.csv rows are matched by file name with or without extension; missing summary is a note', () => {
  const index = indexSummary('file,energy,valid\ngen_1.cif,-3.2,true\ngen_2,-1.0,false\n');
  assert.deepEqual(metricsFor(index, 'gen_1.cif'), [['energy', '-3.2'], ['valid', 'true']]);
  assert.deepEqual(metricsFor(index, 'gen_2.cif'), [['energy', '-1.0'], ['valid', 'false']]);
  assert.deepEqual(metricsFor(index, 'gen_3.cif'), []);
  assert.match(indexSummary(undefined).notes[0], /no summary\.csv/);
  assert.match(indexSummary('a,b\n1,2\n').notes[0], /no column naming the file/);
});

test('pages of 12 over the shared samples: page 2 holds the rest, bad files carry their error', async () => {
  const files = structureFiles([...fs.readdirSync(samples), 'broken.cif']);
  assert.equal(pageCount(files.length), Math.ceil(files.length / 12));
  const read = async (file: string) => (file === 'broken.cif' ? 'data_x\n_cell_length_a 5\n' : fs.readFileSync(path.join(samples, file), 'utf8'));
  const summary = indexSummary(undefined);
  const first = await buildPage('samples', files, summary, 0, read);
  assert.equal(first.items.length, 12);
  assert.ok(first.items.every((i) => i.model && i.model.atoms.length > 0 || i.error));
  const last = await buildPage('samples', files, summary, 99, read);
  assert.equal(last.page, first.pageCount - 1, 'a page past the end shows the last page');
  assert.equal(last.items.length, files.length - 12 * (first.pageCount - 1));
  const broken = [...first.items, ...last.items].find((i) => i.file === 'broken.cif');
  assert.match(broken?.error ?? '', /no data block with a complete structure/);
  assert.equal(validateHostToGallery({ type: 'page', data: first }).ok, true);
});
