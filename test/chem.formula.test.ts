import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFormula, roundAmount, type FormulaContext, type FormulaResult } from '../src/core/chem/formula';

function ok(input: string, context?: FormulaContext): Extract<FormulaResult, { ok: true }> {
  const r = parseFormula(input, { context });
  assert.ok(r.ok, `${input} should parse but gave: ${r.ok ? '' : `${r.error} at ${r.column}`}`);
  return r;
}

function bad(input: string, context?: FormulaContext): Extract<FormulaResult, { ok: false }> {
  const r = parseFormula(input, { context });
  assert.ok(!r.ok, `${input} should be rejected but gave ${JSON.stringify(r)}`);
  return r;
}

test('integer counts, explicit 1s and element order as written', () => {
  assert.deepEqual(ok('Fe2O3').elements, { Fe: 2, O: 3 });
  assert.deepEqual(ok('B1Ce2V1').elements, { B: 1, Ce: 2, V: 1 });
  assert.deepEqual(ok('LiFePO4').elements, { Li: 1, Fe: 1, P: 1, O: 4 });
  assert.deepEqual(Object.keys(ok('OFe').elements), ['O', 'Fe']);
  assert.deepEqual(ok('Kr').elements, { Kr: 1 });
  assert.deepEqual(ok('CO').elements, { C: 1, O: 1 }, 'CO is carbon monoxide, not cobalt');
  assert.deepEqual(ok('Co').elements, { Co: 1 });
});

test('decimal counts, including .5, with float noise rounded to 12 significant digits', () => {
  assert.deepEqual(ok('La1.85Sr0.15CuO4').elements, { La: 1.85, Sr: 0.15, Cu: 1, O: 4 });
  assert.deepEqual(ok('Fe.5O').elements, { Fe: 0.5, O: 1 });
  assert.deepEqual(ok('Fe0.3333333333330001O').elements, { Fe: 0.333333333333, O: 1 });
  assert.deepEqual(ok('Ba0.4K0.6Fe2As2').elements, { Ba: 0.4, K: 0.6, Fe: 2, As: 2 });
});

test('nested () and [] groups with integer and decimal multipliers; repeated elements are summed', () => {
  assert.deepEqual(ok('Ca3(PO4)2').elements, { Ca: 3, P: 2, O: 8 });
  assert.deepEqual(ok('Mg(OH)2').elements, { Mg: 1, O: 2, H: 2 });
  assert.deepEqual(ok('K4[Fe(CN)6]').elements, { K: 4, Fe: 1, C: 6, N: 6 });
  assert.deepEqual(ok('Ag(AuS)2').elements, { Ag: 1, Au: 2, S: 2 });
  assert.deepEqual(ok('(PO4)0.5').elements, { P: 0.5, O: 2 });
  assert.deepEqual(ok('CH3COOH').elements, { C: 2, H: 4, O: 2 });
});

test('hydrates and adducts with · ⋅ • * and a leading multiplier', () => {
  for (const sep of ['·', '⋅', '•', '*']) {
    assert.deepEqual(ok(`CuSO4${sep}5H2O`).elements, { Cu: 1, S: 1, O: 9, H: 10 }, sep);
  }
  assert.deepEqual(ok('Na2CO3·10H2O').elements, { Na: 2, C: 1, O: 13, H: 20 });
  assert.deepEqual(ok('CuSO4 · 5 H2O').elements, { Cu: 1, S: 1, O: 9, H: 10 });
  assert.deepEqual(ok('2H2O').elements, { H: 4, O: 2 });
});

test('charges: ^, superscripts, [2-]; a charged single element states its oxidation state', () => {
  const fe = ok('Fe^3+');
  assert.equal(fe.charge, 3);
  assert.deepEqual(fe.oxidationStates, { Fe: 3 });
  assert.equal(ok('Fe³⁺').charge, 3);
  assert.equal(ok('O²⁻').charge, -2);
  assert.equal(ok('Cl⁻').charge, -1);
  assert.equal(ok('Fe^+3').charge, 3);
  const sulfate = ok('SO4^2-');
  assert.deepEqual(sulfate.elements, { S: 1, O: 4 });
  assert.equal(sulfate.charge, -2);
  assert.equal(sulfate.oxidationStates, undefined, 'a polyatomic charge is no element oxidation state');
  assert.equal(ok('SO4[2-]').charge, -2);
  assert.equal(ok('[Fe(CN)6]^4-').charge, -4);
  assert.equal(ok('Fe2O3').charge, undefined);
});

