// parse → write → parse is stable: same composition, cell and site count, for every sample and
// for generated structures (disorder, oxidation states, oblique cells); written files are valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../src/core/data/dataDir';
import { compositionOf, readCif, writeCif } from '../src/core/cif/index';
import { latticeFromParameters, parametersFromLattice } from '../src/core/structure/lattice';
import type { Structure } from '../src/core/structure/types';

const samples = path.join(resolveDataDir().path, 'cif-samples');

function readOne(text: string): Structure {
  const reading = readCif(text);
  const structure = reading.blocks.find((b) => b.structure)?.structure;
  assert.ok(structure, 'a structure was read');
  return structure;
}

function assertSameStructure(a: Structure, b: Structure, what: string): void {
  assert.equal(b.sites.length, a.sites.length, `${what}: site count`);
  const ca = compositionOf(a);
  const cb = compositionOf(b);
  assert.deepEqual(Object.keys(cb).sort(), Object.keys(ca).sort(), `${what}: elements`);
  for (const el of Object.keys(ca)) assert.ok(Math.abs(ca[el] - cb[el]) < 1e-6, `${what}: ${el} ${ca[el]} vs ${cb[el]}`);
  const pa = parametersFromLattice(a.lattice);
  const pb = parametersFromLattice(b.lattice);
  for (const k of ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const) assert.ok(Math.abs(pa[k] - pb[k]) < 1e-6, `${what}: ${k}`);
}

for (const file of fs.readdirSync(samples).filter((f) => f.endsWith('.cif')).sort()) {
  test(`round trip: ${file}`, () => {
    const reading = readCif(fs.readFileSync(path.join(samples, file), 'utf8'));
    for (const { structure, block } of reading.blocks) {
      if (!structure) continue;
      const written = writeCif(structure, { blockName: block.name, comment: `from ${file}` });
      const again = readCif(written);
      assert.deepEqual(again.diagnostics.filter((d) => d.severity !== 'info'), [], 'the written CIF is clean');
      assertSameStructure(structure, readOne(written), `${file} ${block.name}`);
    }
  });
}

const generated: { name: string; structure: Structure }[] = [
  {
    name: 'disordered rock salt with oxidation states',
    structure: {
      lattice: latticeFromParameters({ a: 4.2, b: 4.2, c: 4.2, alpha: 90, beta: 90, gamma: 90 }),
      sites: [
        { frac: [0, 0, 0], species: [{ element: 'Mg', occupancy: 0.5, oxidationState: 2 }, { element: 'Fe', occupancy: 0.5, oxidationState: 2 }] },
        { frac: [0.5, 0.5, 0.5], species: [{ element: 'O', occupancy: 1, oxidationState: -2 }] },
      ],
    },
  },
  {
    name: 'triclinic cell with many sites of one element',
    structure: {
      lattice: latticeFromParameters({ a: 5.1, b: 6.3, c: 7.7, alpha: 71.3, beta: 83.9, gamma: 101.2 }),
      sites: Array.from({ length: 12 }, (_, i) => ({ frac: [(i * 0.083) % 1, (i * 0.31) % 1, (i * 0.57) % 1] as [number, number, number], species: [{ element: i % 3 ? 'O' : 'Nb', occupancy: 1 }] })),
    },
  },
  {
    name: 'vacancy (occupancy below 1)',
    structure: {
      lattice: latticeFromParameters({ a: 3, b: 3, c: 3, alpha: 90, beta: 90, gamma: 90 }),
      sites: [{ frac: [0, 0, 0], species: [{ element: 'Cu', occupancy: 0.75 }] }],
    },
  },
];

for (const { name, structure } of generated) {
  test(`round trip: generated ${name}`, () => {
    const written = writeCif(structure);
    const back = readOne(written);
    assertSameStructure(structure, back, name);
    const withStates = structure.sites.flatMap((s) => s.species).filter((sp) => sp.oxidationState !== undefined);
    const backStates = back.sites.flatMap((s) => s.species).filter((sp) => sp.oxidationState !== undefined);
    assert.equal(backStates.length, withStates.length, 'oxidation states survive');
  });
}

test('written CIF follows pymatgen CifWriter style with unique labels', () => {
  const text = writeCif(generated[0].structure, { blockName: 'my block' });
  assert.match(text, /^data_my_block$/m);
  assert.match(text, /^_symmetry_space_group_name_H-M {3}'P 1'$/m);
  assert.match(text, /^_cell_formula_units_Z {3}1$/m);
  assert.match(text, /^_chemical_formula_sum {3}'Mg0\.5 Fe0\.5 O1'$/m);
  assert.match(text, /^ {2}Mg2\+ {2}Mg0 {2}1 {2}0\.00000000 {2}0\.00000000 {2}0\.00000000 {2}0\.5$/m);
  const labels = [...text.matchAll(/^ {2}\S+ {2}(\S+) {2}1 /gm)].map((m) => m[1]);
  assert.equal(new Set(labels).size, labels.length);
});

test('CRLF input reads the same as LF input', () => {
  const text = fs.readFileSync(path.join(samples, 'vesta__calcite.cif'), 'utf8');
  const crlf = text.replace(/\r?\n/g, '\r\n');
  const a = readCif(text);
  const b = readCif(crlf);
  assertSameStructure(readOne(text), readOne(crlf), 'CRLF');
  assert.deepEqual(b.diagnostics.map((d) => [d.code, d.range]), a.diagnostics.map((d) => [d.code, d.range]));
  const amcsd = fs.readFileSync(path.join(samples, 'amcsd__08755-K4Cu4OCl10.cif'), 'utf8');
  assert.ok(amcsd.includes('\r\n'), 'the AMCSD sample is CRLF');
  assertSameStructure(readOne(amcsd), readOne(amcsd.replace(/\r\n/g, '\n')), 'AMCSD CRLF → LF');
});
