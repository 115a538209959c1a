import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../src/ml/backend';
import { seededRandom } from '../src/ml/crystalGan/augmentation';
import { loadCheckpoint, saveCheckpoint } from '../src/ml/crystalGan/checkpoint';
import { CrystalCritic, CrystalGenerator, DEFAULT_ARCHITECTURE, LEGACY_ARCHITECTURE, minibatchSpread, pairDistances } from '../src/ml/crystalGan/model';
import { ANGLE_SCALE, LENGTH_SCALE, atomFeatures, encodeCrystal, type RepresentationSpec } from '../src/ml/crystalGan/representation';
import { CrystalGanModel, DEFAULT_HYPERPARAMETERS, toBatch } from '../src/ml/crystalGan/trainer';
import { latticeFromParameters, volume } from '../src/core/structure/lattice';
import type { Structure } from '../src/core/structure/types';

const spec: RepresentationSpec = { elements: ['Nb', 'O'], maxAtoms: 6, lengthRange: [2.5, 12], angleRange: [60, 120], volumePerAtomRange: [8, 25], lengthRatioRange: [0.5, 2] };

function nbo3(): Structure {
  const lattice = latticeFromParameters({ a: 4.2, b: 4.4, c: 5.1, alpha: 90, beta: 100, gamma: 80 });
  const site = (element: string, frac: [number, number, number]) => ({ frac, species: [{ element, occupancy: 1 }] });
  return { lattice, sites: [site('Nb', [0.1, 0.2, 0.3]), site('O', [0.6, 0.2, 0.3]), site('O', [0.1, 0.7, 0.3]), site('O', [0.1, 0.2, 0.8])] };
}

before(async () => {
  await initBackend('cpu');
});

test('critic score is invariant under atom permutations (1e-5)', () => {
  const critic = new CrystalCritic(spec, DEFAULT_ARCHITECTURE, 7);
  const s = nbo3();
  const permuted: Structure = { ...s, sites: [s.sites[2], s.sites[0], s.sites[3], s.sites[1]] };
  const { batch, condition } = toBatch([encodeCrystal(s, spec), encodeCrystal(permuted, spec)], spec);
  // Also move the atoms to other slots (empty slots first): slot order must not matter either.
  const width = atomFeatures(spec);
  const shiftedAtoms = tf.concat([batch.atoms.slice([0, 4, 0], [2, 2, width]), batch.atoms.slice([0, 0, 0], [2, 4, width])], 1) as tf.Tensor3D;
  const scores = critic.apply(batch, condition).arraySync();
  const shiftedScores = critic.apply({ lattice: batch.lattice, atoms: shiftedAtoms }, condition).arraySync();
  assert.ok(Math.abs(scores[0] - scores[1]) < 1e-5, `${scores[0]} vs ${scores[1]}`);
  assert.ok(Math.abs(scores[0] - shiftedScores[0]) < 1e-5, `${scores[0]} vs ${shiftedScores[0]}`);
  // …but it does depend on where the atoms are: a real structure feature, not a constant.
  const moved: Structure = { ...s, sites: s.sites.map((site, i) => (i === 1 ? { ...site, frac: [0.12, 0.2, 0.3] } : site)) };
  const movedBatch = toBatch([encodeCrystal(moved, spec)], spec);
  assert.ok(Math.abs(critic.apply(movedBatch.batch, movedBatch.condition).arraySync()[0] - scores[0]) > 1e-5);
});

test('smooth pair distances match the exact distance for close atoms and are periodic', () => {
  const lattice = latticeFromParameters({ a: 4, b: 5, c: 6, alpha: 90, beta: 90, gamma: 90 });
  const s: Structure = { lattice, sites: [{ frac: [0.98, 0.5, 0.5], species: [{ element: 'Nb', occupancy: 1 }] }, { frac: [0.02, 0.5, 0.5], species: [{ element: 'O', occupancy: 1 }] }] };
  const { batch } = toBatch([encodeCrystal(s, spec)], spec);
  const coords = batch.atoms.slice([0, 0, 0], [1, spec.maxAtoms, 6]).reshape([1, spec.maxAtoms, 3, 2]) as tf.Tensor4D;
  const d = pairDistances(batch.lattice, coords).arraySync()[0];
  // 0.04 of a 4 Å axis across the cell boundary = 0.16 Å (the smooth form is exact to ~0.1 %).
  assert.ok(Math.abs(d[0][1] - 0.16) < 1e-3, String(d[0][1]));
  assert.ok(Math.abs(d[0][1] - d[1][0]) < 1e-9);
});

