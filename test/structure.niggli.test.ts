import { test } from 'node:test';
import assert from 'node:assert/strict';
import { niggliReduce } from '../src/core/structure/niggli';
import { matMul, metricTensor, parametersFromLattice, volume } from '../src/core/structure/lattice';
import type { Mat3 } from '../src/core/structure/types';

/** Sorted lengths and sorted |cos| of the angles: invariant under the sign choices pymatgen makes. */
function invariants(m: Mat3): number[] {
  const p = parametersFromLattice(m);
  const cos = (x: number): number => Math.abs(Math.cos((x * Math.PI) / 180));
  return [...[p.a, p.b, p.c].sort((x, y) => x - y), ...[p.alpha, p.beta, p.gamma].map(cos).sort((x, y) => x - y)];
}

function expected(abc: number[], angles: number[]): number[] {
  const cos = (x: number): number => Math.abs(Math.cos((x * Math.PI) / 180));
  return [...[...abc].sort((x, y) => x - y), ...angles.map(cos).sort((x, y) => x - y)];
}

function assertNiggliForm(m: Mat3, input: Mat3): void {
  const g = metricTensor(m);
  const e = 1e-5 * Math.cbrt(volume(input));
  assert.ok(g[0][0] <= g[1][1] + e && g[1][1] <= g[2][2] + e, 'A ≤ B ≤ C');
  const offDiagonal = [g[1][2], g[0][2], g[0][1]].map((x) => (Math.abs(x) < e ? 0 : Math.sign(x)));
  assert.ok(offDiagonal.every((s) => s > 0) || offDiagonal.every((s) => s <= 0), 'all acute or all non-acute');
  assert.ok(Math.abs(volume(m) - volume(input)) < 1e-6 * volume(input), 'same volume');
  for (const [i, j] of [[1, 2], [0, 2], [0, 1]]) assert.ok(2 * Math.abs(g[i][j]) <= g[i][i] + e, 'reduced off-diagonals');
}

// Reference values from pymatgen 2022.11 Lattice.get_niggli_reduced_lattice().
const PYMATGEN_CASES: { input: Mat3; abc: number[]; angles: number[] }[] = [
  { input: [[6.205244811, -0.6047963309, -0.5580419939], [-0.7363277929, -32.2426567878, 8.0110929047], [-2.7055686051, -11.6880774242, 2.8850686344]], abc: [3.091548, 3.623309, 5.848517], angles: [100.2486, 93.151, 111.417] },
  { input: [[-25.9590666809, -5.5613744881, 19.3864371905], [10.5716662354, 1.6260916383, -6.3746610723], [0.0185472577, 0.981266403, 2.7041905909]], abc: [2.876782, 5.252572, 5.802263], angles: [107.1252, 90.5018, 93.0834] },
  { input: [[7.0554372477, 0.7019726502, -1.4110438803], [5.5973066498, -0.1358428768, 30.8143867484], [12.2278111193, -0.8512756791, 68.0852477801]], abc: [3.15757, 5.638547, 6.937316], angles: [81.9335, 82.348, 87.8659] },
  { input: [[0, 2, 2], [2, 0, 2], [2, 2, 0]], abc: [2.828427, 2.828427, 2.828427], angles: [60, 60, 60] },
  { input: [[-1.5, 1.5, 1.5], [1.5, -1.5, 1.5], [1.5, 1.5, -1.5]], abc: [2.598076, 2.598076, 2.598076], angles: [109.4712, 109.4712, 109.4712] },
];

test('Niggli-reduced cells agree with pymatgen (lengths, |cos| of angles)', () => {
  for (const c of PYMATGEN_CASES) {
    const r = niggliReduce(c.input);
    const ours = invariants(r.lattice);
    expected(c.abc, c.angles).forEach((x, i) => assert.ok(Math.abs(ours[i] - x) < 2e-5, `${JSON.stringify(c.input)}: ${ours[i]} vs ${x}`));
    assertNiggliForm(r.lattice, c.input);
  }
});

test('a skewed setting of a cube reduces to the cube, and the transform is exact', () => {
  const cube: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];
  const skew = matMul([[1, 0, 0], [7, 1, 0], [5, 9, 1]], cube);
  const r = niggliReduce(skew);
  invariants(r.lattice).forEach((x, i) => assert.ok(Math.abs(x - [2, 2, 2, 0, 0, 0][i]) < 1e-9));
  const back = matMul(r.transform, skew);
  back.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - r.lattice[i][j]) < 1e-9)));
  r.transform.flat().forEach((x) => assert.ok(Number.isInteger(x)));
});

test('random unimodular settings of one lattice all reduce to the same Niggli cell', () => {
  const base: Mat3 = [[4.1, 0.2, -0.3], [0.7, 5.3, 0.1], [-0.4, 0.9, 6.2]];
  const reference = invariants(niggliReduce(base).lattice);
  const settings: Mat3[] = [
    [[1, 2, 0], [0, 1, 0], [0, 0, 1]],
    [[1, 0, 0], [3, 1, 0], [-2, 4, 1]],
    [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
    [[1, 1, 1], [0, 1, 1], [0, 0, 1]],
  ];
  for (const t of settings) {
    const input = matMul(t, base);
    const r = niggliReduce(input);
    assertNiggliForm(r.lattice, input);
    invariants(r.lattice).forEach((x, i) => assert.ok(Math.abs(x - reference[i]) < 1e-8, `${JSON.stringify(t)}`));
  }
});
