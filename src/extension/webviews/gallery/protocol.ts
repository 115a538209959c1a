// Messages between the gallery's host (src/extension/viewer/gallery.ts) and its webview
// (webview/gallery). A page carries parsed structures as plain JSON plus the row of summary.csv
// that belongs to each file.
import { validateHostToViewer, type ViewerModel } from '../crystal/protocol';

export const GALLERY_VIEW_TYPE = 'crystalGan.gallery';
export const GALLERY_PAGE_SIZE = 12;

export interface GalleryItem {
  file: string;
  /** Columns of summary.csv for this file (as text), in the CSV's order. */
  metrics: [string, string][];
  model?: ViewerModel;
  /** Why the file could not be drawn. */
  error?: string;
}

export interface GalleryPage {
  folder: string;
  page: number;
  pageCount: number;
  total: number;
  items: GalleryItem[];
  /** Problems with summary.csv (missing, unreadable), shown once above the list. */
  notes: string[];
}

export type HostToGallery = { type: 'page'; data: GalleryPage } | { type: 'error'; message: string };

export type GalleryToHost = { type: 'ready' } | { type: 'page'; page: number } | { type: 'open'; file: string } | { type: 'rendered'; file: string; atoms: number };

export interface GalleryState {
  page: number;
  selected: number;
}

type Check<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isItem(v: unknown): v is GalleryItem {
  if (!isRecord(v) || typeof v.file !== 'string' || !Array.isArray(v.metrics)) return false;
  if (!v.metrics.every((m) => Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')) return false;
  return v.model === undefined || validateHostToViewer({ type: 'structure', model: v.model }).ok;
}

export function validateHostToGallery(v: unknown): Check<HostToGallery> {
  if (!isRecord(v)) return { ok: false, error: 'message is not an object' };
  if (v.type === 'error' && typeof v.message === 'string') return { ok: true, value: { type: 'error', message: v.message } };
  const d = v.data;
  if (v.type === 'page' && isRecord(d) && typeof d.folder === 'string' && [d.page, d.pageCount, d.total].every((n) => typeof n === 'number') && Array.isArray(d.items) && d.items.every(isItem) && Array.isArray(d.notes)) {
    return { ok: true, value: { type: 'page', data: d as unknown as GalleryPage } };
  }
  return { ok: false, error: `unexpected message ${JSON.stringify(v.type)}` };
}

export function validateGalleryToHost(v: unknown): Check<GalleryToHost> {
  if (!isRecord(v)) return { ok: false, error: 'message is not an object' };
  if (v.type === 'ready') return { ok: true, value: { type: 'ready' } };
  if (v.type === 'page' && Number.isInteger(v.page)) return { ok: true, value: { type: 'page', page: v.page as number } };
  if (v.type === 'open' && typeof v.file === 'string') return { ok: true, value: { type: 'open', file: v.file } };
  if (v.type === 'rendered' && typeof v.file === 'string' && typeof v.atoms === 'number') return { ok: true, value: { type: 'rendered', file: v.file, atoms: v.atoms } };
  return { ok: false, error: `unexpected message ${JSON.stringify(v.type)}` };
}

export function isGalleryState(v: unknown): v is GalleryState {
  return isRecord(v) && Number.isInteger(v.page) && Number.isInteger(v.selected);
}
