// The gallery's data, without vscode: which CIFs a folder holds (natural order, so sample_2 comes
// before sample_10), the summary.csv row of each file, and one page of parsed structures.
import { parseCsv } from '../../core/data/csv';
import { GALLERY_PAGE_SIZE, type GalleryItem, type GalleryPage } from '../webviews/gallery/protocol';
import { CIF_LIMITS } from '../language/cifWorkerAnalysis';
import { loadStructure } from './structureSource';
import { toViewerModel } from './viewerModel';

const FILE_COLUMNS = ['file', 'filename', 'cif', 'path', 'name', 'id', 'structure'];

export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

export function structureFiles(names: string[]): string[] {
  return names.filter((n) => /\.(cif|mcif|vasp)$/i.test(n) || /^(POSCAR|CONTCAR)/.test(n)).sort(naturalCompare);
}

export interface SummaryIndex {
  columns: string[];
  byFile: Map<string, [string, string][]>;
  notes: string[];
}

/** Indexes summary.csv by file name (with or without extension, with or without folder). */
export function indexSummary(csvText: string | undefined, fileName = 'summary.csv'): SummaryIndex {
  if (csvText === undefined) return { columns: [], byFile: new Map(), notes: [`no ${fileName} beside the files: showing structures without metrics`] };
  const table = parseCsv(csvText, fileName);
  const fileColumn = table.columns.find((c) => FILE_COLUMNS.includes(c.toLowerCase()));
  if (!fileColumn) {
    return { columns: table.columns, byFile: new Map(), notes: [`${fileName} has no column naming the file (${FILE_COLUMNS.join(', ')}): metrics not matched`] };
  }
  const byFile = new Map<string, [string, string][]>();
  for (const record of table.records) {
    const name = (record.values[fileColumn] ?? '').trim();
    if (!name) continue;
    const metrics = table.columns.filter((c) => c !== fileColumn).map((c) => [c, record.values[c] ?? ''] as [string, string]);
    const base = name.split(/[\\/]/).pop() ?? name;
    byFile.set(base, metrics);
    byFile.set(base.replace(/\.[^.]+$/, ''), metrics);
  }
  return { columns: table.columns, byFile, notes: [] };
}

export function metricsFor(index: SummaryIndex, file: string): [string, string][] {
  return index.byFile.get(file) ?? index.byFile.get(file.replace(/\.[^.]+$/, '')) ?? [];
}

export function pageCount(total: number, size = GALLERY_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** Builds one page; `read` returns a file's text (async: the host reads through workspace.fs). */
export async function buildPage(folder: string, files: string[], summary: SummaryIndex, page: number, read: (file: string) => Promise<string>, size = GALLERY_PAGE_SIZE): Promise<GalleryPage> {
  const count = pageCount(files.length, size);
  const current = Math.min(Math.max(0, page), count - 1);
  const items: GalleryItem[] = [];
  for (const file of files.slice(current * size, (current + 1) * size)) {
    const metrics = metricsFor(summary, file);
    try {
      const text = await read(file);
      // Pages are read in the extension host: a large file gets a message, not a frozen editor.
      if (text.length > CIF_LIMITS.syncChars) throw new Error(`${file} is ${(text.length / 1e6).toFixed(2)} MB: too large for a gallery thumbnail; open it on its own`);
      items.push({ file, metrics, model: toViewerModel(file, loadStructure(text, file)) });
    } catch (error) {
      items.push({ file, metrics, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { folder, page: current, pageCount: count, total: files.length, items, notes: summary.notes };
}
