// One read per document version, shared by diagnostics, hovers, symbols, folding, code lenses,
// semantic tokens, inlay hints and the status item, so typing in a CIF reads it once rather than
// once per provider. Documents up to CIF_LIMITS.hostAnalysisChars are read here; larger ones in
// the CIF worker thread, so the extension host never blocks on them: until the worker answers,
// providers wait (or show "reading…"), and a new edit supersedes the read of the old version.
// Above CIF_LIMITS.fullReadChars / fullReadSites only syntax and the outline are built.
import * as vscode from 'vscode';
import type { CifRange } from '../../core/cif/types';
import type { ViewerModel } from '../webviews/crystal/protocol';
import { loadStructure } from '../viewer/structureSource';
import { toViewerModel } from '../viewer/viewerModel';
import { IncrementalCifAnalyzer } from './cifIncremental';
import { CIF_LIMITS, failedAnalysis, type CifAnalysis, type HoverAnswer } from './cifWorkerAnalysis';
import type { CifWorkerClient } from './cifWorkerClient';
import { EditLog } from './cifEditLog';
import { CifRequestCancelled, type CifSource } from './cifWorkerProtocol';

/** How long a hover on a large document waits for its read before it says "reading…". */
const HOVER_WAIT_MS = 300;

interface Entry {
  version: number;
  promise: Promise<CifAnalysis>;
  analysis?: CifAnalysis;
  /** Per-block readings of a document read in the host (hovers read them directly; edits re-read changed blocks). */
  analyzer?: IncrementalCifAnalyzer;
  /** The answer for an older version, shown while the new one is read. */
  previous?: CifAnalysis;
  inWorker: boolean;
}

