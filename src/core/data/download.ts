// Downloads the public data sets of the catalogue into a data directory (Node only: http/https,
// zlib, crypto). Every file goes to a temporary file beside its destination, is checked against
// its SHA-256 and converted when the public format differs from ours, and only then renamed into
// place, so an interrupted or corrupt transfer never replaces a good file. Files already present
// with the right checksum are skipped. Checksums we could not know in advance are recorded in a
// manifest (.downloads.json) on first download and checked from then on.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { elementByZ } from '../chem/elements';
import { MAGPIE_PROPERTIES } from '../features/magpie';
import { CATALOG, MATBENCH_FOLD_SEED, defaultDatasets, findDataset, type CatalogDataset, type CatalogFile, type Conversion, type DerivedFile } from './catalog';
import { parseCsv } from './csv';

export const MANIFEST_FILE = '.downloads.json';
const MAX_REDIRECTS = 5;
const NO_NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** A download that failed in a way the user can act on; the message names the URL and what to do. */
export class DownloadError extends Error {
  constructor(message: string, readonly url: string, readonly noNetwork = false) {
    super(message);
  }
}

export interface DownloadProgress {
  dataset: string;
  /** Destination path relative to the data directory. */
  file: string;
  url: string;
  phase: 'download' | 'convert' | 'skip' | 'done' | 'failed';
  bytes: number;
  /** Content-Length when the server sent one. */
  total?: number;
}

export interface DownloadOptions {
  /** Data directory to fill (created when missing). */
  dir: string;
  /** Base URL that replaces the origins: https://host/path is fetched from MIRROR/host/path (wget -x layout). */
  mirror?: string;
  /** Fetch again even when a file is present and verified. */
  force?: boolean;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Give up on a silent connection after this many ms (default 60 s). */
  timeoutMs?: number;
  /** The catalogue to choose from (default CATALOG; tests pass their own). */
  catalog?: readonly CatalogDataset[];
}

export interface FileOutcome {
  dataset: string;
  file: string;
  url: string;
  status: 'downloaded' | 'skipped' | 'failed';
  bytes: number;
  sha256?: string;
  error?: string;
  /** The failure was the network being unreachable: the remaining files are not tried. */
  noNetwork?: boolean;
}

export interface DatasetOutcome {
  dataset: string;
  availability: CatalogDataset['availability'];
  files: FileOutcome[];
  /** For manual sets: why nothing was fetched and what to do. */
  note?: string;
}

/** The mirror from the option, else CRYSTAL_GAN_DATA_MIRROR, else none (the public origins). */
export function mirrorFrom(option: string | undefined, env: Record<string, string | undefined> = process.env): string | undefined {
  const value = (option ?? env.CRYSTAL_GAN_DATA_MIRROR ?? '').trim();
  return value || undefined;
}

/** Where a file is fetched from: its origin, or the mirror's copy at MIRROR/host/path. */
export function sourceUrl(origin: string, mirror: string | undefined): string {
  if (!mirror) return origin;
  const u = new URL(origin);
  return `${mirror.replace(/\/+$/, '')}/${u.host}${u.pathname}`;
}

/** Resolves dataset names; unknown names throw with the list of known ones. No names: every fetchable set. */
export function selectDatasets(names: readonly string[], catalog: readonly CatalogDataset[] = CATALOG): CatalogDataset[] {
  if (names.length === 0) return catalog === CATALOG ? defaultDatasets() : catalog.filter((d) => d.availability !== 'manual');
  return names.map((name) => {
    const found = catalog === CATALOG ? findDataset(name) : catalog.find((d) => d.name === name);
    if (!found) throw new RangeError(`unknown data set "${name}"; known: ${catalog.map((d) => d.name).join(', ')}`);
    return found;
  });
}

export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

type Manifest = Record<string, { sha256: string; url: string; downloadedAt: string }>;

function readManifest(dir: string): Manifest {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return {};
  }
}

function writeManifest(dir: string, manifest: Manifest): void {
  const file = path.join(dir, MANIFEST_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(manifest, null, 1) + '\n');
  fs.renameSync(temp, file);
}

