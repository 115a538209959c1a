// Runs every formula of every CSV under <data>/composition/*/ through the parser and prints, per
// data set, how many parse, how many are invalid, the top reasons with example line numbers, and
// the rows whose elements fall outside the 85-element featurizer vocabulary. Dirty rows exist on
// purpose (D, T, malformed SuperCon strings, Kr): they must be rejected or flagged with a position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseFormula } from '../src/core/chem/formula';
import { readCsv } from '../src/core/data/csv';
import { resolveDataDir } from '../src/core/data/dataDir';

interface Report {
  rows: number;
  parsed: number;
  invalid: { line: number; input: string; error: string; column: number }[];
  outsideVocabulary: Map<string, number[]>;
}

function findDataDir(): string | undefined {
  try {
    return resolveDataDir().path;
  } catch {
    return undefined;
  }
}

const dataDir = findDataDir();
const compositionDir = dataDir ? path.join(dataDir, 'composition') : '';
const folders = dataDir && fs.existsSync(compositionDir) ? fs.readdirSync(compositionDir).filter((d) => fs.statSync(path.join(compositionDir, d)).isDirectory()).sort() : [];

function vocabulary(): Set<string> {
  const table = readCsv(path.join(compositionDir, 'gan_train_oqmd', 'elements_85.csv'));
  return new Set(table.records.map((r) => r.values.element));
}

function reportFolder(folder: string, vocab: Set<string>): Report {
  const report: Report = { rows: 0, parsed: 0, invalid: [], outsideVocabulary: new Map() };
  for (const file of fs.readdirSync(path.join(compositionDir, folder)).filter((f) => f.endsWith('.csv')).sort()) {
    const table = readCsv(path.join(compositionDir, folder, file));
    if (!table.columns.includes('formula')) continue;
    for (const record of table.records) {
      report.rows++;
      const input = record.values.formula;
      const r = parseFormula(input);
      if (!r.ok) {
        report.invalid.push({ line: record.line, input: `${file}:${record.line} ${input}`, error: r.error, column: r.column });
        continue;
      }
      report.parsed++;
      for (const el of Object.keys(r.elements)) {
        if (!vocab.has(el)) report.outsideVocabulary.set(el, [...(report.outsideVocabulary.get(el) ?? []), record.line]);
      }
    }
  }
  return report;
}

function printReport(folder: string, report: Report): void {
  const pct = ((100 * report.parsed) / Math.max(report.rows, 1)).toFixed(3);
  console.log(`${folder}: ${report.rows} rows, ${report.parsed} parse (${pct} %), ${report.invalid.length} invalid`);
  const byReason = new Map<string, Report['invalid']>();
  for (const bad of report.invalid) {
    const reason = bad.error.replace(/'[^']*'/g, "'…'").replace(/\d+(\.\d+)?/g, 'N');
    byReason.set(reason, [...(byReason.get(reason) ?? []), bad]);
  }
  for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length).slice(0, 6)) {
    console.log(`    ${list.length} × ${reason}  e.g. ${list.slice(0, 3).map((b) => `${b.input} (col ${b.column})`).join('; ')}`);
  }
  for (const [el, lines] of report.outsideVocabulary) console.log(`    outside the 85 elements: ${el} on ${lines.length} rows, e.g. lines ${lines.slice(0, 5).join(', ')}`);
}

const reports = new Map<string, Report>();

for (const folder of folders) {
  test(`composition/${folder}: every formula parses or is rejected with a position`, () => {
    const report = reportFolder(folder, vocabulary());
    reports.set(folder, report);
    printReport(folder, report);
    assert.ok(report.rows > 0, 'the folder has formula rows');
    for (const bad of report.invalid) {
      assert.ok(bad.column >= 1 && bad.column <= bad.input.length + 1, `${bad.input}: column ${bad.column}`);
      assert.ok(bad.error.length > 0);
    }
    if (folder !== 'supercon_stanev2018' && folder !== 'hu2020_supercon_tc') {
      assert.equal(report.invalid.length, 0, `clean data set ${folder} has no invalid rows`);
    }
  });
}

test('published facts about the dirty rows hold', { skip: folders.length === 0 ? 'no data directory' : false }, () => {
  const oqmd = reports.get('gan_train_oqmd');
  const oqmdRows = readCsv(path.join(compositionDir, 'gan_train_oqmd', 'oqmd_formulas.csv')).records.length;
  assert.equal(oqmdRows, 251_368, 'the GAN training set has 251,368 OQMD formulas');
  assert.equal(oqmd?.invalid.length, 0);

  const supercon = reports.get('supercon_stanev2018');
  assert.ok(supercon, 'supercon was reported');
  const errors = supercon.invalid.map((b) => b.error).join('\n');
  assert.ok((errors.match(/isotope D/g) ?? []).length >= 20, 'deuterium rows are rejected');
  assert.ok((errors.match(/isotope T/g) ?? []).length >= 1, 'tritium rows are rejected');
  for (const malformed of ['Ga1Sr2Ca3Cu4O11.', 'Eu1.45Pr0.05Ce0.5Sr2Cu2Nb1O10=z', 'Y2C2Br0.5!1.5', 'Sm1Ba-1Cu3O6.94', 'B1Sr2Ca3Cu4O2N+3']) {
    assert.ok(supercon.invalid.some((b) => b.input.endsWith(` ${malformed}`)), `${malformed} is rejected`);
  }
  // The composition doc: Kr on 2 rows of oqmd_bandgap and 9 of roost_mp_nonmetals_gap; Am, Cm, Po in SuperCon.
  assert.equal(reports.get('oqmd_bandgap')?.outsideVocabulary.get('Kr')?.length, 2);
  assert.equal(reports.get('roost_mp_nonmetals_gap')?.outsideVocabulary.get('Kr')?.length, 9);
  const superconOutside = [...supercon.outsideVocabulary.keys()];
  for (const el of ['Am', 'Cm', 'Po']) assert.ok(superconOutside.includes(el), `${el} is flagged in SuperCon`);
});