/** Length of the document in characters, without building its text. */
export function documentChars(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/** Unsaved text above this many characters is handed over in pieces, between which the host yields. */
const PIECES_ABOVE_CHARS = 1_000_000;
const LINES_PER_PIECE = 20_000;

/**
 * A saved local file is read by the worker from disk; a large unsaved one is encoded 20,000 lines
 * at a time, yielding between pieces (getText() of 50 MB alone blocks the host ~100-200 ms), and
 * transferred; a small one goes as text. Undefined when the document changed meanwhile.
 */
async function sourceOf(document: vscode.TextDocument): Promise<CifSource | undefined> {
  if (!document.isDirty && document.uri.scheme === 'file') return { path: document.uri.fsPath };
  if (documentChars(document) <= PIECES_ABOVE_CHARS) return { text: document.getText() };
  const version = document.version;
  const encoder = new TextEncoder();
  const utf8: Uint8Array[] = [];
  for (let line = 0; line < document.lineCount; line += LINES_PER_PIECE) {
    utf8.push(encoder.encode(document.getText(new vscode.Range(line, 0, Math.min(line + LINES_PER_PIECE, document.lineCount), 0))));
    await new Promise((resolve) => setImmediate(resolve));
    if (document.version !== version || document.isClosed) return undefined;
  }
  return { utf8 };
}

export class CifModelStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly edits = new EditLog();
  private readonly changeListener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length === 0) return;
    const edits = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    this.edits.record(e.document.uri.toString(), e.document.version, edits);
  });
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a background read finishes, so providers that do not wait can refresh. */
  readonly onDidUpdate = this.updated.event;
  private readonly closeListener = vscode.workspace.onDidCloseTextDocument((d) => this.forget(d));

  constructor(private readonly worker: CifWorkerClient) {}

  /** The analysis of the document's current version (from the cache, the host or the worker). */
  analysis(document: vscode.TextDocument): Promise<CifAnalysis> {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === document.version) return entry.promise;
    const unknownTags = vscode.workspace.getConfiguration('crystalGan', document).get<boolean>('diagnostics.unknownTags', true);
    const version = document.version;
    if (documentChars(document) <= CIF_LIMITS.hostAnalysisChars) {
      const fileName = document.uri.path;
      const analyzer = entry?.analyzer?.matches(fileName, unknownTags) ? entry.analyzer : new IncrementalCifAnalyzer({ fileName, unknownTags });
      const analysis = analyzer.analyze(document.getText(), version);
      this.entries.set(key, { version, promise: Promise.resolve(analysis), analysis, analyzer, inWorker: false });
      return Promise.resolve(analysis);
    }
    const previous = entry?.analysis ?? entry?.previous;
    const promise = this.readInWorker(document, version, unknownTags)
      .then(
        (analysis) => this.settle(document, version, analysis),
        (error: unknown) => {
          // Superseded by an edit: answer with the newest version's read instead.
          if (error instanceof CifRequestCancelled && document.version > version && !document.isClosed) return this.analysis(document);
          return this.settle(document, version, failedAnalysis(version, error instanceof Error ? error.message : String(error)));
        },
      );
    this.entries.set(key, { version, promise, previous, inWorker: true });
    return promise;
  }

  /** Sends the worker the edits since the version it holds, or else the whole text. */
  private async readInWorker(document: vscode.TextDocument, version: number, unknownTags: boolean): Promise<CifAnalysis> {
    const key = document.uri.toString();
    const fileName = document.uri.path;
    const steps = this.edits.stepsTo(key, version);
    if (steps) {
      const answer = await this.worker.request({ type: 'edit', key, version, steps, fileName, unknownTags }).catch((error: unknown) => {
        if (error instanceof CifRequestCancelled) throw error;
        return 'not-read' as const; // e.g. an edit the worker could not apply: read the text instead
      });
      if (answer !== 'not-read') return this.confirmed(key, version, answer);
    }
    const source = await sourceOf(document);
    if (!source) throw new CifRequestCancelled(key, version);
    return this.confirmed(key, version, await this.worker.request({ type: 'analyze', key, version, source, fileName, unknownTags }));
  }

  private confirmed(key: string, version: number, analysis: CifAnalysis): CifAnalysis {
    if (analysis.mode !== 'failed') this.edits.confirm(key, version);
    return analysis;
  }

  /** The newest analysis there is, possibly of an older version; undefined before the first read. */
  latest(document: vscode.TextDocument): CifAnalysis | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry?.analysis ?? entry?.previous;
  }

  /** True while the current version is being read in the worker. */
  isReading(document: vscode.TextDocument): boolean {
    const entry = this.entries.get(document.uri.toString());
    return entry !== undefined && entry.version === document.version && entry.analysis === undefined;
  }

  /** What a hover at `position` shows; 'reading' while a large document is still being read. */
  async hover(document: vscode.TextDocument, position: vscode.Position): Promise<HoverAnswer | 'reading' | undefined> {
    const version = document.version;
    const pending = this.analysis(document);
    const ready = await Promise.race([pending.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), HOVER_WAIT_MS))]);
    if (!ready) return 'reading';
    const entry = this.entries.get(document.uri.toString());
    if (!entry || entry.version !== version) return undefined;
    const at = { line: position.line, character: position.character };
    if (entry.analyzer) return entry.analyzer.hover(at);
    if (entry.analysis?.mode === 'failed') return undefined;
    const key = document.uri.toString();
    const ask = () => this.worker.request({ type: 'hover', key, version, position: at });
    // A hover is a convenience: a worker that failed or moved on answers nothing.
    let answer = await ask().catch(() => null);
    if (answer === 'not-read') {
      // The worker was stopped while idle (or restarted): read the same version again, then ask.
      const unknownTags = vscode.workspace.getConfiguration('crystalGan', document).get<boolean>('diagnostics.unknownTags', true);
      const source = await sourceOf(document);
      if (source) await this.worker.request({ type: 'analyze', key, version, source, fileName: document.uri.path, unknownTags }).catch(() => undefined);
      answer = await ask().catch(() => null);
    }
    return answer && answer !== 'not-read' ? answer : undefined;
  }

  /** Drops every cached read (a setting that changes diagnostics changed). */
  invalidate(): void {
    this.entries.clear();
  }

  dispose(): void {
    this.closeListener.dispose();
    this.changeListener.dispose();
    this.updated.dispose();
    this.entries.clear();
  }

  private settle(document: vscode.TextDocument, version: number, analysis: CifAnalysis): CifAnalysis {
    const entry = this.entries.get(document.uri.toString());
    if (entry && entry.version === version) {
      entry.analysis = analysis;
      entry.previous = undefined;
    }
    this.updated.fire(document.uri);
    return analysis;
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    this.entries.delete(key);
    this.edits.forget(key);
    if (entry?.inWorker) this.worker.request({ type: 'forget', key, version: Number.MAX_SAFE_INTEGER }).catch(() => undefined);
  }
}

/**
 * The viewer's model of data block `blockIndex`: small files are read here, large ones in the
 * worker, which refuses files and structures above the viewer's limits with a message instead of
 * freezing the editor. Throws an Error that says what is wrong.
 */
export async function readViewerModel(document: vscode.TextDocument, blockIndex: number, worker: CifWorkerClient): Promise<ViewerModel> {
  const fileName = document.uri.path;
  if (documentChars(document) <= CIF_LIMITS.hostAnalysisChars) return toViewerModel(fileName, loadStructure(document.getText(), fileName, blockIndex));
  const chars = documentChars(document);
  if (chars > CIF_LIMITS.fullReadChars) {
    throw new Error(`${fileName} is ${(chars / 1e6).toFixed(1)} MB: too large for the crystal viewer (files up to ${(CIF_LIMITS.fullReadChars / 1e6).toFixed(0)} MB, ${CIF_LIMITS.viewerAtoms.toLocaleString('en-US')} atoms). The outline and syntax checks still work in the text editor.`);
  }
  const version = document.version;
  const source = await sourceOf(document);
  if (!source) throw new CifRequestCancelled(document.uri.toString(), version);
  return worker.request({ type: 'viewer', key: document.uri.toString(), version, source, fileName, blockIndex });
}

export function toRange(range: CifRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function isStructureDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'cif';
}