function describeNetworkError(error: unknown, url: string): DownloadError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && NO_NETWORK_CODES.has(code)) {
    return new DownloadError(`${url}: no network (${code}): copy the data directory by hand and set CRYSTAL_GAN_DATA, or pass --mirror URL`, url, true);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DownloadError(`${url}: transfer failed (${code ?? message}); run the command again (a partial file is never kept)`, url);
}

/** Counts and hashes the bytes that flow to the file. */
class HashCounter extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  constructor(private readonly onBytes: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    callback(null, chunk);
  }
}

function get(url: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : undefined;
    if (!client) return reject(new DownloadError(`${url}: only http and https URLs can be downloaded`, url));
    const request = client.get(url, { signal, timeout: timeoutMs, headers: { 'user-agent': 'crystal-gan-download-data' } }, resolve);
    request.on('timeout', () => request.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
  });
}

/** GET with redirects; resolves to a 200 response or throws a DownloadError naming the status. */
async function open(url: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<http.IncomingMessage> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: http.IncomingMessage;
    try {
      response = await get(current, signal, timeoutMs);
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      throw describeNetworkError(error, current);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      current = new URL(response.headers.location, current).toString();
      continue;
    }
    if (status === 200) return response;
    response.resume();
    const hint = status === 404 ? 'the file is not there (moved upstream?): use --mirror, or copy the data by hand' : 'the server failed; try again later or use --mirror';
    throw new DownloadError(`${current}: HTTP ${status}: ${hint}`, current);
  }
  throw new DownloadError(`${url}: more than ${MAX_REDIRECTS} redirects`, url);
}

export interface FetchResult {
  bytes: number;
  sha256: string;
}

/**
 * Fetches `url` into `temp` (which the caller owns and removes), hashing as it goes. Throws a
 * DownloadError when the connection drops or fewer bytes arrive than the server announced.
 */
export async function fetchToFile(url: string, temp: string, onBytes: (bytes: number, total?: number) => void, signal?: AbortSignal, timeoutMs = 60_000): Promise<FetchResult> {
  const response = await open(url, signal, timeoutMs);
  const announced = Number(response.headers['content-length']);
  const total = Number.isFinite(announced) && announced >= 0 ? announced : undefined;
  const counter = new HashCounter((bytes) => onBytes(bytes, total));
  try {
    await pipeline(response, counter, fs.createWriteStream(temp));
  } catch (error) {
    throw describeNetworkError(error, url);
  }
  if (!response.complete || (total !== undefined && counter.bytes !== total)) {
    throw new DownloadError(`${url}: transfer interrupted after ${counter.bytes}${total === undefined ? '' : ` of ${total}`} bytes; run the command again (a partial file is never kept)`, url);
  }
  return { bytes: counter.bytes, sha256: counter.hash.digest('hex') };
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // a temporary file we cannot remove is harmless: it never has the destination's name
  }
}

/** Whether the file at `target` is already the right one (checksum from the catalogue or manifest). */
function isPresent(target: string, expected: string | null, recorded: string | undefined): boolean {
  if (!fs.existsSync(target)) return false;
  const want = expected ?? recorded;
  // A hand-copied file whose checksum nobody knows is kept: we cannot prove it wrong.
  return want === undefined || sha256File(target) === want;
}

