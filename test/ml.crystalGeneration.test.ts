import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../src/ml/backend';
import { structuralValidity } from '../src/core/structure/metrics';
import { composition } from '../src/core/structure/composition';
import { seededRandom } from '../src/ml/crystalGan/augmentation';
import type { TrainingComposition } from '../src/ml/crystalGan/checkpoint';
import { generateCrystals, sampleConditions } from '../src/ml/crystalGan/generation';
import { CrystalGenerator, DEFAULT_ARCHITECTURE } from '../src/ml/crystalGan/model';
import type { RepresentationSpec } from '../src/ml/crystalGan/representation';

const spec: RepresentationSpec = { elements: ['Nb', 'O'], maxAtoms: 8, lengthRange: [2.5, 9], angleRange: [60, 120], volumePerAtomRange: [8, 25], lengthRatioRange: [0.5, 2] };
const compositions: TrainingComposition[] = [
  { counts: [1, 1], structures: 3, chargeBalanced: true },
  { counts: [1, 2], structures: 1, chargeBalanced: true },
  { counts: [3, 1], structures: 4, chargeBalanced: false },
];

before(async () => {
  await initBackend('cpu');
});

test('weighted conditions come from charge-balanced compositions in proportion to their structures', () => {
  const drawn = sampleConditions(compositions, 4000, seededRandom(1), { weighted: true });
  assert.ok(drawn.every((c) => c.join() !== '3,1'), 'Nb3O is not charge-balanced');
  const share = drawn.filter((c) => c.join() === '1,1').length / drawn.length;
  assert.ok(Math.abs(share - 0.75) < 0.03, String(share));
  const all = sampleConditions(compositions, 4000, seededRandom(1), { pool: 'all' });
  assert.ok(all.some((c) => c.join() === '3,1'));
});

test('by default each composition has the same share; random ones stay within the atom slots', () => {
  const uniform = sampleConditions(compositions, 4000, seededRandom(3));
  const share = uniform.filter((c) => c.join() === '1,1').length / uniform.length;
  assert.ok(Math.abs(share - 0.5) < 0.03, String(share));
  const random = sampleConditions(compositions, 2000, seededRandom(4), { pool: 'random', maxAtoms: 6 });
  const totals = random.map((c) => c[0] + c[1]);
  assert.ok(totals.every((t) => t >= 1 && t <= 6));
  assert.equal(new Set(totals).size, 6, 'every atom count from 1 to 6 occurs');
  assert.ok(random.some((c) => c.join() === '2,3'), 'compositions outside the training set occur');
  assert.throws(() => sampleConditions(compositions, 1, seededRandom(4), { pool: 'random' }), /atom slots/);
});

test('raw decoding keeps the generator\'s own composition and says whether it matched the condition', () => {
  const generator = new CrystalGenerator(spec, DEFAULT_ARCHITECTURE, 4);
  const out = generateCrystals(generator, compositions, 40, seededRandom(2), { rawDecoding: true });
  for (const g of out) {
    if (!g.structure) {
      assert.match(g.error ?? '', /present score/);
      continue;
    }
    const comp = composition(g.structure);
    assert.equal([comp.Nb ?? 0, comp.O ?? 0].join() === g.condition.join(), g.rawMatchesCondition);
  }
});

test('every generated structure has exactly its condition as composition, wrapped coordinates and bounded angles', () => {
  const generator = new CrystalGenerator(spec, DEFAULT_ARCHITECTURE, 4);
  const out = generateCrystals(generator, compositions, 40, seededRandom(2));
  assert.equal(out.length, 40);
  for (const g of out) {
    assert.ok(g.structure, g.error);
    const comp = composition(g.structure);
    assert.deepEqual([comp.Nb ?? 0, comp.O ?? 0], g.condition);
    for (const site of g.structure.sites) for (const x of site.frac) assert.ok(x >= 0 && x < 1);
  }
});

test('the optional resample repair only replaces invalid samples and never lowers validity', () => {
  const generator = new CrystalGenerator(spec, DEFAULT_ARCHITECTURE, 4);
  const plain = generateCrystals(generator, compositions, 60, seededRandom(7));
  const repaired = generateCrystals(generator, compositions, 60, seededRandom(7), { resample: 4 });
  const valid = (list: typeof plain) => list.filter((g) => g.structure && structuralValidity(g.structure)).length;
  assert.ok(valid(repaired) >= valid(plain));
  plain.forEach((g, i) => {
    if (g.structure && structuralValidity(g.structure)) {
      assert.equal(repaired[i].redraws, 0);
      assert.deepEqual(repaired[i].structure, g.structure);
    }
  });
  assert.ok(plain.every((g) => g.redraws === 0));
});
