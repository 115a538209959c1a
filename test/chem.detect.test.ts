import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findFormulaAt, findFormulas } from '../src/core/chem/detect';

function hoverText(line: string, word: string, context: 'plain' | 'formula-context' = 'plain'): string | undefined {
  const at = line.indexOf(word);
  assert.ok(at >= 0, `${word} is in the line`);
  return findFormulaAt(line, at + Math.floor(word.length / 2), context)?.text;
}

test('formulas in prose are found with their exact range', () => {
  const line = 'Dissolve NaCl and Fe2O3 in H₂O, then add Ca3(PO4)2 and CuSO4·5H2O.';
  for (const f of ['NaCl', 'Fe2O3', 'H₂O', 'Ca3(PO4)2', 'CuSO4·5H2O']) assert.equal(hoverText(line, f), f);
  const m = findFormulaAt(line, line.indexOf('Fe2O3'), 'plain');
  assert.deepEqual(m, { start: 18, end: 23, text: 'Fe2O3', elements: { Fe: 2, O: 3 } });
  assert.equal(findFormulaAt(line, 23, 'plain')?.text, 'Fe2O3', 'the cursor just after the formula still hovers it');
});

test('English words, single symbols and programming tokens do not match in plain text', () => {
  const words = ['I', 'In', 'As', 'At', 'No', 'He', 'Be', 'Am', 'Co', 'OK', 'NO', 'SO', 'HI', 'IF', 'OF', 'ON', 'BY', 'UP', 'US', 'HOW', 'WHY', 'SKY', 'SPY', 'COPY', 'BUNNY', 'NaN', 'CoCo', 'CPU', 'IO', 'UI', 'PC', 'SCF', 'CIF', 'CO', 'Cocoa', 'Bunny', 'V8', '2024', '3.5'];
  for (const w of words) {
    const line = `say ${w} here`;
    assert.equal(findFormulaAt(line, 4, 'plain'), undefined, w);
  }
  const sentence = 'I think NaN and CPU and HOW are OK, but NaCl is salt.';
  const at = sentence.indexOf('NaCl');
  assert.deepEqual(findFormulas(sentence), [{ start: at, end: at + 4, text: 'NaCl', elements: { Na: 1, Cl: 1 } }]);
});

test('two symbols with a two-letter one (NaCl, SiC) match without digits; one-letter pairs do not', () => {
  assert.equal(hoverText('the SiC wafer', 'SiC'), 'SiC');
  assert.equal(hoverText('GaAs lasers', 'GaAs'), 'GaAs');
  assert.equal(hoverText('the KI solution', 'KI'), undefined);
});

test('formula contexts lift rule 1 but keep the programming stop-list', () => {
  assert.equal(hoverText('_chemical_formula_sum Co', 'Co', 'formula-context'), 'Co');
  assert.equal(hoverText('formula: CO', 'CO', 'formula-context'), 'CO');
  assert.equal(hoverText('formula: NaN', 'NaN', 'formula-context'), undefined);
  assert.equal(hoverText('formula: CIF', 'CIF', 'formula-context'), undefined);
});

test('prose punctuation and brackets are not part of the formula', () => {
  assert.equal(hoverText('table salt (NaCl).', 'NaCl'), 'NaCl');
  assert.equal(hoverText('rust, Fe2O3.', 'Fe2O3'), 'Fe2O3');
  assert.equal(hoverText('see [Fe2O3]', 'Fe2O3'), 'Fe2O3');
  assert.equal(hoverText('K4[Fe(CN)6] is blue', 'Fe(CN)'), 'K4[Fe(CN)6]');
  assert.equal(hoverText('ion Fe^3+ here', 'Fe^3'), 'Fe^3+');
});

test('tokens that do not parse are not offered', () => {
  for (const w of ['Fe2O3x', 'Xx2', 'D2O', 'Y3N', 'Abc12']) {
    const line = `a ${w} b`;
    const m = findFormulaAt(line, 3, 'plain');
    if (w === 'Y3N') assert.equal(m?.text, 'Y3N');
    else assert.equal(m, undefined, w);
  }
  assert.equal(findFormulaAt('x', 5, 'plain'), undefined);
  assert.equal(findFormulaAt('NaCl', -1, 'plain'), undefined);
});

test('findFormulas returns every match in order with offsets', () => {
  const text = 'LiFePO4 vs LiCoO2\nand Li2O';
  const found = findFormulas(text);
  assert.deepEqual(found.map((m) => m.text), ['LiFePO4', 'LiCoO2', 'Li2O']);
  for (const m of found) assert.equal(text.slice(m.start, m.end), m.text);
});

test('no piece of a variable-stoichiometry or malformed formula is offered; prose hyphens are fine', () => {
  for (const [line, at] of [['The YBa2Cu3O7-x film', 6], ['a Li1-xCoO2 cathode', 3], ['a Li1-xCoO2 cathode', 8], ['Sm1Ba-1Cu3O6.94 here', 1], ['Sm1Ba-1Cu3O6.94 here', 9], ['YBa2Cu3O6+δ', 2]] as const) {
    assert.equal(findFormulaAt(line, at, 'plain'), undefined, `${line} @${at}`);
  }
  assert.equal(findFormulaAt('Fe2O3-based catalysts', 2, 'plain')?.text, 'Fe2O3');
  assert.equal(findFormulaAt('ion Fe^3+ here', 5, 'plain')?.text, 'Fe^3+');
  assert.deepEqual(findFormulas('YBa2Cu3O7-x and NaCl').map((m) => m.text), ['NaCl']);
});
