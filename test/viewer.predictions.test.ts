// The predictions panel's data side: inputs from a CSV formula column and from selected text,
// rows with reasons for what cannot be predicted, sorting with missing values last, CSV export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputsFromCsv, inputsFromText, predictRows, tableToCsv } from '../src/extension/predictions/table';
import { sortRows, validateHostToPredictions, type PredictionTable } from '../src/extension/webviews/predictions/protocol';
import type { CompositionPrediction } from '../src/extension/language/logic/predictionCache';

async function fakePredict(elements: Record<string, number>): Promise<CompositionPrediction> {
  if (elements.Og) return { model: 'fake', error: 'element Og is outside the featurizer' };
  const n = Object.values(elements).reduce((a, b) => a + b, 0);
  return { model: 'fake v1', bandGap: { value: n / 2, uncertainty: 0.1, unit: 'eV' }, formationEnergy: { value: -n / 10, unit: 'eV/atom' } };
}

test('CSV input uses the formula column and keeps the line of each row', () => {
  const inputs = inputsFromCsv('id,pretty_formula,gap\n1,Fe2O3,2.0\n2,"NaCl",8\n', '/data/x.csv');
  assert.deepEqual(inputs, [{ formula: 'Fe2O3', source: 'x.csv:2' }, { formula: 'NaCl', source: 'x.csv:3' }]);
  assert.equal(inputsFromCsv('name\nSiC\n', 'y.csv')[0].formula, 'SiC', 'falls back to the first column');
});

test('text input: one token per line is taken as written; prose yields only formula-like tokens', () => {
  const inputs = inputsFromText('Fe2O3\nBa-1Cu\nThe oxides NaCl and MgO are in the list.\n', 'notes.md', 10);
  assert.deepEqual(inputs.map((i) => i.formula), ['Fe2O3', 'Ba-1Cu', 'NaCl', 'MgO']);
  assert.equal(inputs[2].source, 'notes.md, line 13');
});

test('rows carry predictions with uncertainty, or the reason there is none', async () => {
  const { rows, model, units } = await predictRows(
    [{ formula: 'Fe2O3', source: 'a' }, { formula: 'Sm1Ba-1Cu3O6.94', source: 'b' }, { formula: 'YBa2Cu3O7-x', source: 'c' }, { formula: 'OgO2', source: 'd' }, { formula: '', source: 'e' }],
    fakePredict,
  );
  assert.equal(model, 'fake v1');
  assert.deepEqual(units, ['eV', 'eV/atom']);
  assert.equal(rows[0].bandGap, 2.5);
  assert.equal(rows[0].bandGapUncertainty, 0.1);
  assert.equal(rows[0].formationEnergy, -0.5);
  assert.match(rows[1].reason ?? '', /column \d+/);
  assert.match(rows[2].reason ?? '', /variable stoichiometry/);
  assert.match(rows[3].reason ?? '', /outside the featurizer/);
  assert.equal(rows[4].reason, 'empty formula cell');
});

test('sorting by a numeric column puts rows without a value last in both directions', () => {
  const rows = [
    { index: 1, formula: 'A', source: '', bandGap: 2 },
    { index: 2, formula: 'B', source: '', reason: 'bad' },
    { index: 3, formula: 'C', source: '', bandGap: 0.5 },
  ];
  assert.deepEqual(sortRows(rows, 'bandGap', false).map((r) => r.index), [3, 1, 2]);
  assert.deepEqual(sortRows(rows, 'bandGap', true).map((r) => r.index), [1, 3, 2]);
  assert.deepEqual(sortRows(rows, 'formula', true).map((r) => r.index), [3, 2, 1]);
});

test('CSV export quotes fields, names units and keeps input order; the message validator accepts the table', async () => {
  const { rows } = await predictRows([{ formula: 'NaCl', source: 'x.csv:2' }, { formula: 'Q', source: 'x.csv:3' }], fakePredict);
  const table: PredictionTable = { title: 't', rows: [...rows].reverse(), model: 'fake', bandGapUnit: 'eV', formationEnergyUnit: 'eV/atom' };
  const csv = tableToCsv(table).trim().split('\n');
  assert.equal(csv[0], 'index,formula,source,band_gap_eV,band_gap_std_eV,formation_energy_eV_per_atom,formation_energy_std_eV_per_atom,reason');
  assert.equal(csv[1], '1,NaCl,x.csv:2,1,0.1,-0.2,,');
  assert.match(csv[2], /^2,Q,x\.csv:3,,,,,"?.+/);
  assert.equal(validateHostToPredictions({ type: 'table', data: table }).ok, true);
  assert.equal(validateHostToPredictions({ type: 'table', data: { ...table, rows: [{ index: 'x' }] } }).ok, false);
});
