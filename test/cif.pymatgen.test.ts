// Cross-check against pymatgen's CifParser (Debian python3, pymatgen 2022.11) on every sample:
// composition within 1e-3 per element, cell within 1e-4, same number of sites in the full cell.
// Also: pymatgen and ASE read our writer's output back with the same composition and cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from '../src/core/data/dataDir';
import { summariseCif, type CifBlockSummary } from '../src/cli/commands/parseCif';
import { readCif, writeCif } from '../src/core/cif/index';

const PYTHON = '/usr/bin/python3';
const script = path.join(__dirname, '..', 'scripts', 'check-cif-pymatgen.py');
const samples = path.join(resolveDataDir().path, 'cif-samples');
const files = fs.readdirSync(samples).filter((f) => f.endsWith('.cif')).sort();

interface PymatgenBlock {
  file: string;
  block?: string;
  composition?: Record<string, number>;
  cell?: Record<string, number>;
  sites?: number;
  error?: string;
}

const hasPymatgen = spawnSync(PYTHON, ['-c', 'import pymatgen'], { encoding: 'utf8' }).status === 0;

function pymatgen(paths: string[]): PymatgenBlock[] {
  const r = spawnSync(PYTHON, [script, ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line) as PymatgenBlock);
}

/**
 * Files where pymatgen 2022.11 fails, and why. For these we assert that it still fails the same
 * way (so a pymatgen upgrade that fixes it makes this test ask for a real comparison) and check our
 * reading against the file's own _chemical_formula_sum instead.
 */
const PYMATGEN_FAILS: Record<string, { error: RegExp; reason: string; expected: Record<string, number> }> = {
  'cod__1000002-occupancy-questionmarks.cif': {
    error: /could not convert string to float: '\?'/,
    reason: "pymatgen cannot read '?' occupancies (we read them as 1 with a warning); formula C3 D3 O7 Sr, Z = 4, D read as H",
    expected: { C: 12, H: 12, O: 28, Sr: 4 },
  },
  'amcsd__two-data-blocks.cif#global_00001': {
    error: /occupancies sum to more than 1/,
    reason: "pymatgen takes label O-H3 as species 'O-H' and stacks it on F3; we read O 0.75 + F 0.25 at that site. Formula (Fe6.1 Mg.9) Si8 O23.5 (F.5 H1.5), Z = 2, H not among the sites",
    expected: { Fe: 12.2, Mg: 1.8, Si: 16, O: 47, F: 1 },
  },
};

function assertComposition(ours: Record<string, number>, theirs: Record<string, number>, what: string): void {
  assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), `${what}: elements`);
  for (const [el, n] of Object.entries(theirs)) assert.ok(Math.abs(ours[el] - n) < 1e-3, `${what}: ${el} ours ${ours[el]} pymatgen ${n}`);
}

test('pymatgen agrees with our reading of every sample (or fails for a documented reason)', (t) => {
  if (!hasPymatgen) return t.skip('pymatgen not installed');
  const theirs = pymatgen(files.map((f) => path.join(samples, f)));
  let compared = 0;
  for (const file of files) {
    const ours = summariseCif(file, fs.readFileSync(path.join(samples, file), 'utf8'));
    const fileFailure = PYMATGEN_FAILS[file];
    const records = theirs.filter((r) => path.basename(r.file) === file);
    if (fileFailure) {
      assert.equal(records.length, 1);
      assert.match(records[0].error ?? '', fileFailure.error, fileFailure.reason);
      assertComposition(ours[0].elements, fileFailure.expected, file);
      continue;
    }
    assert.equal(records.length, ours.length, `${file}: block count`);
    records.forEach((record, i) => {
      const block: CifBlockSummary = ours[i];
      assert.equal(block.block, record.block);
      const failure = PYMATGEN_FAILS[`${file}#${record.block}`];
      if (failure) {
        assert.match(record.error ?? '', failure.error, failure.reason);
        assertComposition(block.elements, failure.expected, `${file} ${record.block}`);
        return;
      }
      assert.equal(record.error, undefined, `${file}: pymatgen error`);
      assertComposition(block.elements, record.composition ?? {}, `${file} ${record.block}`);
      for (const k of ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const) {
        assert.ok(Math.abs((block.cell?.[k] ?? NaN) - (record.cell?.[k] ?? NaN)) < 1e-4, `${file}: ${k}`);
      }
      assert.equal(block.sites, record.sites, `${file} ${record.block}: sites`);
      compared++;
    });
  }
  assert.ok(compared >= 19, `compared ${compared} blocks`);
});

test('pymatgen and ASE read our written CIFs back with the same composition and cell', (t) => {
  if (!hasPymatgen) return t.skip('pymatgen not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cif-'));
  const written: { path: string; summary: CifBlockSummary }[] = [];
  for (const file of files) {
    const reading = readCif(fs.readFileSync(path.join(samples, file), 'utf8'));
    reading.blocks.forEach(({ structure, block }, i) => {
      if (!structure) return;
      const out = path.join(dir, `${i}-${file}`);
      fs.writeFileSync(out, writeCif(structure, { blockName: block.name }));
      written.push({ path: out, summary: summariseCif(out, fs.readFileSync(out, 'utf8'))[0] });
    });
  }
  const theirs = pymatgen(written.map((w) => w.path));
  for (const { path: p, summary } of written) {
    const record = theirs.find((r) => r.file === p);
    assert.ok(record && !record.error, `${p}: ${record?.error}`);
    assertComposition(summary.elements, record.composition ?? {}, p);
    assert.equal(record.sites, summary.sites, `${p}: pymatgen site count`);
  }
  // ASE keeps one symbol per site; compare its cell and, for ordered structures, its atom count.
  const ase = spawnSync(PYTHON, ['-c', 'import sys,json,ase.io\nfor p in sys.argv[1:]:\n  a=ase.io.read(p,format="cif")\n  print(json.dumps({"file":p,"n":len(a),"cell":list(a.cell.cellpar())}))', ...written.map((w) => w.path)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (ase.status !== 0) return t.diagnostic(`ASE not usable: ${ase.stderr.slice(0, 200)}`);
  for (const line of ase.stdout.trim().split('\n')) {
    const r = JSON.parse(line) as { file: string; n: number; cell: number[] };
    const summary = written.find((w) => w.path === r.file)?.summary;
    assert.ok(summary?.cell);
    const want = [summary.cell.a, summary.cell.b, summary.cell.c, summary.cell.alpha, summary.cell.beta, summary.cell.gamma];
    want.forEach((x, i) => assert.ok(Math.abs(x - r.cell[i]) < 1e-4, `${r.file}: ASE cell ${i}`));
    const ordered = Object.values(summary.elements).every((n) => Math.abs(n - Math.round(n)) < 1e-9);
    if (ordered) assert.equal(r.n, summary.sites, `${r.file}: ASE atoms vs our sites`);
  }
});
