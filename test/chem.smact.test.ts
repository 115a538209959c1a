import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cdvaeCompositionValidity, gcdReduce, matganChemicalValidity, paulingTest, type SmactTables } from '../src/core/chem/smact';
import { loadSmactTables, parseElectronegativities } from '../src/core/data/smactTables';
import { sharedData } from './helpers/cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A small hand-made table so the logic is tested independently of the data files.
const toy: SmactTables = {
  oxidationStates: new Map<string, number[]>([
    ['Fe', [2, 3]], ['O', [-2]], ['Na', [1]], ['Cl', [-1, 1, 3, 5, 7]], ['Cu', [1, 2]], ['Zn', [2]],
    ['He', []], ['Pm', [3]], ['Q', [-1]], ['F', [-1]], ['H', [-1, 1]],
  ]),
  electronegativity: new Map<string, number | undefined>([
    ['Fe', 1.83], ['O', 3.44], ['Na', 0.93], ['Cl', 3.16], ['Cu', 1.9], ['Zn', 1.65], ['He', undefined], ['Pm', undefined], ['F', 3.98], ['H', 2.2], ['Q', 0.5],
  ]),
  metals: new Set(['Fe', 'Na', 'Cu', 'Zn', 'Pm']),
};

test('CDVAE validity: single element and the all-metals alloy shortcut pass without a search', () => {
  assert.deepEqual(cdvaeCompositionValidity({ O: 2 }, toy), { valid: true, reason: 'single-element', assignmentsChecked: 0 });
  assert.equal(cdvaeCompositionValidity({ Cu: 1, Zn: 1 }, toy).reason, 'all-metals');
});

test('CDVAE validity: a neutral, electronegativity-ordered assignment in the reduced ratio', () => {
  const r = cdvaeCompositionValidity({ Fe: 4, O: 6 }, toy);
  assert.equal(r.valid, true);
  assert.deepEqual(r.assignment, { Fe: 3, O: -2 });
  assert.equal(cdvaeCompositionValidity({ Fe: 3, O: 4 }, toy).reason, 'no-neutral-assignment', 'Fe3O4 has no integer assignment');
  assert.equal(cdvaeCompositionValidity({ Na: 1, Cl: 2 }, toy).valid, false);
});

test('neutral but anion less electronegative than the cation fails the Pauling test', () => {
  // Q is a made-up anion (-1) with χ 0.5, below sodium's 0.93: Na(+1)Q(-1) is neutral but not balanced.
  const r = cdvaeCompositionValidity({ Na: 1, Q: 1 }, toy);
  assert.equal(r.valid, false);
  assert.equal(r.reason, 'neutral-but-not-electronegativity-balanced');
  assert.deepEqual(r.assignment, { Na: 1, Q: -1 });
  // HCl: H(-1)Cl(+1) is neutral but unbalanced; the search goes on to H(+1)Cl(-1).
  assert.deepEqual(cdvaeCompositionValidity({ H: 1, Cl: 1 }, toy).assignment, { H: 1, Cl: -1 });
});

test('missing χ passes for CDVAE (its TypeError rule) and fails for MatGAN by default', () => {
  const cdvae = cdvaeCompositionValidity({ Pm: 1, Cl: 3 }, toy);
  assert.equal(cdvae.valid, true);
  assert.equal(cdvae.electronegativityMissing, true);
  const matgan = matganChemicalValidity({ Pm: 1, Cl: 3 }, toy);
  assert.equal(matgan.chargeNeutral, true);
  assert.equal(matgan.electronegativityBalanced, false);
  assert.equal(matgan.valid, false);
  assert.equal(matganChemicalValidity({ Pm: 1, Cl: 3 }, toy, { missingElectronegativity: 'pass' }).valid, true);
});

test('no oxidation states or unknown elements are invalid with the elements named', () => {
  assert.deepEqual(cdvaeCompositionValidity({ He: 1, O: 1 }, toy), { valid: false, reason: 'no-oxidation-states', elements: ['He'], assignmentsChecked: 0 });
  assert.equal(cdvaeCompositionValidity({ Og: 1, O: 1 }, toy).reason, 'unknown-element');
});

test('MatGAN CN/EB use the counts as written, fractions included', () => {
  const r = matganChemicalValidity({ Fe: 2, O: 3 }, toy);
  assert.equal(r.chargeNeutral && r.electronegativityBalanced && r.valid, true);
  assert.deepEqual(r.assignment, { Fe: 3, O: -2 });
  assert.equal(matganChemicalValidity({ Na: 0.5, Cl: 0.5 }, toy).valid, true);
  assert.equal(matganChemicalValidity({ Cu: 1, Zn: 1 }, toy).valid, false, 'no alloy shortcut in MatGAN');
});

test('the search is capped and says so', () => {
  const r = cdvaeCompositionValidity({ Cl: 7, Fe: 5, Na: 3, O: 11, F: 13 }, toy, { maxAssignments: 5 });
  assert.equal(r.reason, 'search-capped');
  assert.equal(r.valid, false);
});

test('paulingTest follows SMACT pair order and the missing-χ rule', () => {
  assert.equal(paulingTest([1, -1], [0.9, 3.2]), 'pass');
  assert.equal(paulingTest([1, -1], [3.2, 0.9]), 'fail');
  assert.equal(paulingTest([1, -1], [undefined, 3]), 'missing');
  assert.equal(paulingTest([1, 1], [undefined, 3]), 'pass', 'same-sign pairs are not compared');
  assert.equal(gcdReduce([4, 6]).join(), '2,3');
  assert.equal(gcdReduce([0.5, 1]).join(), '0.5,1');
});

test('real SMACT tables: 2014 set, None electronegativities, 79 metals; CDVAE reference cases', () => {
  const tables = loadSmactTables(sharedData);
  assert.deepEqual(tables.oxidationStates.get('Fe'), [-2, -1, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(tables.oxidationStates.get('He'), []);
  assert.equal(tables.electronegativity.get('O'), 3.44);
  assert.equal(tables.electronegativity.get('Pm'), undefined);
  assert.equal(tables.metals.size, 79);
  // Expected values from an independent Python transcription of CDVAE's smact_validity on the same tables.
  const cases: [Record<string, number>, boolean][] = [
    [{ Fe: 2, O: 3 }, true], [{ Fe: 3, O: 4 }, false], [{ Na: 1, Cl: 1 }, true], [{ Li: 1, Fe: 1, P: 1, O: 4 }, true],
    [{ Cu: 3, Au: 1 }, true], [{ He: 1, O: 1 }, false], [{ Pm: 1, Cl: 3 }, true], [{ Na: 1, Cl: 2 }, false],
  ];
  for (const [comp, valid] of cases) assert.equal(cdvaeCompositionValidity(comp, tables).valid, valid, JSON.stringify(comp));
});

test('a malformed element_data line is reported with file and line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-smact-'));
  const file = path.join(dir, 'element_data.txt');
  fs.writeFileSync(file, '# header\nH Hydrogen 1 1.0 0.31 0.75 None None 1.4e3 2.20 13.6 4.51\nHe Helium 2\n');
  assert.throws(() => parseElectronegativities(file), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: expected at least 10 columns`));
});
