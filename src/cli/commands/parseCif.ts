// `crystal-gan parse-cif [--json] FILE...`: reads CIF files with our CIF core and prints one summary
// per data block (composition of the full cell, reduced formula, cell, volume, site count, space
// group as written, diagnostics with 1-based line/column). Exit 0 when every input is valid, 1 when
// any has an error diagnostic or cannot be read, 2 on usage errors.
import fs from 'node:fs';
import type { Command } from 'commander';
import { ExitCode, type CliIO, type CommandRegistration } from '../command';
import { compositionOf, readCif, type CifBlockReading, type CifDiagnostic } from '../../core/cif/index';
import { reducedFormula } from '../../core/chem/composition';
import { volume } from '../../core/structure/lattice';
import type { CellParameters } from '../../core/structure/types';
import { fixed, formatTable, type Align } from '../../core/structure/report';

export interface CifBlockSummary {
  file: string;
  block: string | null;
  elements: Record<string, number>;
  reduced: string;
  cell: CellParameters | null;
  volume: number | null;
  sites: number;
  spaceGroup: string | null;
  diagnostics: { severity: string; message: string; line: number; column: number; code: string }[];
}

/** Rounds float noise away (12.199999999999998 → 12.2) without hiding real precision. */
function tidy(x: number): number {
  return Number(x.toPrecision(10));
}

function diagnosticOut(d: CifDiagnostic): CifBlockSummary['diagnostics'][number] {
  return { severity: d.severity, message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1, code: d.code };
}

/** Diagnostics that belong to a block: those inside its lines, plus its structure diagnostics. */
function blockDiagnostics(reading: CifBlockReading, syntax: CifDiagnostic[], isFirst: boolean, nextStart: number): CifDiagnostic[] {
  const start = reading.block.range.start.line;
  const own = syntax.filter((d) => (d.range.start.line >= start || isFirst) && d.range.start.line < nextStart);
  return [...own, ...reading.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export function summariseCif(file: string, text: string, all = false): CifBlockSummary[] {
  // Without --all, repeated per-row problems stop at readCif's cap plus one summary that counts the rest.
  const reading = readCif(text, { fileName: file, ...(all ? { maxDiagnosticsPerCode: Infinity } : {}) });
  const syntax = reading.document.diagnostics;
  if (reading.blocks.length === 0) {
    const noBlock: CifDiagnostic = { severity: 'error', code: 'no-data-block', message: 'No data block found: a CIF needs a data_<name> line followed by its items.', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    return [{ file, block: null, elements: {}, reduced: '', cell: null, volume: null, sites: 0, spaceGroup: null, diagnostics: [...syntax, noBlock].map(diagnosticOut) }];
  }
  return reading.blocks.map((b, i) => {
    const next = reading.blocks[i + 1]?.block.range.start.line ?? Infinity;
    const structure = b.structure;
    const elements = structure ? Object.fromEntries(Object.entries(compositionOf(structure)).map(([e, n]) => [e, tidy(n)])) : {};
    return {
      file,
      block: b.block.name,
      elements,
      reduced: Object.keys(elements).length ? reducedFormula(elements) : '',
      cell: b.cell ?? null,
      volume: structure ? tidy(volume(structure.lattice)) : null,
      sites: structure?.sites.length ?? 0,
      spaceGroup: b.spaceGroup ?? null,
      diagnostics: blockDiagnostics(b, syntax, i === 0, next).map(diagnosticOut),
    };
  });
}

function printTable(io: CliIO, summaries: CifBlockSummary[]): void {
  const headers = ['file', 'block', 'formula', 'sites', 'a', 'b', 'c', 'alpha', 'beta', 'gamma', 'volume', 'space group'];
  const rows = summaries.map((s) => [
    s.file,
    s.block ?? '-',
    s.reduced || '-',
    String(s.sites),
    ...(s.cell ? [s.cell.a, s.cell.b, s.cell.c].map((x) => fixed(x, 4)) : ['-', '-', '-']),
    ...(s.cell ? [s.cell.alpha, s.cell.beta, s.cell.gamma].map((x) => fixed(x, 2)) : ['-', '-', '-']),
    s.volume === null ? '-' : fixed(s.volume, 3),
    s.spaceGroup ?? '-',
  ]);
  const align = headers.map((_, c): Align => (c < 3 || c === 11 ? 'left' : 'right'));
  for (const line of formatTable(headers, rows, align)) io.out(line);
  for (const s of summaries) {
    for (const d of s.diagnostics) io.out(`${s.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
  }
}

function runParseCif(io: CliIO, files: string[], options: { json?: boolean; all?: boolean }): number {
  let failed = false;
  const all: CifBlockSummary[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
      io.err(`crystal-gan: cannot read ${file}: ${reason}`);
      failed = true;
      continue;
    }
    const summaries = summariseCif(file, text, options.all === true);
    if (summaries.some((s) => s.diagnostics.some((d) => d.severity === 'error'))) failed = true;
    if (options.json) for (const s of summaries) io.out(JSON.stringify(s));
    else all.push(...summaries);
  }
  if (!options.json && all.length) printTable(io, all);
  return failed ? ExitCode.invalidInput : ExitCode.ok;
}

export const registerParseCif: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('parse-cif')
    .description('Read CIF files and print, per data block, the full-cell composition, cell, volume, site count, space group and diagnostics')
    .argument('<files...>', 'CIF files')
    .option('--json', 'one JSON object per data block per line')
    .option('--all', 'every diagnostic, also beyond the first 200 of one kind in a block (those are otherwise counted in one summary)')
    .action((files: string[], options: { json?: boolean; all?: boolean }) => {
      process.exitCode = runParseCif(io, files, options);
    });
};
