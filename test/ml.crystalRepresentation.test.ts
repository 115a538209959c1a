import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNbo } from '../src/core/data/structureDatasets';
import { parametersFromLattice } from '../src/core/structure/lattice';
import type { Structure } from '../src/core/structure/types';
import {
  atomFeatures,
  decodeCrystal,
  decodeCrystalWithComposition,
  encodeCrystal,
  presentIndex,
  specForStructures,
  type RepresentationSpec,
} from '../src/ml/crystalGan/representation';
import { sharedData } from './helpers/cli';

const nbo = loadNbo(sharedData);
const structures = nbo.structures.map((s) => s.structure);
const spec = specForStructures(structures);

/** Periodic difference of two fractional coordinates, in [0, 0.5]. */
function periodicGap(x: number, y: number): number {
  const d = Math.abs(x - y) % 1;
  return Math.min(d, 1 - d);
}

function assertSameCrystal(original: Structure, decoded: Structure, where: string): void {
  const p = parametersFromLattice(original.lattice);
  const q = parametersFromLattice(decoded.lattice);
  for (const key of ['a', 'b', 'c', 'alpha', 'beta', 'gamma'] as const) assert.ok(Math.abs(p[key] - q[key]) < 1e-6, `${where}: ${key} ${p[key]} vs ${q[key]}`);
  assert.equal(decoded.sites.length, original.sites.length, where);
  original.sites.forEach((site, i) => {
    const back = decoded.sites[i];
    assert.equal(back.species[0].element, site.species[0].element, `${where} site ${i}`);
    for (let k = 0; k < 3; k++) {
      assert.ok(back.frac[k] >= 0 && back.frac[k] < 1, `${where} site ${i}: ${back.frac[k]} not wrapped`);
      assert.ok(periodicGap(back.frac[k], site.frac[k]) < 1e-6, `${where} site ${i} axis ${k}: ${site.frac[k]} → ${back.frac[k]}`);
    }
  });
}

test('all 267 Nb–O POSCARs load and set the representation (2 elements, 56 slots)', () => {
  assert.equal(nbo.structures.length, 267);
  assert.deepEqual(spec.elements, ['Nb', 'O']);
  assert.equal(spec.maxAtoms, 56);
  assert.equal(atomFeatures(spec), 6 + 2 + 1);
});

test('encode → decode round-trips every Nb–O training structure within 1e-6 after wrapping', () => {
  for (const { id, structure } of nbo.structures) assertSameCrystal(structure, decodeCrystal(encodeCrystal(structure, spec), spec), id);
});

test('empty slots are all zeros with present = 0, so padding never decodes to an atom at the origin', () => {
  const twoAtoms = nbo.structures.find((s) => s.structure.sites.length === 2);
  assert.ok(twoAtoms);
  const encoded = encodeCrystal(twoAtoms.structure, spec);
  const width = atomFeatures(spec);
  for (let slot = 2; slot < spec.maxAtoms; slot++) {
    assert.ok(encoded.atoms.slice(slot * width, (slot + 1) * width).every((v) => v === 0), `slot ${slot}`);
  }
  assert.equal(encoded.atoms[presentIndex(spec)], 1);
  assert.equal(decodeCrystal(encoded, spec).sites.length, 2);
});

test('the condition is the composition divided by the slot count', () => {
  const s = nbo.structures.find((x) => x.structure.sites.length === 6);
  assert.ok(s);
  const encoded = encodeCrystal(s.structure, spec);
  const nb = s.structure.sites.filter((site) => site.species[0].element === 'Nb').length;
  assert.deepEqual(encoded.condition, [nb / 56, (6 - nb) / 56]);
});

test('coordinates outside [0, 1) encode like their wrapped images', () => {
  const base = structures[0];
  const shifted: Structure = { ...base, sites: base.sites.map((s) => ({ ...s, frac: [s.frac[0] + 3, s.frac[1] - 2, s.frac[2] + 1] })) };
  const a = encodeCrystal(base, spec).atoms;
  const b = encodeCrystal(shifted, spec).atoms;
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `feature ${i}`));
});

test('decoding with a prescribed composition keeps the most confident slots and exactly that composition', () => {
  const small: RepresentationSpec = { elements: ['Nb', 'O'], maxAtoms: 4, lengthRange: [2, 10], angleRange: [60, 120], volumePerAtomRange: [8, 25], lengthRatioRange: [0.5, 2] };
  // Slot features: sin/cos for x, y, z, then Nb score, O score, present.
  const slot = (x: number, nb: number, o: number, present: number): number[] => [Math.sin(2 * Math.PI * x), Math.cos(2 * Math.PI * x), 0, 1, 0, 1, nb, o, present];
  const encoded = { lattice: [0.1, 0.1, 0.1, 0.5, 0.5, 0.5], condition: [], atoms: [...slot(0.1, 0.9, 0.1, 0.9), ...slot(0.2, 0.8, 0.2, 0.2), ...slot(0.3, 0.6, 0.4, 0.8), ...slot(0.4, 0.3, 0.7, 0.7)] };
  const decoded = decodeCrystalWithComposition(encoded, small, [1, 2]);
  assert.deepEqual(decoded.sites.map((s) => s.species[0].element), ['Nb', 'O', 'O']);
  assert.deepEqual(decoded.sites.map((s) => Math.round(s.frac[0] * 10) / 10), [0.1, 0.3, 0.4]);
  // The plain decoding would keep the same three slots but call two of them Nb.
  assert.deepEqual(decodeCrystal(encoded, small).sites.map((s) => s.species[0].element), ['Nb', 'Nb', 'O']);
});

test('too many atoms and unknown elements are refused with a clear message', () => {
  const tiny: RepresentationSpec = { ...spec, maxAtoms: 1 };
  assert.throws(() => encodeCrystal(structures[0], tiny), /more than the 1 slots/);
  const other: RepresentationSpec = { ...spec, elements: ['Nb'] };
  assert.throws(() => encodeCrystal(structures[0], other), /element O is not in this model's element set/);
});
