// The CIF worker thread (bundled to dist/cifWorker.js): reads large CIFs for the language features
// and the viewer off the extension host's main thread. It answers one request at a time (see
// CifRequestScheduler) and keeps the reading of the last two documents for hovers and the viewer.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { applyTextEdits } from '../../core/cif/segments';
import { formatOf, loadStructure } from '../viewer/structureSource';
import { toViewerModel } from '../viewer/viewerModel';
import { IncrementalCifAnalyzer } from './cifIncremental';
import { CIF_LIMITS, readWithinLimits, type CifAnalysis } from './cifWorkerAnalysis';
import type { CifSource, CifWorkerRequest, CifWorkerResponse, CifWorkerResults } from './cifWorkerProtocol';

interface Kept {
  version: number;
  /** The text of `version`, which edits apply to. */
  text: string;
  /** Per-block readings of the text, re-used for the blocks an edit does not touch. */
  analyzer: IncrementalCifAnalyzer;
  fileName: string;
  unknownTags: boolean;
  full: boolean;
}

/** Readings kept for hovers, newest last; two at most, so memory stays bounded. */
const kept = new Map<string, Kept>();
const KEEP = 2;

function remember(key: string, entry: Kept): void {
  kept.delete(key);
  kept.set(key, entry);
  while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
}

function textOf(source: CifSource): string {
  if ('text' in source) return source.text;
  if ('path' in source) return fs.readFileSync(source.path, 'utf8');
  return Buffer.concat(source.utf8).toString('utf8');
}

function tooLargeForViewer(what: string): Error {
  return new Error(`${what}: too large for the crystal viewer (it draws up to ${CIF_LIMITS.viewerAtoms.toLocaleString('en-US')} atoms from files up to ${(CIF_LIMITS.fullReadChars / 1e6).toFixed(0)} MB). Cut the structure down, or inspect it with \`crystal-gan parse-cif\`.`);
}

type Handled = { [K in CifWorkerRequest['type']]: (request: Extract<CifWorkerRequest, { type: K }>) => CifWorkerResults[K] };

/** Reads `text` as `version`, re-using the previous version's blocks when the options are the same. */
function analyzeKept(key: string, text: string, version: number, fileName: string, unknownTags: boolean): CifAnalysis {
  const previous = kept.get(key);
  const analyzer = previous && previous.fileName === fileName && previous.unknownTags === unknownTags ? previous.analyzer : new IncrementalCifAnalyzer({ fileName, unknownTags });
  const analysis = analyzer.analyze(text, version);
  remember(key, { version, text, analyzer, fileName, unknownTags, full: analysis.mode === 'full' });
  return analysis;
}

const handlers: Handled = {
  analyze(request) {
    return analyzeKept(request.key, textOf(request.source), request.version, request.fileName, request.unknownTags);
  },
  edit(request) {
    const entry = kept.get(request.key);
    const pending = entry ? request.steps.filter((step) => step.version > entry.version) : [];
    // The steps must continue the kept text version by version; else the host sends the text.
    if (!entry || !pending.length || pending.some((step, i) => step.version !== entry.version + i + 1) || pending[pending.length - 1].version !== request.version) return 'not-read';
    const text = applyTextEdits(entry.text, pending.flatMap((step) => step.edits));
    return analyzeKept(request.key, text, request.version, request.fileName, request.unknownTags);
  },
  hover(request) {
    const entry = kept.get(request.key);
    // 'not-read': the worker was restarted or stopped while idle; the host has it read again.
    if (!entry || entry.version !== request.version) return 'not-read';
    return entry.analyzer.hover(request.position, !entry.full) ?? null;
  },
  viewer(request) {
    const entry = kept.get(request.key);
    const current = entry?.version === request.version ? entry : undefined;
    if (current && !current.full) throw tooLargeForViewer(request.fileName);
    let reading = current?.analyzer.reading();
    let text = '';
    if (!reading) {
      text = textOf(request.source);
      if (text.length > CIF_LIMITS.fullReadChars) throw tooLargeForViewer(`${request.fileName} (${(text.length / 1e6).toFixed(1)} MB)`);
      if (formatOf(request.fileName) === 'cif') {
        const read = readWithinLimits(text, { fileName: request.fileName, unknownTags: false });
        if (read.note) throw tooLargeForViewer(`${request.fileName} (${read.note})`);
        reading = read.reading;
      }
    }
    const loaded = loadStructure(text, request.fileName, request.blockIndex, reading);
    if (loaded.structure.sites.length > CIF_LIMITS.viewerAtoms) throw tooLargeForViewer(`${request.fileName} (${loaded.structure.sites.length.toLocaleString('en-US')} atoms)`);
    return toViewerModel(request.fileName, loaded);
  },
  forget(request) {
    kept.delete(request.key);
    return null;
  },
};

function handle(request: CifWorkerRequest): unknown {
  const handler = handlers[request.type] as (r: CifWorkerRequest) => unknown;
  return handler(request);
}

parentPort?.on('message', (request: CifWorkerRequest) => {
  let response: CifWorkerResponse;
  try {
    response = { id: request.id, ok: true, result: handle(request) };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  // Tokens travel as a transferred buffer, not a copy.
  const result = response.ok ? (response.result as { tokens?: unknown } | null) : null;
  const transfer = result && result.tokens instanceof Uint32Array ? [result.tokens.buffer as ArrayBuffer] : [];
  parentPort?.postMessage(response, transfer);
});
