// Runs every entry of the fuzz regression corpus (fuzz/regressions/) through the formula parser
// and the CIF reader: inputs that once failed or are nasty on purpose (deep nesting, huge counts,
// lone surrogates, NUL, 100k-character lines, unterminated text fields, CIF 2 headers …). Each
// must be read without an exception, every rejection must say where, and inputs marked "reject"
// must be rejected. Entries are JSON ({target, note, expect, input | parts}) so lone surrogates and
// 100k-character inputs stay exact and small on disk; raw found-*.txt / found-*.cif files written
// by `npm run fuzz` are read as they are. An entry with an "open" field is a known failure that
// runs as a todo test (reported, not failing the suite) until its owner fixes it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseFormula, type FormulaContext } from '../src/core/chem/formula';
import { readCif } from '../src/core/cif/index';
import { computeLineStarts } from '../src/core/cif/lexer';
import { badRange } from '../fuzz/cif';

const CORPUS = path.join(__dirname, '..', 'fuzz', 'regressions');
const CONTEXTS: FormulaContext[] = ['free-text', 'cif-sum', 'cif-moiety', 'cif-type'];

interface Entry {
  name: string;
  target: 'formula' | 'cif';
  note: string;
  expect: 'reject' | 'accept' | 'any';
  input: string;
  /** A known, unfixed failure: the entry runs as a todo test until the owner fixes it and drops the field. */
  open?: string;
}

interface EntryFile {
  target: Entry['target'];
  note?: string;
  expect?: Entry['expect'];
  input?: string;
  parts?: [string, number][];
  open?: string;
}

function loadEntry(file: string): Entry {
  const name = path.basename(file);
  const raw = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.cif')) return { name, target: 'cif', note: 'raw CIF', expect: 'any', input: raw };
  if (file.endsWith('.txt')) return { name, target: 'formula', note: 'raw formula', expect: 'any', input: raw };
  const json = JSON.parse(raw) as EntryFile;
  const input = json.parts ? json.parts.map(([text, times]) => text.repeat(times)).join('') : json.input;
  if (typeof input !== 'string' || (json.target !== 'formula' && json.target !== 'cif')) throw new Error(`${name}: needs a target and an input or parts`);
  return { name, target: json.target, note: json.note ?? '', expect: json.expect ?? 'any', input, open: json.open };
}

const entries = fs.readdirSync(CORPUS).filter((f) => /\.(json|txt|cif)$/.test(f)).sort().map((f) => loadEntry(path.join(CORPUS, f)));

function checkFormula(entry: Entry): void {
  for (const context of CONTEXTS) {
    const r = parseFormula(entry.input, { context });
    if (!r.ok) {
      assert.ok(r.error, `${context}: rejection without a message`);
      assert.ok(Number.isInteger(r.column) && r.column >= 1 && r.column <= entry.input.length + 1, `${context}: column ${r.column} outside 1..${entry.input.length + 1}`);
    } else {
      assert.ok(Object.values(r.elements).every((n) => n > 0 && Number.isFinite(n)), `${context}: bad amounts ${JSON.stringify(r.elements)}`);
    }
    if (context === 'free-text' && entry.expect !== 'any') assert.equal(r.ok, entry.expect === 'accept', `expected ${entry.expect}: ${r.ok ? 'accepted' : r.error}`);
  }
}

function checkCif(entry: Entry): void {
  const { diagnostics } = readCif(entry.input, { fileName: entry.name });
  const lineStarts = computeLineStarts(entry.input);
  for (const d of diagnostics) assert.equal(badRange(d, lineStarts, entry.input), undefined);
  if (entry.expect === 'reject') assert.ok(diagnostics.length > 0, 'expected at least one diagnostic');
  if (entry.expect === 'accept') assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
}

describe('fuzz regression corpus', () => {
  it('holds entries for both targets', () => {
    assert.ok(entries.filter((e) => e.target === 'formula').length >= 10);
    assert.ok(entries.filter((e) => e.target === 'cif').length >= 10);
  });
  for (const entry of entries) {
    const check = () => (entry.target === 'formula' ? checkFormula(entry) : checkCif(entry));
    it(`${entry.name}: ${entry.note}`, entry.open ? { todo: entry.open } : {}, check);
  }
});