test('a bare trailing n± is a charge in CIF type symbols but ambiguous in free text', () => {
  const cu = ok('Cu2+', 'cif-type');
  assert.deepEqual(cu.elements, { Cu: 1 });
  assert.equal(cu.charge, 2);
  assert.equal(ok('O2-', 'cif-type').charge, -2);
  assert.equal(ok('O-', 'cif-type').charge, -1);
  assert.deepEqual(ok('Ti', 'cif-type').elements, { Ti: 1 });
  const e = bad('Fe3+');
  assert.equal(e.column, 4);
  assert.match(e.error, /ambiguous charge/);
  assert.equal(bad('Fe 3+').column, 4);
});

test('Unicode subscripts', () => {
  assert.deepEqual(ok('H₂O').elements, { H: 2, O: 1 });
  assert.deepEqual(ok('Fe₂O₃').elements, { Fe: 2, O: 3 });
  assert.deepEqual(ok('Ca₃(PO₄)₂').elements, { Ca: 3, P: 2, O: 8 });
});

test('CIF sum form, quoted or not, and whitespace-separated free text', () => {
  assert.deepEqual(ok("'C12 H10 N2 O'", 'cif-sum').elements, { C: 12, H: 10, N: 2, O: 1 });
  assert.deepEqual(ok('Ta0.66666667 Cr1.33333333 O4', 'cif-sum').elements, { Ta: 0.66666667, Cr: 1.33333333, O: 4 });
  assert.deepEqual(ok('C12 H10 N2 O').elements, { C: 12, H: 10, N: 2, O: 1 });
  assert.deepEqual(ok('  Fe2 O3  ').elements, { Fe: 2, O: 3 });
});

test('CIF moiety form: comma-separated parts, pre-multipliers, a charge after a space', () => {
  const salt = ok('C12 H17 N4 O S 1+, C6 H2 N3 O7 1-', 'cif-moiety');
  assert.deepEqual(salt.elements, { C: 18, H: 19, N: 7, O: 8, S: 1 });
  assert.equal(salt.charge, 0);
  assert.deepEqual(ok('C12 H16 N2 O6, 5(H2 O1)', 'cif-moiety').elements, { C: 12, H: 26, N: 2, O: 11 });
  assert.equal(ok('2(C6 H5 1+), S O4 2-', 'cif-moiety').charge, 0);
});

test('Roman numerals are oxidation states, not groups', () => {
  const r = ok('Fe(III)');
  assert.deepEqual(r.elements, { Fe: 1 });
  assert.deepEqual(r.oxidationStates, { Fe: 3 });
  assert.deepEqual(ok('Cu(I)Cl').elements, { Cu: 1, Cl: 1 });
  assert.deepEqual(ok('Cu(I)Cl').oxidationStates, { Cu: 1 });
  assert.deepEqual(ok('Fe(V)2').elements, { Fe: 1, V: 2 }, 'with a count, (V) is a vanadium group');
});

test('zero amounts (SuperCon "Sr0") are dropped with a note; nothing left is an error', () => {
  const r = ok('La2Sr0Cu0.8Zn0.2O4');
  assert.deepEqual(r.elements, { La: 2, Cu: 0.8, Zn: 0.2, O: 4 });
  assert.match(r.notes?.join(' ') ?? '', /zero amount dropped: Sr/);
  assert.equal(bad('Fe0').column, 1);
});

test('variable stoichiometry is recognised, positioned, and never guessed', () => {
  for (const [input, column, letter] of [
    ['YBa2Cu3O7-x', 10, 'x'],
    ['YBa2Cu3O6+δ', 10, 'δ'],
    ['Li1-xCoO2', 4, 'x'],
    ['LixCoO2', 3, 'x'],
    ['Fe2O3x', 6, 'x'],
    ['Mn1-yFeyPO4', 4, 'y'],
  ] as const) {
    const e = bad(input);
    assert.ok(e.error.startsWith('variable stoichiometry'), `${input}: ${e.error}`);
    assert.match(e.error, new RegExp(`set ${letter}`));
    assert.equal(e.column, column, input);
    assert.equal(e.variable, true);
  }
});

