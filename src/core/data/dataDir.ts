// Where the data sets live, decided once by the rule in ARCHITECTURE.md:
//   the setting crystalGan.dataDirectory, else $CRYSTAL_GAN_DATA, else ../shared/data beside the
//   project, else the global-storage folder where "Download datasets" puts public copies.
// A candidate counts only if it exists and holds at least one known data folder, so a stale
// setting does not hide a good fallback silently: every place tried is reported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KNOWN_DATA_FOLDERS = ['composition', 'elements', 'nbo', 'structures', 'smact', 'cif-samples'] as const;

export type DataDirSource = 'setting' | 'environment' | 'project' | 'global-storage';

export interface DataDirCandidate {
  source: DataDirSource;
  path: string;
  /** Why this candidate was not taken, or undefined when it was. */
  rejected?: string;
}

export interface DataDirOptions {
  /** Value of the crystalGan.dataDirectory setting (empty = unset). */
  setting?: string;
  /** Environment to read CRYSTAL_GAN_DATA from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Root of the project (the folder holding package.json); ../shared/data is looked for beside it. */
  projectRoot?: string;
  /** Global storage folder (the extension's, or ~/.crystal-gan for the CLI); data lives in its data/. */
  globalStorage?: string;
}

export interface ResolvedDataDir {
  path: string;
  source: DataDirSource;
  tried: DataDirCandidate[];
}

export class DataDirectoryNotFoundError extends Error {
  constructor(readonly tried: DataDirCandidate[]) {
    super(
      'no data directory found. Looked at:\n' +
        tried.map((c) => `  - ${c.source}: ${c.path} (${c.rejected ?? 'not checked'})`).join('\n') +
        '\nSet crystalGan.dataDirectory or CRYSTAL_GAN_DATA to a folder holding composition/, elements/, nbo/ …, ' +
        'or run `crystal-gan download-data`.',
    );
  }
}

/** The default global-storage folder for the CLI (the extension passes its own). */
export function defaultGlobalStorage(env: Record<string, string | undefined> = process.env): string {
  return env.CRYSTAL_GAN_HOME || path.join(os.homedir(), '.crystal-gan');
}

/** Walks up from `start` to the folder whose package.json is this project's. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'crystal-gan') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function whyNotDataDir(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return 'does not exist';
  if (!fs.statSync(dir).isDirectory()) return 'is not a folder';
  const found = KNOWN_DATA_FOLDERS.filter((f) => fs.existsSync(path.join(dir, f)));
  return found.length ? undefined : `holds none of ${KNOWN_DATA_FOLDERS.join(', ')}`;
}

export function dataDirCandidates(options: DataDirOptions = {}): DataDirCandidate[] {
  const env = options.env ?? process.env;
  const list: DataDirCandidate[] = [];
  if (options.setting?.trim()) list.push({ source: 'setting', path: path.resolve(options.setting.trim()) });
  if (env.CRYSTAL_GAN_DATA?.trim()) list.push({ source: 'environment', path: path.resolve(env.CRYSTAL_GAN_DATA.trim()) });
  const root = options.projectRoot ?? findProjectRoot(__dirname);
  if (root) list.push({ source: 'project', path: path.resolve(root, '..', 'shared', 'data') });
  list.push({ source: 'global-storage', path: path.join(options.globalStorage ?? defaultGlobalStorage(env), 'data') });
  return list;
}

/** Resolves the data directory or throws DataDirectoryNotFoundError naming every place looked at. */
export function resolveDataDir(options: DataDirOptions = {}): ResolvedDataDir {
  const tried: DataDirCandidate[] = [];
  for (const candidate of dataDirCandidates(options)) {
    const rejected = whyNotDataDir(candidate.path);
    tried.push({ ...candidate, rejected: rejected ?? undefined });
    if (!rejected) return { path: candidate.path, source: candidate.source, tried };
  }
  throw new DataDirectoryNotFoundError(tried);
}
