import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedData } from './helpers/cli';
import { createOnehotFeaturizer } from '../src/core/features/onehot';
import { createGanFeaturizer, type ElementEmbeddings } from '../src/core/features/gan';
import { loadElements85 } from '../src/core/features/tables';
import { featurize, featurizeMany, FeaturizeError } from '../src/core/features/types';
import { createFeaturizer, isFeaturizerName } from '../src/core/features/registry';

const elements85 = loadElements85(sharedData);

test('the 85-element vocabulary runs H..Pu without the noble gases Po At Fr Ra', () => {
  assert.equal(elements85.length, 85);
  assert.equal(elements85[0], 'H');
  assert.equal(elements85[84], 'Pu');
  for (const absent of ['He', 'Ne', 'Ar', 'Kr', 'Po', 'At', 'Rn', 'Fr', 'Ra']) assert.ok(!elements85.includes(absent), absent);
});

test('onehot of Fe2O3 holds the raw amounts at the Fe and O rows and zeros elsewhere', () => {
  const f = createOnehotFeaturizer(elements85);
  const v = featurize(f, { symbols: ['Fe', 'O'], amounts: [2, 3] });
  assert.equal(v.length, 85);
  assert.equal(v[elements85.indexOf('Fe')], 2);
  assert.equal(v[elements85.indexOf('O')], 3);
  assert.equal(v.reduce((s, x) => s + x, 0), 5);
  assert.equal(f.labels[6], 'amount O');
  // raw amounts as written: Fe4O6 is twice Fe2O3
  assert.equal(featurize(f, { symbols: ['Fe', 'O'], amounts: [4, 6] })[elements85.indexOf('Fe')], 4);
});

test('onehot refuses Kr (outside the 85 elements) and non-positive amounts', () => {
  const f = createOnehotFeaturizer(elements85);
  assert.throws(() => featurize(f, { symbols: ['Kr', 'F'], amounts: [1, 2] }), FeaturizeError);
  assert.throws(() => featurize(f, { symbols: ['Na', 'Cl'], amounts: [1, 0] }), /positive/);
});

const embeddings: ElementEmbeddings = {
  elements: ['Fe', 'O', 'Na'],
  dim: 3,
  vectors: [[1, 0, -1], [0, 0.5, 0.25], [2, 2, 2]],
};

test('gan is the amount-weighted sum of embeddings; gan-frac the fraction-weighted one', () => {
  const raw = featurize(createGanFeaturizer(embeddings, 'raw'), { symbols: ['Fe', 'O'], amounts: [2, 3] });
  assert.deepEqual(Array.from(raw), [2, 1.5, -1.25]);
  const frac = featurize(createGanFeaturizer(embeddings, 'fraction'), { symbols: ['Fe', 'O'], amounts: [2, 3] });
  assert.deepEqual(Array.from(frac).map((x) => Math.round(x * 1e12) / 1e12), [0.4, 0.3, -0.25]);
  const fracDoubled = featurize(createGanFeaturizer(embeddings, 'fraction'), { symbols: ['Fe', 'O'], amounts: [4, 6] });
  assert.deepEqual(Array.from(fracDoubled), Array.from(frac));
});

test('featurizeMany writes rows back to back', () => {
  const f = createGanFeaturizer(embeddings, 'raw');
  const m = featurizeMany(f, [{ symbols: ['Na'], amounts: [1] }, { symbols: ['Fe'], amounts: [1] }]);
  assert.deepEqual(Array.from(m), [2, 2, 2, 1, 0, -1]);
});

test('the registry knows the four names and asks for a run folder for gan', () => {
  assert.ok(isFeaturizerName('gan-frac'));
  assert.ok(!isFeaturizerName('magpie999'));
  assert.ok(isFeaturizerName('magpie145'));
  assert.equal(createFeaturizer('magpie', { dataDir: sharedData }).dim, 132);
  assert.equal(createFeaturizer('onehot', { dataDir: sharedData }).dim, 85);
  assert.throws(() => createFeaturizer('gan', { dataDir: sharedData }), /--model RUN_DIR/);
});