test('unknown symbols and isotopes are named', () => {
  assert.match(bad('D2O').error, /isotope D is not supported/);
  assert.equal(bad('Pd1T0.81').column, 4);
  assert.match(bad('Pd1T0.81').error, /isotope T is not supported/);
  assert.match(bad('Xx2O').error, /unknown element symbol 'Xx'/);
  const lower = bad('co');
  assert.match(lower.error, /'co'.*did you mean Co/);
  assert.equal(lower.column, 1);
  assert.match(bad('FeO3Abc').error, /'Abc'/);
  assert.equal(bad('FeO3Abc').column, 5);
});

test('endohedral @ is unsupported', () => {
  const e = bad('Y3N@C80');
  assert.match(e.error, /'@'.*not supported/);
  assert.equal(e.column, 4);
});

test('malformed SuperCon strings give positioned errors', () => {
  const cases: [string, number, RegExp][] = [
    ['Ga1Sr2Ca3Cu4O11.', 16, /ends with '\.'/],
    ['Sr2Cu1Cl1.2O4.', 14, /ends with '\.'/],
    ['Eu1.45Pr0.05Ce0.5Sr2Cu2Nb1O10=z', 30, /'='/],
    ['Y2C2Br0.5!1.5', 10, /'!'/],
    ['Sm1Ba-1Cu3O6.94', 6, /negative/],
    ['Hg0.3Pb0.7Sr1.75La0.25Cu1O4+2', 28, /'\+2'/],
    ['B1Sr2Ca3Cu4O2N+3', 15, /'\+3'/],
  ];
  for (const [input, column, message] of cases) {
    const e = bad(input);
    assert.equal(e.column, column, `${input}: ${e.error}`);
    assert.match(e.error, message, input);
    assert.equal(e.variable, undefined, input);
  }
});

test('structural errors: empty input, brackets, separators, numbers in the wrong place', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /empty formula/],
    ['   ', 1, /empty formula/],
    ['((Fe)', 1, /never closed/],
    ['Fe)', 3, /no matching opening/],
    ['Fe()', 4, /empty group/],
    ['CuSO4·', 7, /part is missing/],
    ['2', 2, /ended too early/],
    ['Fe 2', 4, /without a space/],
    ['Fe..5', 3, /ends with '\.'/],
    ['Fe^3', 5, /needs a sign/],
    ['[2-]', 1, /charge needs a formula/],
    ['Fe,O', 3, /','/],
  ];
  for (const [input, column, message] of cases) {
    const e = bad(input, input === 'Fe,O' ? 'cif-sum' : undefined);
    assert.equal(e.column, column, `${JSON.stringify(input)}: ${e.error}`);
    assert.match(e.error, message, input);
  }
});

test('deep nesting is refused instead of overflowing the stack', () => {
  const deep = '('.repeat(5000) + 'Fe' + ')'.repeat(5000);
  const e = bad(deep);
  assert.match(e.error, /nested deeper/);
  assert.deepEqual(ok('((((Fe)2)2)2)2').elements, { Fe: 16 });
});

// Decimal counts are computed from their digits (issue 7 speed-up) and must equal what Number()
// makes of the text, up to the 12-digit rounding that long decimals always had.
test('decimal counts equal Number() of their text, for short, long and huge decimals', () => {
  let seed = 20261122;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const counts = ['0.1', '0.3', '.5', '1.10', '0.000001', '123456789.5', '0.30000000000000004', '9007199254740993.1', '1.' + '9'.repeat(30)];
  for (let k = 0; k < 3000; k++) counts.push(`${digits(Math.floor(random() * 6))}.${digits(1 + Math.floor(random() * 24))}`.replace(/^\./, '0.'));
  for (const count of counts) {
    const result = parseFormula(`Fe${count}O`);
    const expected = Number(count);
    if (!(expected > 0 && expected <= 1e9)) continue;
    assert.ok(result.ok, count);
    const rounded = count.length > 13 ? roundAmount(expected) : expected;
    assert.equal(result.elements.Fe, rounded, `Fe${count}`);
  }
});
