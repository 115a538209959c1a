import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir, DataDirectoryNotFoundError } from '../src/core/data/dataDir';
import { parseCsv } from '../src/core/data/csv';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-datadir-'));
}

test('the setting wins over the environment and the project folder', () => {
  const setting = tempDir();
  fs.mkdirSync(path.join(setting, 'composition'));
  const env = tempDir();
  fs.mkdirSync(path.join(env, 'elements'));
  const r = resolveDataDir({ setting, env: { CRYSTAL_GAN_DATA: env }, projectRoot: tempDir(), globalStorage: tempDir() });
  assert.equal(r.source, 'setting');
  assert.equal(r.path, setting);
});

test('a setting that holds no data falls through to the environment and says why', () => {
  const setting = tempDir();
  const env = tempDir();
  fs.mkdirSync(path.join(env, 'nbo'));
  const r = resolveDataDir({ setting, env: { CRYSTAL_GAN_DATA: env }, projectRoot: tempDir(), globalStorage: tempDir() });
  assert.equal(r.source, 'environment');
  assert.match(r.tried[0].rejected ?? '', /holds none of/);
});

test('../shared/data beside the project is found', () => {
  const parent = tempDir();
  const project = path.join(parent, 'main');
  fs.mkdirSync(project);
  fs.mkdirSync(path.join(parent, 'shared', 'data', 'smact'), { recursive: true });
  const r = resolveDataDir({ env: {}, projectRoot: project, globalStorage: tempDir() });
  assert.equal(r.source, 'project');
  assert.equal(r.path, path.join(parent, 'shared', 'data'));
});

test('no data anywhere: the error names every place looked at', () => {
  const g = tempDir();
  const project = tempDir();
  assert.throws(
    () => resolveDataDir({ setting: '/nonexistent/x', env: { CRYSTAL_GAN_DATA: '/nonexistent/y' }, projectRoot: project, globalStorage: g }),
    (e: unknown) => {
      assert.ok(e instanceof DataDirectoryNotFoundError);
      assert.equal(e.tried.length, 4);
      for (const p of ['/nonexistent/x', '/nonexistent/y', path.join(project, '..', 'shared', 'data'), path.join(g, 'data')]) {
        assert.ok(e.message.includes(path.resolve(p)), `message names ${p}`);
      }
      return true;
    },
  );
});

test('CSV records keep the line they start on, across multi-line fields', () => {
  const t = parseCsv('formula,cif\nNaCl,"data_x\n_cell_length_a 5"\nKCl,plain\n');
  assert.deepEqual(t.columns, ['formula', 'cif']);
  assert.equal(t.records.length, 2);
  assert.equal(t.records[0].line, 2);
  assert.equal(t.records[1].line, 4);
  assert.equal(t.records[1].values.formula, 'KCl');
});
