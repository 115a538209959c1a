// The parse-formula contract other tools depend on: JSON lines, exit codes 0/1/2, and `--`.
// Needs `npm run build` first (runs dist/cli.js as a process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/cli';

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('--json prints one object per input with elements, reduced and hill; exit 0 when all parse', () => {
  const r = runCli(['parse-formula', '--json', 'Fe4O6', 'CuSO4·5H2O', 'H₂O']);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], { input: 'Fe4O6', elements: { Fe: 4, O: 6 }, reduced: 'Fe2O3', hill: 'Fe4O6' });
  assert.deepEqual(lines[1].elements, { Cu: 1, S: 1, O: 9, H: 10 });
  assert.equal(lines[2].reduced, 'H2O');
});

test('an invalid input gives {input, error, column} without elements and exit 1', () => {
  const r = runCli(['parse-formula', '--json', 'Fe2O3', 'YBa2Cu3O7-x', 'Ga1Sr2Ca3Cu4O11.']);
  assert.equal(r.code, 1);
  const [good, variable, malformed] = jsonLines(r.stdout);
  assert.ok('elements' in good);
  assert.equal(variable.input, 'YBa2Cu3O7-x');
  assert.match(String(variable.error), /variable stoichiometry/);
  assert.equal(variable.column, 10);
  assert.equal('elements' in variable, false);
  assert.equal(malformed.column, 16);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('plain output: a readable line per input, a caret under the error column on stderr', () => {
  const r = runCli(['parse-formula', 'Fe2O3', 'Fe2O3x']);
  assert.equal(r.code, 1);
  const [first, second] = r.stdout.trim().split('\n');
  assert.equal(first, 'Fe2O3  Fe: 2, O: 3  reduced Fe2O3  hill Fe2O3');
  assert.match(second, /^Fe2O3x {2}error at column 6: variable stoichiometry/);
  assert.match(r.stderr, / {2}Fe2O3x\n {7}\^/);
});

test('usage errors exit 2: no inputs, unknown flag, bad context', () => {
  assert.equal(runCli(['parse-formula']).code, 2);
  assert.equal(runCli(['parse-formula', '--bogus', 'Fe']).code, 2);
  assert.equal(runCli(['parse-formula', '--context', 'nope', 'Fe']).code, 2);
  assert.equal(runCli(['parse-formula', '-Fe']).code, 2, 'an input starting with - needs --');
});

test('-- lets inputs start with "-" (they are parsed, and rejected with a position)', () => {
  const r = runCli(['parse-formula', '--json', '--', '-Fe']);
  assert.equal(r.code, 1);
  const [line] = jsonLines(r.stdout);
  assert.equal(line.input, '-Fe');
  assert.equal(line.column, 1);
});

test('--context cif-type reads a bare trailing charge', () => {
  const r = runCli(['parse-formula', '--json', '--context', 'cif-type', 'O2-']);
  assert.equal(r.code, 0, r.stderr);
  const [line] = jsonLines(r.stdout);
  assert.deepEqual(line.elements, { O: 1 });
  assert.equal(line.charge, -2);
});