test('generator output is always a buildable, bounded cell with unit-circle coordinates and probabilities', () => {
  const model = new CrystalGanModel(spec, DEFAULT_HYPERPARAMETERS, DEFAULT_ARCHITECTURE, 3);
  const random = seededRandom(5);
  const out = model.generate(Array.from({ length: 16 }, () => [1 / 6, 3 / 6]), random);
  const width = atomFeatures(spec);
  for (const item of out) {
    const lengths = item.lattice.slice(0, 3).map((x) => x * LENGTH_SCALE);
    const angles = item.lattice.slice(3).map((x) => x * ANGLE_SCALE);
    lengths.forEach((l) => assert.ok(l >= spec.lengthRange[0] - 1e-4 && l <= spec.lengthRange[1] + 1e-4, String(l)));
    angles.forEach((a) => assert.ok(a >= spec.angleRange[0] - 1e-3 && a <= spec.angleRange[1] + 1e-3, String(a)));
    // Unless a length was clipped, the cell holds its 4 atoms at a volume per atom within range.
    const clipped = lengths.some((l) => Math.abs(l - spec.lengthRange[0]) < 1e-4 || Math.abs(l - spec.lengthRange[1]) < 1e-4);
    const perAtom = volume(latticeFromParameters({ a: lengths[0], b: lengths[1], c: lengths[2], alpha: angles[0], beta: angles[1], gamma: angles[2] })) / 4;
    if (!clipped) assert.ok(perAtom >= spec.volumePerAtomRange[0] * 0.999 && perAtom <= spec.volumePerAtomRange[1] * 1.001, String(perAtom));
    for (let slot = 0; slot < spec.maxAtoms; slot++) {
      const row = item.atoms.slice(slot * width, (slot + 1) * width);
      for (let axis = 0; axis < 3; axis++) assert.ok(Math.abs(Math.hypot(row[2 * axis], row[2 * axis + 1]) - 1) < 1e-3);
      assert.ok(Math.abs(row[6] + row[7] - 1) < 1e-5);
      assert.ok(row[8] > 0 && row[8] < 1);
    }
  }
  model.dispose();
});

test('a few WGAN-GP steps run, report finite losses, and a checkpoint restores weights and Adam state', async () => {
  const model = new CrystalGanModel(spec, { ...DEFAULT_HYPERPARAMETERS, batchSize: 4, nCritic: 2 }, DEFAULT_ARCHITECTURE, 1);
  const random = seededRandom(2);
  const real = encodeCrystal(nbo3(), spec);
  const losses = model.trainStep(() => [real, real, real, real], random);
  for (const [key, value] of Object.entries(losses)) assert.ok(Number.isFinite(value), `${key} = ${value}`);
  assert.ok(losses.gradientPenalty >= 0);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crystal-gan-ckpt-'));
  await saveCheckpoint(dir, model, { spec, architecture: DEFAULT_ARCHITECTURE, hyperparameters: model.hyper, compositions: [], dataset: 'test', step: 1, epoch: 0, seed: 1, trainingSeconds: 0 });
  const { model: restored, metadata } = await loadCheckpoint(dir);
  assert.equal(metadata.step, 1);
  // Same weights → same next step, bit for bit, when both see the same random numbers.
  const a = model.trainStep(() => [real, real, real, real], seededRandom(9));
  const b = restored.trainStep(() => [real, real, real, real], seededRandom(9));
  assert.equal(a.criticLoss, b.criticLoss);
  assert.equal(a.generatorLoss, b.generatorLoss);
  model.dispose();
  restored.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a generator whose stored architecture predates volumeHead/minibatchStd decodes exactly as the legacy one', () => {
  const { volumeHead: _v, minibatchStd: _m, ...stored } = LEGACY_ARCHITECTURE;
  const legacy = new CrystalGenerator(spec, LEGACY_ARCHITECTURE, 3);
  const old = new CrystalGenerator(spec, stored, 3);
  const z = tf.randomNormal([4, DEFAULT_ARCHITECTURE.latentDim], 0, 1, 'float32', 5) as tf.Tensor2D;
  const condition = tf.tensor2d([[1, 1], [1, 2], [2, 2], [1, 3]].flatMap((c) => c.map((x) => x / spec.maxAtoms)), [4, 2]);
  assert.deepEqual(old.apply(z, condition).lattice.arraySync(), legacy.apply(z, condition).lattice.arraySync());
});

test('the log volume head keeps every cell within the volume-per-atom range and starts near its geometric mean', () => {
  const generator = new CrystalGenerator(spec, { ...DEFAULT_ARCHITECTURE, volumeHead: 'log' }, 11);
  const counts = [[1, 1], [1, 2], [2, 4], [1, 3]];
  const condition = tf.tensor2d(counts.flatMap((c) => c.map((x) => x / spec.maxAtoms)), [4, 2]);
  const lattice = generator.apply(tf.randomNormal([4, DEFAULT_ARCHITECTURE.latentDim], 0, 1, 'float32', 6) as tf.Tensor2D, condition).lattice.arraySync();
  const [lo, hi] = spec.volumePerAtomRange;
  lattice.forEach((row, i) => {
    const p = { a: row[0] * LENGTH_SCALE, b: row[1] * LENGTH_SCALE, c: row[2] * LENGTH_SCALE, alpha: row[3] * ANGLE_SCALE, beta: row[4] * ANGLE_SCALE, gamma: row[5] * ANGLE_SCALE };
    const perAtom = volume(latticeFromParameters(p)) / (counts[i][0] + counts[i][1]);
    // The length clip may move a cell slightly; 2 % margin.
    assert.ok(perAtom > lo * 0.98 && perAtom < hi * 1.02, String(perAtom));
    assert.ok(Math.abs(Math.log(perAtom / Math.sqrt(lo * hi))) < Math.log(hi / lo) / 2, 'untrained output is not at a range end');
  });
});

test('the minibatch spread is zero for a batch of copies and positive for different structures', () => {
  const same = minibatchSpread(tf.tensor2d([[1, 2, 3], [1, 2, 3], [1, 2, 3]]));
  const different = minibatchSpread(tf.tensor2d([[1, 2, 3], [2, 2, 3], [0, 5, 3]]));
  assert.deepEqual(same.shape, [3, 1]);
  assert.ok(same.arraySync()[0][0] < 1e-3);
  assert.ok(different.arraySync()[0][0] > 0.5);
  assert.equal(new Set(different.arraySync().map((r) => r[0])).size, 1, 'every sample sees the same batch statistic');
});
