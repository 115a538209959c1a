// `parse-cif 5 MB`: the time to produce the diagnostics of a 5 MB CIF, in ms (median of 5 after a
// warm-up). Modes:
//   syntax FILE            parseCif (what the editor shows first)
//   full FILE              readCif (symmetry expansion and structure checks too; the default cap
//                          of DIAGNOSTICS_PER_CODE diagnostics per code and block, as the editor and CLI read)
//   editor FILE            analyzeCif: what the CIF worker answers the editor (diagnostics, outline,
//                          folding, tokens), i.e. when the diagnostics appear
//   edit FILE              the worker's re-analysis after a one-character edit (applying the change
//                          and re-reading the touched data block; here the file is one block)
//   edit-blocks SAMPLES... the same on ~5 MB of many data blocks (the samples repeated, renamed)
//   host FILE              the longest synchronous stretch of our code on the extension host's
//                          thread for open / edit / hover of FILE (see hostStretches)
import fs from 'node:fs';
import { parseCif, readCif } from '../../src/core/cif';
import { applyTextEdits, type TextEdit } from '../../src/core/cif/segments';
import { IncrementalCifAnalyzer } from '../../src/extension/language/cifIncremental';
import { analyzeCif, CIF_LIMITS, type CifAnalysis } from '../../src/extension/language/cifWorkerAnalysis';

const REPEATS = 5;

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** CPU ms of the process (all its threads, GC helpers included) for each timed run since the last medianOf. */
let cpuTimes: number[] = [];

function timed(run: () => void): number {
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
  return wall;
}

/** Median wall ms of REPEATS runs after one warm-up; cpuMs() is the median CPU ms of the same runs. */
function medianOf(run: () => void): number {
  run();
  cpuTimes = [];
  return median(Array.from({ length: REPEATS }, () => timed(run)));
}

/** The steadier figure on a shared, loaded machine: waiting for a core does not count. */
function cpuMs(): number {
  return median(cpuTimes);
}

/** ~5 MB of data blocks: the given CIFs repeated, each block renamed so no code repeats. */
function manyBlocks(files: string[]): string {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const parts: string[] = [];
  let size = 0;
  for (let copy = 0; size < 5_000_000; copy++) {
    for (const text of texts) {
      const renamed = text.replace(/^data_(\S*)/gim, (_m, code: string) => `data_${code}_${copy}`);
      parts.push(renamed);
      size += renamed.length + 1;
    }
  }
  return parts.join('\n');
}

/**
 * Alternately types a character at `offset` and deletes it again, each time re-analyzing
 * incrementally as the worker does on an edit; returns the median time of one edit.
 */
function editTimes(text: string, offset: number): { value: number; segmentsRead: number; segments: number } {
  const analyzer = new IncrementalCifAnalyzer({ fileName: 'bench.cif', unknownTags: true });
  let current = text;
  let version = 1;
  analyzer.analyze(current, version);
  const times: number[] = [];
  for (let i = 0; i <= REPEATS * 2; i++) {
    const edit: TextEdit = i % 2 === 0 ? { offset, length: 0, text: '7' } : { offset, length: 1, text: '' };
    const time = timed(() => {
      current = applyTextEdits(current, [edit]);
      analyzer.analyze(current, ++version);
    });
    if (i > 0) times.push(time); // the first edit warms up
  }
  return { value: median(times), segmentsRead: analyzer.lastSegmentsRead, segments: analyzer.segmentCount };
}

/**
 * What runs on the extension host's thread for a large CIF (ours, not VS Code's): on open of a
 * saved file only a request with its path; on an edit, recording the content changes and sending
 * them; then receiving the worker's analysis (a structured clone, timed here by structuredClone)
 * and turning it into editor objects (timed as a plain-object mapping of the same shape). A hover
 * is a request and a small answer. Returns the longest of these stretches in ms.
 */
function hostStretches(text: string): Record<string, number> {
  const { analysis } = analyzeCif(text, { fileName: 'bench.cif', unknownTags: true, version: 1 });
  const receive = medianOf(() => structuredClone(analysis));
  const convert = medianOf(() => toEditorObjects(analysis));
  const change = [{ version: 2, edits: [{ offset: text.length >> 1, length: 0, text: '7' }] }];
  const sendEdit = medianOf(() => structuredClone(change));
  // Documents up to CIF_LIMITS.hostAnalysisChars are read on the host itself: the largest such, cut from FILE.
  const small = text.slice(0, text.lastIndexOf('\n', CIF_LIMITS.hostAnalysisChars) + 1);
  const smallOpen = medianOf(() => new IncrementalCifAnalyzer({ fileName: 'small.cif', unknownTags: true }).analyze(small, 1));
  const smallEdit = editTimes(small, middleOfARow(small)).value;
  const stretches = { receiveAnalysis: receive, convertAnalysis: convert, sendEdit, smallOpen, smallEdit };
  return { ...stretches, longest: Math.max(...Object.values(stretches)) };
}

/** Stand-in for the vscode.Diagnostic / DocumentSymbol / FoldingRange objects the providers build. */
function toEditorObjects(analysis: CifAnalysis): number {
  const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => ({ start: { ...r.start }, end: { ...r.end } });
  const diagnostics = analysis.diagnostics.map((d) => ({ range: range(d.range), message: d.message, severity: d.severity, code: d.code, source: 'CIF' }));
  const symbols = analysis.outline.map(function symbol(node): object {
    return { name: node.name, detail: node.detail, range: range(node.range), selectionRange: range(node.selectionRange), children: node.children.map(symbol) };
  });
  const folds = analysis.folding.map((f) => ({ start: f.startLine, end: f.endLine }));
  return diagnostics.length + symbols.length + folds.length;
}

/** An offset a few characters before the end of the line in the middle of the text (a digit in a row). */
function middleOfARow(t: string): number {
  return t.indexOf('\n', t.length >> 1) - 3;
}

const [mode, ...files] = process.argv.slice(2);
const text = mode === 'edit-blocks' ? manyBlocks(files) : fs.readFileSync(files[0], 'utf8');
let result: Record<string, unknown>;
switch (mode) {
  case 'syntax':
    result = { value: medianOf(() => parseCif(text)), cpuMs: cpuMs(), diagnostics: parseCif(text).diagnostics.length };
    break;
  case 'full':
    result = { value: medianOf(() => readCif(text)), cpuMs: cpuMs(), diagnostics: readCif(text).diagnostics.length };
    break;
  case 'editor':
    result = { value: medianOf(() => analyzeCif(text, { fileName: 'bench.cif', unknownTags: true, version: 1 })), cpuMs: cpuMs(), limits: CIF_LIMITS.diagnostics };
    break;
  case 'edit':
  case 'edit-blocks':
    result = editTimes(text, middleOfARow(text));
    break;
  case 'host': {
    const stretches = hostStretches(text);
    result = { value: stretches.longest, ...stretches };
    break;
  }
  default:
    throw new Error(`mode must be syntax, full, editor, edit, edit-blocks or host, not ${mode}`);
}
console.log(JSON.stringify({ ...result, bytes: text.length, mode }));
