// Magpie-145: the 132 Magpie statistics unchanged, then the 13 composition-level features, checked
// against values worked out by hand from the element tables (χ, valence electrons) for a few
// compositions whose chemistry is known: Fe2O3 and NaCl are ionic, CuZn is not, and a fractional
// superconductor formula goes through the integer-count path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedData } from './helpers/cli';
import { createMagpieFeaturizer, MAGPIE_LABELS } from '../src/core/features/magpie';
import { createMagpie145Featurizer, integerCounts, MAGPIE145_EXTRA_LABELS } from '../src/core/features/magpie145';
import { createFeaturizer } from '../src/core/features/registry';
import { loadMagpieTable } from '../src/core/features/tables';
import { featurize, FeaturizeError, type ElementAmounts } from '../src/core/features/types';
import { loadSmactTables } from '../src/core/data/smactTables';
import { embedIonicTables, featurizerOf } from '../src/ml/regressor/modelFile';

const table = loadMagpieTable(sharedData);
const featurizer = createMagpie145Featurizer(table, loadSmactTables(sharedData));
const magpie = createMagpieFeaturizer(table);

function extras(symbols: string[], amounts: number[]): Record<string, number> {
  const values = featurize(featurizer, { symbols, amounts }).slice(MAGPIE_LABELS.length);
  return Object.fromEntries(MAGPIE145_EXTRA_LABELS.map((label, i) => [label, values[i]]));
}

test('magpie145 has 145 labelled features and starts with the 132 Magpie ones', () => {
  assert.equal(featurizer.dim, 145);
  assert.equal(featurizer.labels.length, 145);
  assert.equal(new Set(featurizer.labels).size, 145);
  const composition: ElementAmounts = { symbols: ['Ba', 'Ti', 'O'], amounts: [1, 1, 3] };
  assert.deepEqual(Array.from(featurize(featurizer, composition).slice(0, 132)), Array.from(featurize(magpie, composition)));
  assert.equal(createFeaturizer('magpie145', { dataDir: sharedData }).dim, 145);
});

test('stoichiometry norms of Fe2O3 are those of the fractions 0.4 and 0.6', () => {
  const f = extras(['Fe', 'O'], [2, 3]);
  assert.equal(f['Stoichiometry 0-norm'], 2);
  assert.ok(Math.abs(f['Stoichiometry 2-norm'] - Math.sqrt(0.16 + 0.36)) < 1e-12);
  assert.ok(Math.abs(f['Stoichiometry 10-norm'] - (0.4 ** 10 + 0.6 ** 10) ** 0.1) < 1e-12);
});

test('valence-orbital fractions of Fe2O3 follow Fe 3d6 4s2 and O 2s2 2p4', () => {
  const f = extras(['Fe', 'O'], [2, 3]);
  const total = 0.4 * 8 + 0.6 * 6;
  assert.ok(Math.abs(f['ValenceOrbital frac s valence electrons'] - 2 / total) < 1e-9);
  assert.ok(Math.abs(f['ValenceOrbital frac p valence electrons'] - (0.6 * 4) / total) < 1e-9);
  assert.ok(Math.abs(f['ValenceOrbital frac d valence electrons'] - (0.4 * 6) / total) < 1e-9);
  assert.equal(f['ValenceOrbital frac f valence electrons'], 0);
});

test('ionic character of NaCl from Pauling χ 0.93 and 3.16; the compound is possible', () => {
  const f = extras(['Na', 'Cl'], [1, 1]);
  const character = 1 - Math.exp(-((3.16 - 0.93) ** 2) / 4);
  assert.ok(Math.abs(f['IonProperty max ionic char'] - character) < 1e-9);
  assert.ok(Math.abs(f['IonProperty avg ionic char'] - 0.25 * character) < 1e-9);
  assert.equal(f['IonProperty compound possible (SMACT CN+EB)'], 1);
});

test('an intermetallic is not a possible ionic compound; a wrong ratio is not either', () => {
  assert.equal(extras(['Cu', 'Zn'], [1, 1])['IonProperty compound possible (SMACT CN+EB)'], 0);
  assert.equal(extras(['Na', 'Cl'], [1, 3])['IonProperty compound possible (SMACT CN+EB)'], 0);
});

test('fractional amounts are scaled to the smallest integer counts before the charge check', () => {
  assert.deepEqual(integerCounts([0.4, 0.6, 2, 2]), [2, 3, 10, 10]);
  assert.deepEqual(integerCounts([1, 1.5]), [2, 3]);
  assert.equal(integerCounts([Math.PI, 1]), undefined);
  assert.equal(extras(['Li', 'O'], [Math.PI, 1])['IonProperty compound possible (SMACT CN+EB)'], 0.5);
  // Li0.5Na0.5Cl: charge-balanced once scaled to LiNaCl2.
  assert.equal(extras(['Li', 'Na', 'Cl'], [0.5, 0.5, 1])['IonProperty compound possible (SMACT CN+EB)'], 1);
});

test('an element outside the Magpie table is a FeaturizeError naming it', () => {
  assert.throws(() => featurize(featurizer, { symbols: ['Xx', 'O'], amounts: [1, 1] }), (e: unknown) => e instanceof FeaturizeError && /Xx/.test(e.message));
});

test('a model file carries the tables: its magpie145 featurizer computes the same features through JSON', () => {
  const embedded = JSON.parse(JSON.stringify({ name: 'magpie145', table, ionic: embedIonicTables(loadSmactTables(sharedData)) })) as Parameters<typeof featurizerOf>[0];
  const fromFile = featurizerOf(embedded);
  for (const composition of [{ symbols: ['Fe', 'O'], amounts: [2, 3] }, { symbols: ['Ba', 'K', 'Fe', 'As'], amounts: [0.4, 0.6, 2, 2] }, { symbols: ['He', 'O'], amounts: [1, 1] }]) {
    assert.deepEqual(Array.from(featurize(fromFile, composition)), Array.from(featurize(featurizer, composition)));
  }
});
