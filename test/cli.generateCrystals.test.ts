import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '../src/core/data/csv';
import { loadStructureFolder } from '../src/core/data/structureDatasets';
import { reducedFormula } from '../src/core/structure/composition';
import { parametersFromLattice } from '../src/core/structure/lattice';
import { projectRoot, runCli, sharedData } from './helpers/cli';

const HEADER = 'file,formula,a,b,c,alpha,beta,gamma,volume,density,min_distance,structurally_valid,compositionally_valid';
const hasModel = fs.existsSync(path.join(projectRoot, 'models', 'crystal-gan-nbo', 'model.json'));
const env = { CRYSTAL_GAN_DATA: sharedData };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cg-generate-'));
}

test('the default Nb–O model writes N CIFs and a summary.csv that our own CIF reader agrees with', { skip: !hasModel && 'no default model' }, () => {
  const out = path.join(tempDir(), 'generated');
  const r = runCli(['generate-crystals', '--n', '12', '--seed', '3', '--out', out], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  assert.match(r.stderr, /structuralValidity: [\d.]+/);
  assert.match(r.stderr, /compositionalValidity: 1\b/, 'conditions are charge-balanced training compositions');

  const table = parseCsv(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8'));
  assert.equal(table.columns.join(','), HEADER);
  assert.equal(table.records.length, 12);
  const read = loadStructureFolder(out);
  assert.equal(read.skipped.length, 0, JSON.stringify(read.skipped));
  assert.equal(read.structures.length, 12);
  const byFile = new Map(read.structures.map((s) => [path.basename(s.file), s.structure]));
  for (const { values } of table.records) {
    const s = byFile.get(values.file);
    assert.ok(s, values.file);
    assert.equal(reducedFormula(s), values.formula);
    assert.ok(s.sites.every((site) => ['Nb', 'O'].includes(site.species[0].element)));
    const p = parametersFromLattice(s.lattice);
    for (const key of ['a', 'b', 'c'] as const) assert.ok(Math.abs(p[key] - Number(values[key])) < 1e-3, `${values.file} ${key}`);
    for (const key of ['alpha', 'beta', 'gamma'] as const) {
      assert.ok(Math.abs(p[key] - Number(values[key])) < 1e-2, `${values.file} ${key}`);
      assert.ok(p[key] >= 60 - 1e-3 && p[key] <= 120 + 1e-3, `${values.file} ${key} = ${p[key]}: outside the generator's bounds`);
    }
    assert.equal(values.structurally_valid, String(Number(values.min_distance) >= 0.5));
    for (const site of s.sites) for (const x of site.frac) assert.ok(x >= 0 && x < 1);
  }
});

test('the same seed gives the same structures; another seed gives others', { skip: !hasModel && 'no default model' }, () => {
  const [a, b, c] = [tempDir(), tempDir(), tempDir()];
  for (const [dir, seed] of [[a, '5'], [b, '5'], [c, '6']]) assert.equal(runCli(['generate-crystals', '--n', '4', '--seed', seed, '--out', dir], { env }).code, 0);
  const summary = (dir: string) => fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8');
  assert.equal(summary(a), summary(b));
  assert.notEqual(summary(a), summary(c));
});

test('missing flags are usage errors (2); a folder without a model is an input error (1)', () => {
  const noN = runCli(['generate-crystals', '--out', tempDir()]);
  assert.equal(noN.code, 2);
  assert.match(noN.stderr, /--n N is required/);
  const noOut = runCli(['generate-crystals', '--n', '3']);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /--out DIR is required/);
  const badModel = runCli(['generate-crystals', '--model', tempDir(), '--n', '3', '--out', tempDir()], { env });
  assert.equal(badModel.code, 1, badModel.stderr);
  assert.match(badModel.stderr, /no model\.json in .*model or /);
  assert.doesNotMatch(badModel.stderr, /\n\s+at /);
  const badPool = runCli(['generate-crystals', '--n', '3', '--out', tempDir(), '--conditions', 'everything']);
  assert.equal(badPool.code, 2);
  assert.match(badPool.stderr, /--conditions must be one of balanced, all, random, got "everything"/);
});

test('raw decoding keeps the generator\'s own composition; weighted conditions still give charge-balanced ones', { skip: !hasModel && 'no default model' }, () => {
  const raw = runCli(['generate-crystals', '--n', '16', '--seed', '1', '--raw-decoding', '--conditions', 'random', '--out', tempDir()], { env });
  assert.equal(raw.code, 0, raw.stderr);
  assert.match(raw.stderr, /rawCompositionMatch: [\d.]+/);
  const weighted = runCli(['generate-crystals', '--n', '16', '--seed', '1', '--weighted-conditions', '--out', tempDir()], { env });
  assert.equal(weighted.code, 0, weighted.stderr);
  assert.match(weighted.stderr, /compositionalValidity: 1\b/);
});
