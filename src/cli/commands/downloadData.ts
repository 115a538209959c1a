// `crystal-gan download-data [NAME...] [--dir DIR] [--mirror URL] [--list] [--force]`: fetches the
// public data sets of the catalogue into the global-storage data folder (the last place the
// data-directory rule looks), so users without ../shared/data can run everything. Progress goes to
// stderr, a summary table to stdout; exit 0 when every requested file is in place, 1 when some
// could not be fetched, 2 for a bad command line.
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError, type CliIO, type CommandRegistration } from '../command';
import { CATALOG, type CatalogDataset } from '../../core/data/catalog';
import { defaultGlobalStorage } from '../../core/data/dataDir';
import { downloadDatasets, mirrorFrom, selectDatasets, type DatasetOutcome, type DownloadProgress } from '../../core/data/download';
import { formatTable } from '../../core/structure/report';

export interface DownloadDataOptions {
  dir?: string;
  mirror?: string;
  list?: boolean;
  force?: boolean;
}

/** The default destination: <global storage>/data, which resolveDataDir() falls back to. */
export function defaultDownloadDir(env: Record<string, string | undefined> = process.env): string {
  return path.join(defaultGlobalStorage(env), 'data');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;
}

/** The deepest folder holding every file of the set. */
function commonFolder(d: CatalogDataset): string {
  const folders = d.files.map((f) => f.path.split('/').slice(0, -1));
  if (folders.length === 0) return '-';
  const common = folders.reduce((acc, parts) => {
    const differsAt = acc.findIndex((p, i) => parts[i] !== p);
    return differsAt < 0 ? acc : acc.slice(0, differsAt);
  });
  return common.join('/') || '.';
}

function listCatalog(io: CliIO): void {
  const rows = CATALOG.map((d) => [d.name, d.availability, String(d.files.length), commonFolder(d), d.description]);
  for (const line of formatTable(['name', 'availability', 'files', 'goes to', 'description'], rows)) io.out(line);
  io.out('');
  io.out('exact: byte-identical to our copy (checksummed); converted: reformatted into our layout; unverified: public URL, content may differ from our copy; manual: no public URL (copy by hand).');
}

/** Prints one stderr line per finished file and, for large files, about every 2 seconds. */
function progressPrinter(io: CliIO, totalFiles: number): (p: DownloadProgress) => void {
  let finished = 0;
  let lastPrint = 0;
  return (p) => {
    if (p.phase === 'download') {
      const now = Date.now();
      if (now - lastPrint < 2000) return;
      lastPrint = now;
      io.err(`  ${p.file}: ${megabytes(p.bytes)}${p.total ? ` of ${megabytes(p.total)} (${Math.round((100 * p.bytes) / p.total)}%)` : ''}`);
    } else if (p.phase !== 'convert') {
      finished++;
      const what = p.phase === 'done' ? `downloaded ${megabytes(p.bytes)}` : p.phase === 'skip' ? 'already present, checksum ok' : 'FAILED';
      io.err(`[${finished}/${totalFiles}] ${p.file}: ${what}`);
    }
  };
}

function summaryRows(outcomes: DatasetOutcome[]): string[][] {
  return outcomes.map((o) => {
    const count = (status: string) => String(o.files.filter((f) => f.status === status).length);
    const bytes = o.files.reduce((n, f) => n + f.bytes, 0);
    const note = o.availability === 'manual' ? `manual: ${o.note ?? ''}` : '';
    return [o.dataset, count('downloaded'), count('skipped'), count('failed'), bytes ? megabytes(bytes) : '-', note];
  });
}

function reportOutcomes(io: CliIO, outcomes: DatasetOutcome[], dir: string): number {
  io.out('');
  for (const line of formatTable(['data set', 'downloaded', 'present', 'failed', 'size', 'note'], summaryRows(outcomes))) io.out(line);
  const failures = outcomes.flatMap((o) => o.files.filter((f) => f.status === 'failed'));
  for (const f of failures.slice(0, 20)) io.err(`crystal-gan: ${f.error}`);
  if (failures.length > 20) io.err(`crystal-gan: … and ${failures.length - 20} more failures`);
  const manual = outcomes.filter((o) => o.availability === 'manual');
  io.out('');
  io.out(`data directory: ${dir}`);
  if (failures.length || manual.length) {
    io.out(`${failures.length} file(s) failed${manual.length ? `, ${manual.length} set(s) need copying by hand` : ''}: see docs/data-sources.md`);
    return 1;
  }
  return 0;
}

async function runDownloadData(io: CliIO, names: string[], options: DownloadDataOptions): Promise<number> {
  if (options.list) {
    listCatalog(io);
    return 0;
  }
  let datasets: CatalogDataset[];
  try {
    datasets = selectDatasets(names);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const mirror = mirrorFrom(options.mirror);
  if (mirror && !/^https?:\/\//.test(mirror)) throw new UsageError(`--mirror ${mirror}: expected an http:// or https:// URL`);
  const dir = path.resolve(options.dir ?? defaultDownloadDir());
  const totalFiles = datasets.reduce((n, d) => n + d.files.length, 0);
  io.err(`downloading ${totalFiles} file(s) of ${datasets.length} data set(s) into ${dir}${mirror ? ` from mirror ${mirror}` : ''}`);
  if (names.length === 0) {
    const skipped = CATALOG.filter((d) => d.availability === 'manual').map((d) => d.name);
    io.err(`not downloadable (copy by hand, see docs/data-sources.md): ${skipped.join(', ')}`);
  }
  // Ctrl-C (or SIGTERM, which the editor's Cancel sends) aborts the transfer so its temporary file
  // is removed (a kill -9 can leave a *.part-* file, never a partial data file).
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    const outcomes = await downloadDatasets(datasets.map((d) => d.name), { dir, mirror, force: options.force, onProgress: progressPrinter(io, totalFiles), signal: controller.signal });
    if (controller.signal.aborted) {
      io.err('crystal-gan: download interrupted; files already in place are kept, run the command again to finish');
      return 130;
    }
    return reportOutcomes(io, outcomes, dir);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
}

export const registerDownloadData: CommandRegistration = (program: Command, io: CliIO) => {
  program
    .command('download-data')
    .description('Download the public data sets into the data directory (default: the global-storage data folder)')
    .argument('[names...]', 'data sets to fetch (default: every one with a public URL; see --list)')
    .option('--dir <dir>', 'destination data directory (default: $CRYSTAL_GAN_HOME or ~/.crystal-gan, then /data)')
    .option('--mirror <url>', 'fetch https://host/path from URL/host/path instead (default: $CRYSTAL_GAN_DATA_MIRROR)')
    .option('--force', 'download again even when a file is present with the right checksum')
    .option('--list', 'list the data sets, where they go and whether they can be downloaded')
    .action(async (names: string[], options: DownloadDataOptions) => {
      process.exitCode = await runDownloadData(io, names, options);
    });
};