async function downloadOne(dataset: CatalogDataset, file: CatalogFile, options: DownloadOptions, manifest: Manifest): Promise<FileOutcome> {
  const url = sourceUrl(file.url, options.mirror);
  const target = path.join(options.dir, ...file.path.split('/'));
  const report = (phase: DownloadProgress['phase'], bytes: number, total?: number) => options.onProgress?.({ dataset: dataset.name, file: file.path, url, phase, bytes, total });
  const outcome: FileOutcome = { dataset: dataset.name, file: file.path, url, status: 'skipped', bytes: 0 };
  const finalSha = file.conversion ? undefined : (file.sha256 ?? undefined);
  if (!options.force && isPresent(target, finalSha ?? null, manifest[file.path]?.sha256)) {
    report('skip', 0);
    return outcome;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const stem = `${target}.part-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const downloaded = `${stem}.download`;
  const converted = `${stem}.converted`;
  try {
    const fetched = await fetchToFile(url, downloaded, (bytes, total) => report('download', bytes, total), options.signal, options.timeoutMs);
    if (file.sha256 && fetched.sha256 !== file.sha256) {
      throw new DownloadError(`${url}: checksum mismatch (expected ${file.sha256}, got ${fetched.sha256}); the file changed upstream or the mirror is wrong: nothing was written`, url);
    }
    let ready = downloaded;
    if (file.conversion) {
      report('convert', fetched.bytes);
      await convertFile(file.conversion, downloaded, converted, url);
      ready = converted;
    }
    const sha256 = ready === downloaded ? fetched.sha256 : sha256File(ready);
    fs.renameSync(ready, target);
    manifest[file.path] = { sha256, url, downloadedAt: new Date().toISOString() };
    report('done', fetched.bytes, fetched.bytes);
    return { ...outcome, status: 'downloaded', bytes: fetched.bytes, sha256 };
  } catch (error) {
    report('failed', 0);
    const message = error instanceof Error ? error.message : String(error);
    return { ...outcome, status: 'failed', error: message, noNetwork: error instanceof DownloadError && error.noNetwork };
  } finally {
    removeQuietly(downloaded);
    removeQuietly(converted);
  }
}

/** Builds one derived file from files already in the data directory, verified and renamed into place like a download. */
function deriveOne(dataset: CatalogDataset, file: DerivedFile, options: DownloadOptions, manifest: Manifest): FileOutcome {
  const target = path.join(options.dir, ...file.path.split('/'));
  const url = `derived:${file.kind}`;
  const outcome: FileOutcome = { dataset: dataset.name, file: file.path, url, status: 'skipped', bytes: 0 };
  const report = (phase: DownloadProgress['phase'], bytes: number) => options.onProgress?.({ dataset: dataset.name, file: file.path, url, phase, bytes });
  if (!options.force && isPresent(target, file.sha256, manifest[file.path]?.sha256)) {
    report('skip', 0);
    return outcome;
  }
  const temp = `${target}.part-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    const text = magpiePreset22Csv(path.join(options.dir, 'elements', 'magpie'), file.kind === 'magpie-preset22-imputed');
    fs.writeFileSync(temp, text);
    const sha256 = sha256File(temp);
    if (file.sha256 && sha256 !== file.sha256) throw new DownloadError(`${file.path}: built file differs from the reference (checksum ${sha256}); the tables may have changed: nothing was written`, url);
    fs.renameSync(temp, target);
    manifest[file.path] = { sha256, url, downloadedAt: new Date().toISOString() };
    report('done', text.length);
    return { ...outcome, status: 'downloaded', bytes: text.length, sha256 };
  } catch (error) {
    report('failed', 0);
    return { ...outcome, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  } finally {
    removeQuietly(temp);
  }
}

/**
 * Downloads the named data sets (none: every fetchable one) into options.dir, one file at a time.
 * Never throws for a failed file: each outcome says what happened, so the caller can print a table
 * and choose its exit code. This is what the editor's "Download Datasets" command calls.
 */
export async function downloadDatasets(names: readonly string[], options: DownloadOptions): Promise<DatasetOutcome[]> {
  const datasets = selectDatasets(names, options.catalog);
  fs.mkdirSync(options.dir, { recursive: true });
  const manifest = readManifest(options.dir);
  const outcomes: DatasetOutcome[] = [];
  // Offline, every file would fail the same way after its own DNS time-out: one is enough.
  let offline: FileOutcome | undefined;
  for (const dataset of datasets) {
    const outcome: DatasetOutcome = { dataset: dataset.name, availability: dataset.availability, files: [], note: dataset.note };
    outcomes.push(outcome);
    for (const file of dataset.files) {
      if (options.signal?.aborted) break;
      if (offline) {
        outcome.files.push({ dataset: dataset.name, file: file.path, url: sourceUrl(file.url, options.mirror), status: 'failed', bytes: 0, error: `not tried: no network (the download of ${offline.url} failed first)`, noNetwork: true });
        continue;
      }
      const result = await downloadOne(dataset, file, options, manifest);
      if (result.noNetwork) offline = result;
      outcome.files.push(result);
    }
    // Derived files need every source file: only build them when nothing failed.
    if (!options.signal?.aborted && outcome.files.every((f) => f.status !== 'failed')) {
      for (const file of dataset.derived ?? []) outcome.files.push(deriveOne(dataset, file, options, manifest));
    }
    writeManifest(options.dir, manifest);
  }
  return outcomes;
}

// ---- conversions: public format → the layout the project reads ----

/** MT19937 as numpy's legacy RandomState(seed) seeds it (init_genrand), 32-bit outputs. */
function mt19937(seed: number): () => number {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = 624;
  return () => {
    if (index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

/**
 * Test fold (0-4) of each of n rows under Matbench v0.1's KFold(5, shuffle=True,
 * random_state=18012019): numpy's legacy shuffle of 0..n-1 (masked rejection sampling), then
 * consecutive folds of n//5 rows, the first n%5 folds one row larger.
 */
export function matbenchFolds(n: number, seed = MATBENCH_FOLD_SEED, folds = 5): Uint8Array {
  const next = mt19937(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    let mask = i;
    for (let shift = 1; shift <= 16; shift <<= 1) mask |= mask >>> shift;
    let j: number;
    do j = (next() & mask) >>> 0;
    while (j > i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const result = new Uint8Array(n);
  let at = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = Math.floor(n / folds) + (fold < n % folds ? 1 : 0);
    for (let k = 0; k < size; k++) result[order[at++]] = fold;
  }
  return result;
}

/** A number as Python's repr(float) writes it (pandas to_csv), so converted CSVs match the published ones. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let body: string;
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else if (e < 0) {
    body = `0.${'0'.repeat(-e - 1)}${digits}`;
  } else {
    const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
    body = `${whole}.${digits.slice(e + 1) || '0'}`;
  }
  return (negative || Object.is(x, -0) ? '-' : '') + body;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

interface SplitFrame {
  columns: string[];
  data: unknown[][];
}

function asSplitFrame(value: unknown): SplitFrame | undefined {
  const frame = value as Partial<SplitFrame> | null;
  if (frame && Array.isArray(frame.columns) && Array.isArray(frame.data)) return frame as SplitFrame;
  const inner = (value as { data?: unknown } | null)?.data;
  return inner && !Array.isArray(inner) ? asSplitFrame(inner) : undefined;
}

/** Matbench's pandas "split" JSON (gzip) → `formula,target,fold` CSV in Matbench row order. */
export function convertMatbenchJson(gzipped: Buffer, where: string): string {
  let frame: SplitFrame | undefined;
  try {
    frame = asSplitFrame(JSON.parse(zlib.gunzipSync(gzipped).toString('utf8')));
  } catch (error) {
    throw new DownloadError(`${where}: not a gzip-compressed JSON file (${error instanceof Error ? error.message : String(error)})`, where);
  }
  if (!frame) throw new DownloadError(`${where}: expected a pandas "split" frame with "columns" and "data"`, where);
  const formulaColumn = frame.columns.findIndex((c) => c === 'composition' || c === 'formula');
  const targetColumn = frame.columns.findIndex((_, i) => i !== formulaColumn);
  if (formulaColumn < 0 || targetColumn < 0) {
    throw new DownloadError(`${where}: columns ${JSON.stringify(frame.columns)} have no "composition" and target column (structure sets need pymatgen; use the CrabNet CSV)`, where);
  }
  const folds = matbenchFolds(frame.data.length);
  const lines = ['formula,target,fold'];
  frame.data.forEach((row, i) => {
    const formula = row[formulaColumn];
    const target = row[targetColumn];
    if (typeof formula !== 'string' || typeof target !== 'number') {
      throw new DownloadError(`${where}: row ${i + 1}: expected a formula string and a numeric target, got ${JSON.stringify(row).slice(0, 120)}`, where);
    }
    lines.push(`${csvField(formula)},${pythonFloat(target)},${folds[i]}`);
  });
  return lines.join('\n') + '\n';
}

/** `formula,target` CSV in Matbench order → the same lines with `,fold` appended. */
export function appendMatbenchFolds(text: string, where: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (!/^\s*formula\s*,/.test(lines[0] ?? '')) throw new DownloadError(`${where}: line 1: expected a header starting with "formula,", got ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`, where);
  const folds = matbenchFolds(lines.length - 1);
  return [`${lines[0]},fold`, ...lines.slice(1).map((line, i) => `${line},${folds[i]}`)].join(newline) + newline;
}

/** CSV → CSV with the chosen columns renamed and reordered; every other column (pandas index …) dropped. */
export function selectColumns(text: string, columns: readonly [string, string][], where: string): string {
  const table = parseCsv(text, where);
  const missing = columns.filter(([from]) => !table.columns.includes(from)).map(([from]) => from);
  if (missing.length) throw new DownloadError(`${where}: line 1: missing column(s) ${missing.join(', ')} (found ${table.columns.join(', ')})`, where);
  const lines = [columns.map(([, to]) => csvField(to)).join(',')];
  for (const record of table.records) lines.push(columns.map(([from]) => csvField(record.values[from] ?? '')).join(','));
  return lines.join('\n') + '\n';
}

/** Applies one catalogue conversion from the downloaded file to `output`. */
export async function convertFile(conversion: Conversion, input: string, output: string, where: string): Promise<void> {
  const bytes = await fs.promises.readFile(input);
  let text: string;
  if (conversion.kind === 'matbench-json-gz') text = convertMatbenchJson(bytes, where);
  else if (conversion.kind === 'append-matbench-folds') text = appendMatbenchFolds(bytes.toString('utf8'), where);
  else text = selectColumns(bytes.toString('utf8'), conversion.columns, where);
  await fs.promises.writeFile(output, text);
}

/**
 * numpy's pairwise summation (8 accumulators per block of up to 128 values, halves above), so a
 * mean matches np.nanmean to the last bit and the imputed CSV matches matminer's numbers exactly.
 */
function pairwiseSum(values: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i];
    return sum;
  }
  if (n <= 128) {
    const r = Array.from(values.subarray(start, start + 8));
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

const MAGPIE_PRESET_ELEMENTS = 112;

/** Values of one Magpie table for Z = 1..112 (line Z), NaN where the line is not a number ("Missing"). */
function readMagpieTable(dir: string, property: string): number[] {
  const file = path.join(dir, `${property}.table`);
  if (!fs.existsSync(file)) throw new DownloadError(`${file}: missing; download the magpie set first`, file);
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  return Array.from({ length: MAGPIE_PRESET_ELEMENTS }, (_, i) => {
    const text = (lines[i] ?? '').trim();
    const value = text === '' ? NaN : Number(text);
    return Number.isFinite(value) ? value : NaN;
  });
}

/**
 * magpie_preset22_{raw,imputed}.csv from the .table files: `Z,element,<22 properties>` for
 * Z = 1..112; imputed fills a missing value with the property's mean over the elements that have
 * one (matminer's impute_nan=True, np.nanmean).
 */
export function magpiePreset22Csv(dir: string, imputed: boolean): string {
  const columns = MAGPIE_PROPERTIES.map((p) => readMagpieTable(dir, p));
  const means = columns.map((values) => {
    const zeroed = Float64Array.from(values, (v) => (Number.isNaN(v) ? 0 : v));
    return pairwiseSum(zeroed, 0, zeroed.length) / values.filter((v) => !Number.isNaN(v)).length;
  });
  const lines = [['Z', 'element', ...MAGPIE_PROPERTIES].join(',')];
  for (let z = 1; z <= MAGPIE_PRESET_ELEMENTS; z++) {
    const cells = columns.map((values, k) => {
      const value = values[z - 1];
      if (!Number.isNaN(value)) return pythonFloat(value);
      return imputed ? pythonFloat(means[k]) : '';
    });
    lines.push([String(z), elementByZ(z)?.symbol ?? '', ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}
