import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ELEMENTS, elementByZ, getElement, isElementSymbol } from '../src/core/chem/elements';

test('the table holds all 118 elements in Z order with unique symbols', () => {
  assert.equal(ELEMENTS.length, 118);
  ELEMENTS.forEach((e, i) => assert.equal(e.Z, i + 1));
  assert.equal(new Set(ELEMENTS.map((e) => e.symbol)).size, 118);
  assert.equal(elementByZ(118)?.symbol, 'Og');
});

test('known facts: iron, oxygen, helium, krypton', () => {
  const fe = getElement('Fe');
  assert.equal(fe?.Z, 26);
  assert.equal(fe?.name, 'Iron');
  assert.ok(Math.abs((fe?.mass ?? 0) - 55.845) < 1e-3);
  assert.equal(fe?.paulingEN, 1.83);
  assert.deepEqual(fe?.oxidationStates, [2, 3]);
  assert.equal(fe?.covalentRadius, 1.32);
  assert.equal(getElement('O')?.paulingEN, 3.44);
  assert.equal(getElement('He')?.paulingEN, undefined);
  assert.equal(getElement('Kr')?.Z, 36);
});

test('symbol lookup is case-sensitive and rejects isotopes and junk', () => {
  assert.equal(isElementSymbol('Co'), true);
  for (const s of ['CO', 'co', 'D', 'T', 'Xx', '', 'Fe ']) assert.equal(isElementSymbol(s), false, s);
  assert.equal(elementByZ(0), undefined);
  assert.equal(elementByZ(119), undefined);
  assert.equal(elementByZ(1.5), undefined);
});

test('every element has a positive mass and covalent radius', () => {
  for (const e of ELEMENTS) {
    assert.ok(e.mass > 0 && e.mass < 300, `${e.symbol} mass ${e.mass}`);
    assert.ok(e.covalentRadius > 0.2 && e.covalentRadius <= 2.6, `${e.symbol} radius ${e.covalentRadius}`);
  }
});
