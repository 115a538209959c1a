import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SPACE_GROUP_ROWS } from '../src/core/cif/spaceGroupTable';
import { applySymOp, formatSymOp, parseSymOp, resolveSpaceGroup, spaceGroupOperations, spaceGroupSettingCount, symOpKey, type SymOp } from '../src/core/cif/symmetry';

function op(text: string): SymOp {
  const r = parseSymOp(text);
  if (!r.ok) throw new Error(r.error);
  return r.op;
}

test('symmetry operations in the spellings real files use', () => {
  assert.deepEqual(op('x, y, z'), { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0] });
  assert.deepEqual(op('-x+1/2, y, -z'), { rotation: [-1, 0, 0, 0, 1, 0, 0, 0, -1], translation: [0.5, 0, 0] });
  assert.deepEqual(op('1/2+x,1/2-y,1/2-z'), { rotation: [1, 0, 0, 0, -1, 0, 0, 0, -1], translation: [0.5, 0.5, 0.5] });
  assert.deepEqual(op('+x,+y,+z'), op('x,y,z'));
  assert.deepEqual(op('X-Y, x, Z+0.5'), { rotation: [1, -1, 0, 1, 0, 0, 0, 0, 1], translation: [0, 0, 0.5] });
  assert.deepEqual(op('x y z'), op('x,y,z'));
  assert.deepEqual(applySymOp(op('-y+2/3, x-y+1/3, z+1/3'), [0.1, 0.2, 0.3]), [2 / 3 - 0.2, 0.1 - 0.2 + 1 / 3, 0.3 + 1 / 3]);
  assert.equal(formatSymOp(op('1/2-x, y+1/3, -z+3/4')), '-x+1/2,y+1/3,-z+3/4');
});

test('bad operations are rejected with a reason, never thrown', () => {
  for (const bad of ['x, y', 'x, y, q', 'x, y, z, x', 'x, y, 1/2x*', 'x,,z', 'x, y, 0.5x']) {
    const r = parseSymOp(bad);
    assert.equal(r.ok, false, bad);
  }
});

test('the table covers all 230 groups in 559 settings', () => {
  assert.equal(spaceGroupSettingCount(), 559);
  assert.equal(new Set(SPACE_GROUP_ROWS.map((r) => r[0])).size, 230);
});

test('H-M symbols resolve as written in the samples, with settings kept', () => {
  const cases: [string, string][] = [
    ["'P 1 21/n 1'", 'P 1 21/n 1'],
    ['P21/c', 'P 1 21/c 1'],
    ['C 2/c', 'C 1 2/c 1'],
    ["'R -3 c H'", 'R -3 c:H'],
    ["'R -3 m :H'", 'R -3 m:H'],
    ['R -3 m:R', 'R -3 m:R'],
    ['F-43m', 'F -4 3 m'],
    ["'F m 3 m'", 'F m -3 m'],
    ['Fm3m', 'F m -3 m'],
    ['Pm3m', 'P m -3 m'],
    ['p_63/m_m_c', 'P 63/m m c'],
    ['F d -3 m :2', 'F d -3 m:2'],
    ['F d -3 m Z', 'F d -3 m:2'],
  ];
  for (const [written, symbol] of cases) assert.equal(resolveSpaceGroup({ hermannMauguin: written })?.symbol, symbol, written);
  assert.equal(resolveSpaceGroup({ hermannMauguin: "'R -3 c H'" })?.writtenSetting, 'H');
});

test('R symbols without a setting follow the cell: hexagonal or rhombohedral axes', () => {
  const hex = { a: 4.99, b: 4.99, c: 17.0, alpha: 90, beta: 90, gamma: 120 };
  const rho = { a: 6.36, b: 6.36, c: 6.36, alpha: 46.1, beta: 46.1, gamma: 46.1 };
  assert.equal(resolveSpaceGroup({ hermannMauguin: 'R -3 c RS', cell: rho })?.symbol, 'R -3 c:R');
  assert.equal(resolveSpaceGroup({ hermannMauguin: 'R -3 c', cell: hex })?.symbol, 'R -3 c:H');
  assert.equal(resolveSpaceGroup({ number: 167, cell: rho })?.symbol, 'R -3 c:R');
});

test('Hall symbols and IT numbers resolve; unknown symbols do not', () => {
  assert.equal(resolveSpaceGroup({ hall: '-P_2yn' })?.symbol, 'P 1 21/n 1');
  assert.equal(resolveSpaceGroup({ hall: "'-R 3 2\"'" })?.symbol, 'R -3 m:H');
  assert.equal(resolveSpaceGroup({ hall: 'F -4 2 3' })?.symbol, 'F -4 3 m');
  assert.equal(resolveSpaceGroup({ number: 225 })?.symbol, 'F m -3 m');
  assert.equal(resolveSpaceGroup({ hermannMauguin: 'Q 9' }), undefined);
  assert.equal(resolveSpaceGroup({ number: 231 }), undefined);
});

test('group orders: P 1 → 1, P 21/c → 4, R -3 c:H → 36, F m -3 m → 192', () => {
  const order = (s: string): number => {
    const resolved = resolveSpaceGroup({ hermannMauguin: s });
    assert.ok(resolved, s);
    return spaceGroupOperations(resolved).length;
  };
  assert.equal(order('P 1'), 1);
  assert.equal(order('P 21/c'), 4);
  assert.equal(order('R -3 c:H'), 36);
  assert.equal(order('F m -3 m'), 192);
});

test('every setting expands to exactly gemmi\'s operations (Debian python3 + gemmi)', (t) => {
  const script = 'import gemmi,json; print(json.dumps({s.xhm(): [o.triplet() for o in s.operations()] for s in gemmi.spacegroup_table()}))';
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    t.skip('gemmi not installed');
    return;
  }
  const gemmiOps = JSON.parse(r.stdout) as Record<string, string[]>;
  for (const [number, symbol, hall] of SPACE_GROUP_ROWS) {
    const ours = new Set(spaceGroupOperations({ number, symbol, hall }).map(symOpKey));
    const theirs = new Set(gemmiOps[symbol].map((s) => symOpKey(op(s))));
    assert.equal(ours.size, theirs.size, symbol);
    for (const k of theirs) assert.ok(ours.has(k), `${symbol}: missing ${k}`);
  }
});
