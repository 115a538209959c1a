// The viewer's scene model (webview/crystal/scene.ts) and the host's structure → model step, on
// hand-made cells and on real files: atom counts with face images, bonds from covalent radii,
// supercells, and the CIF/POSCAR readers behind the viewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildScene, findBonds } from '../webview/crystal/scene';
import { loadStructure, formatOf } from '../src/extension/viewer/structureSource';
import { toViewerModel, reducedFormulaOf } from '../src/extension/viewer/viewerModel';
import type { ViewerModel } from '../src/extension/webviews/crystal/protocol';

const samples = path.resolve(__dirname, '..', '..', 'shared', 'data', 'cif-samples');

function rockSalt(a = 5.64): ViewerModel {
  const fcc: [number, number, number][] = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  return {
    title: 'NaCl',
    lattice: [[a, 0, 0], [0, a, 0], [0, 0, a]],
    atoms: [
      ...fcc.map((f) => ({ element: 'Na', frac: f, occupancy: 1 })),
      ...fcc.map((f) => ({ element: 'Cl', frac: [(f[0] + 0.5) % 1, f[1], f[2]] as [number, number, number], occupancy: 1 })),
    ],
    formula: 'NaCl', warnings: [], blockNames: [], blockIndex: 0,
  };
}

test('rock salt: face images complete the conventional cube (27 atoms) and every bond is Na–Cl at a/2', () => {
  const scene = buildScene(rockSalt());
  // 14 Na (8 corners + 6 faces) + 13 Cl (12 edges + centre) = 27 atoms in the closed cube.
  assert.equal(scene.atoms.length, 27);
  assert.equal(scene.edges.length, 12);
  assert.ok(scene.bonds.length > 0);
  for (const [i, j] of scene.bonds) {
    const a = scene.atoms[i], b = scene.atoms[j];
    assert.notEqual(a.element, b.element, 'no Na–Na or Cl–Cl bonds');
    const d = Math.hypot(...a.position.map((x, k) => x - b.position[k]) as [number, number, number]);
    assert.ok(Math.abs(d - 2.82) < 1e-6, `bond length ${d}`);
  }
  // Nearest-neighbour pairs on a closed 3×3×3 grid: 3 axes × 2 steps × 9 lines = 54.
  assert.equal(scene.bonds.length, 54);
});

test('a 2×1×3 supercell multiplies the interior atoms and stretches the box', () => {
  const big = buildScene(rockSalt(), [2, 1, 3], false);
  // Rock salt atoms sit on a simple cubic grid of step a/2: a closed 2×1×3 box holds 5 × 3 × 7 of them.
  assert.equal(big.atoms.length, 105);
  const xs = big.atoms.map((a) => a.position[0]);
  assert.ok(Math.abs(Math.max(...xs) - 2 * 5.64) < 1e-9);
  assert.deepEqual(big.bonds, []);
});

test('bonds use covalent radii with tolerance: O–O at 1.3 Å bonds, at 2.0 Å does not', () => {
  const atom = (x: number) => ({ element: 'O', label: 'O', frac: [0, 0, 0] as [number, number, number], position: [x, 0, 0] as [number, number, number], radius: 0.3, color: 0, occupancy: 1 });
  assert.equal(findBonds([atom(0), atom(1.3)]).length, 1);
  assert.equal(findBonds([atom(0), atom(2.0)]).length, 0);
  assert.equal(findBonds([atom(0), atom(0.1)]).length, 0, 'coincident (disordered) positions are not bonds');
});

test('file kind follows the name: POSCAR, CONTCAR and .vasp are POSCAR, the rest CIF', () => {
  assert.equal(formatOf('/x/POSCAR'), 'poscar');
  assert.equal(formatOf('/x/CONTCAR_relaxed'), 'poscar');
  assert.equal(formatOf('/x/a.vasp'), 'poscar');
  assert.equal(formatOf('/x/a.cif'), 'cif');
  assert.equal(formatOf('/x/A.CIF'), 'cif');
});

test('every shared CIF sample loads into a viewer model with atoms inside a finite cell', () => {
  const files = fs.readdirSync(samples).filter((f) => f.endsWith('.cif'));
  assert.ok(files.length >= 20);
  for (const file of files) {
    const loaded = loadStructure(fs.readFileSync(path.join(samples, file), 'utf8'), file);
    const model = toViewerModel(file, loaded);
    assert.ok(model.atoms.length > 0, file);
    assert.ok(model.lattice.flat().every(Number.isFinite), file);
    const scene = buildScene(model);
    assert.ok(scene.atoms.length >= model.atoms.length, file);
  }
});

test('two data blocks: the block picker lists both and the second can be chosen', () => {
  const text = fs.readFileSync(path.join(samples, 'amcsd__two-data-blocks.cif'), 'utf8');
  const second = loadStructure(text, 'two.cif', 1);
  assert.equal(second.blockNames.length, 2);
  assert.equal(second.blockIndex, 1);
  assert.notEqual(reducedFormulaOf(second.structure), reducedFormulaOf(loadStructure(text, 'two.cif', 0).structure));
});

test('calcite reads as CaCO3 with its space group', () => {
  const loaded = loadStructure(fs.readFileSync(path.join(samples, 'cod__calcite.cif'), 'utf8'), 'calcite.cif');
  assert.equal(reducedFormulaOf(loaded.structure), 'CCaO3');
  assert.match(loaded.spaceGroup ?? '', /R\s*-3\s*c/i);
});

test('a POSCAR loads through the POSCAR reader; broken text gives a positioned error', () => {
  const poscar = 'NaCl\n1.0\n5.64 0 0\n0 5.64 0\n0 0 5.64\nNa Cl\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n';
  const model = toViewerModel('POSCAR', loadStructure(poscar, '/w/POSCAR'));
  assert.equal(model.atoms.length, 2);
  assert.throws(() => loadStructure('NaCl\n1.0\n5.64 0\n', '/w/POSCAR'), /line/i);
  assert.throws(() => loadStructure('# nothing here\n', '/w/empty.cif'), /no data block/);
});

test('very large supercells skip bonds and say so instead of freezing the view', () => {
  const model = rockSalt();
  model.atoms = Array.from({ length: 1000 }, (_, i) => ({ element: 'Na', frac: [(i % 10) / 10, (Math.floor(i / 10) % 10) / 10, Math.floor(i / 100) / 10] as [number, number, number], occupancy: 1 }));
  const small = buildScene(model, [1, 1, 1]);
  assert.equal(small.bondsSkipped, false);
  const big = buildScene(model, [3, 3, 3]);
  assert.ok(big.atoms.length > 20000);
  assert.equal(big.bondsSkipped, true);
  assert.deepEqual(big.bonds, []);
});
