import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalKey, formatAmount, formatFormula, fractionalComposition, hillFormula, hillOrder, reduceComposition, reducedFormula,
} from '../src/core/chem/composition';
import { parseFormula } from '../src/core/chem/formula';

function elements(formula: string): Record<string, number> {
  const r = parseFormula(formula);
  assert.ok(r.ok, formula);
  return r.elements;
}

test('reducedFormula matches pymatgen 2022.11 reduced_formula (values taken from pymatgen)', () => {
  const expected: [string, string][] = [
    ['Fe4O6', 'Fe2O3'],
    ['O3Fe2', 'Fe2O3'],
    ['Li4Fe4P4O16', 'LiFePO4'],
    ['Ca3(PO4)2', 'Ca3(PO4)2'],
    ['LiO', 'Li2O2'],
    ['O2', 'O2'],
    ['H4', 'H2'],
    ['NaCl', 'NaCl'],
    ['B1Ce2V1', 'Ce2VB'],
    ['La1.85Sr0.15CuO4', 'Sr0.15La1.85Cu1O4'],
    ['Ba0.4K0.6Fe2As2', 'K0.6Ba0.4Fe2As2'],
    ['C6H12O6', 'H2CO'],
  ];
  for (const [input, reduced] of expected) assert.equal(reducedFormula(elements(input)), reduced, input);
});

test('reduceComposition divides integers by their gcd and leaves fractions alone', () => {
  assert.deepEqual(reduceComposition({ Fe: 4, O: 6 }), { composition: { Fe: 2, O: 3 }, factor: 2 });
  assert.deepEqual(reduceComposition({ Fe: 0.5, O: 1 }), { composition: { Fe: 0.5, O: 1 }, factor: 1 });
});

test('Hill order: C, H, then alphabetical; without C everything alphabetical', () => {
  assert.equal(hillFormula(elements('C6H12O6')), 'C6H12O6');
  assert.equal(hillFormula(elements('CuSO4·5H2O')), 'CuH10O9S');
  assert.equal(hillFormula(elements('NaCH3COO')), 'C2H3NaO2');
  assert.equal(hillFormula(elements('O3Fe2')), 'Fe2O3');
  assert.deepEqual(hillOrder(['O', 'Cl', 'C']), ['C', 'Cl', 'O']);
});

test('fractions and the canonical key are independent of scale and notation', () => {
  assert.deepEqual(fractionalComposition({ Fe: 2, O: 3 }), { Fe: 0.4, O: 0.6 });
  const key = canonicalKey(elements('Fe2O3'));
  assert.equal(key, 'Fe0.4O0.6');
  assert.equal(canonicalKey(elements('Fe4O6')), key);
  assert.equal(canonicalKey(elements('Fe₂O₃')), key);
  assert.equal(canonicalKey(elements('O3Fe2')), key);
  assert.notEqual(canonicalKey(elements('Fe3O4')), key);
});

test('formatFormula omits counts of 1, never writes exponents, and parses back', () => {
  assert.equal(formatFormula({ Fe: 2, O: 3 }), 'Fe2O3');
  assert.equal(formatFormula({ Na: 1, Cl: 1 }), 'NaCl');
  assert.equal(formatAmount(1e-7), '0.0000001');
  const comp = { La: 1.85, Sr: 0.15, Cu: 1, O: 4, H: 1e-7 };
  const back = parseFormula(formatFormula(comp));
  assert.ok(back.ok);
  assert.deepEqual(back.elements, comp);
});
