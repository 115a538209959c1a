// Structure building details: charged type symbols, grouping by position (not label), special
// positions, unknown occupancies, expansion from Hall symbol / IT number, single unlooped operation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../src/core/data/dataDir';
import { compositionOf, readCif } from '../src/core/cif/index';

const samples = path.join(resolveDataDir().path, 'cif-samples');
const sample = (f: string): string => fs.readFileSync(path.join(samples, f), 'utf8');
const CELL = '_cell_length_a 5\n_cell_length_b 5\n_cell_length_c 5\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n';
const SITES = 'loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n';

test('charged type symbols give the element and its oxidation state (ICSD Ca2+, O2-)', () => {
  const s = readCif(sample('icsd-style__calcite-18166.cif')).blocks[0].structure;
  assert.ok(s);
  const species = s.sites.flatMap((site) => site.species);
  assert.ok(species.filter((sp) => sp.element === 'Ca').every((sp) => sp.oxidationState === 2));
  assert.ok(species.filter((sp) => sp.element === 'O').every((sp) => sp.oxidationState === -2));
  assert.ok(species.filter((sp) => sp.element === 'C').every((sp) => sp.oxidationState === 4));
});

test('rows sharing a position are one disordered site, even under one label (MatterGen Ta/Cr)', () => {
  const s = readCif(sample('pymatgen__Ta0.67Cr1.33O4_disordered_mattergen.cif')).blocks[0].structure;
  assert.ok(s);
  assert.equal(s.sites.length, 6);
  const origin = s.sites.find((site) => site.frac.every((x) => x === 0));
  assert.deepEqual(origin?.species.map((sp) => [sp.element, Number(sp.occupancy.toFixed(6))]), [['Ta', 0.333333], ['Cr', 0.666667]]);
});

test('images of a special position merge; general positions do not', () => {
  const text = `data_x\n${CELL}_space_group_name_H-M_alt 'P m -3 m'\n${SITES}Cs1 Cs 0 0 0\nCl1 Cl 0.5 0.5 0.5\nO1 O 0.5 0 0\nH1 H 0.1 0.2 0.3\n`;
  const s = readCif(text).blocks[0].structure;
  assert.ok(s);
  assert.deepEqual(compositionOf(s), { Cs: 1, Cl: 1, O: 3, H: 48 });
});

test("'?' occupancy is read as 1 with a warning", () => {
  const reading = readCif(sample('diffpy__TeI-unkocc.cif'));
  assert.ok(reading.blocks[0].structure?.sites.every((site) => site.species.every((sp) => sp.occupancy === 1)));
  assert.equal(reading.diagnostics.find((d) => d.code === 'occupancy-unknown')?.severity, 'warning');
});

test('expansion from a Hall symbol alone and from an IT number alone', () => {
  const atoms = `${SITES}Na1 Na 0 0 0\n`;
  const fromHall = readCif(`data_x\n${CELL}_space_group_name_Hall '-F 4 2 3'\n${atoms}`);
  const fromNumber = readCif(`data_x\n${CELL}_symmetry_Int_Tables_number 229\n${atoms}`);
  assert.equal(fromHall.blocks[0].structure?.sites.length, 4);
  assert.equal(fromNumber.blocks[0].structure?.sites.length, 2, 'I m -3 m: body centring');
  assert.equal(fromHall.diagnostics.find((d) => d.code === 'symops-expanded')?.severity, 'info');
});

test('a single unlooped operation is legal and means P 1', () => {
  const reading = readCif(`data_x\n${CELL}_symmetry_space_group_name_H-M 'F m -3 m'\n_symmetry_equiv_pos_as_xyz 'x, y, z'\n${SITES}Na1 Na 0 0 0\n`);
  assert.equal(reading.blocks[0].structure?.sites.length, 1, 'the listed operations win over the symbol');
  assert.deepEqual(reading.diagnostics.filter((d) => d.severity !== 'info'), []);
});

test('the rhombohedral-axes calcite (R -3 c RS) reads like the hexagonal one, per formula unit', () => {
  const rho = compositionOf(readCif(sample('cod__calcite.cif')).blocks[0].structure ?? { lattice: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], sites: [] });
  assert.deepEqual(rho, { Ca: 2, C: 2, O: 6 });
});

test('a block without atom sites has no structure and no cell error', () => {
  const reading = readCif('data_meta\n_journal_year 2015\n');
  assert.equal(reading.blocks[0].structure, undefined);
  assert.deepEqual(reading.diagnostics, []);
});

test('columns in any order: z y x rows still give well-formed ranges (fuzz regression)', () => {
  const text = `data_x\n${CELL}loop_\n_atom_site_fract_z\n_atom_site_fract_y\n_atom_site_fract_x\n_atom_site_label\n0.1 0.2 0.3 Na1\n0.1 0.2 0.3 Na2\n`;
  const reading = readCif(text);
  const d = reading.diagnostics.find((x) => x.code === 'occupancy-sum-above-one');
  assert.ok(d);
  assert.deepEqual(d.range, { start: { line: 13, character: 8 }, end: { line: 13, character: 11 } });
  assert.deepEqual(reading.blocks[0].structure?.sites[0].frac, [0.3, 0.2, 0.1]);
});
