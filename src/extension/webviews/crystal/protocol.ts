// Messages between the crystal viewer's host (src/extension/viewer) and its webview
// (webview/crystal), shared by both sides. The host parses the file; the webview only draws plain
// JSON, so no CIF text is ever interpreted in the page.
import type { Mat3, Vec3 } from '../../../core/structure/types';

export const CRYSTAL_VIEW_TYPE = 'crystalGan.crystalViewer';

export interface ViewerAtom {
  element: string;
  frac: Vec3;
  label?: string;
  occupancy: number;
}

export interface ViewerModel {
  title: string;
  lattice: Mat3;
  atoms: ViewerAtom[];
  formula: string;
  spaceGroup?: string;
  warnings: string[];
  blockNames: string[];
  blockIndex: number;
}

export type HostToViewer =
  | { type: 'structure'; model: ViewerModel }
  | { type: 'error'; message: string }
  | { type: 'exportPng' };

export type ViewerToHost =
  | { type: 'ready' }
  | { type: 'selectBlock'; index: number }
  | { type: 'png'; dataUrl: string }
  | { type: 'rendered'; atoms: number; bonds: number };

/** Survives hide/show and restarts through getState/setState. */
export interface ViewerState {
  supercell: Vec3;
  showBonds: boolean;
}

type Check<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isVec3(v: unknown): v is Vec3 {
  return Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

function isModel(v: unknown): v is ViewerModel {
  if (!isRecord(v)) return false;
  return (
    typeof v.title === 'string' &&
    Array.isArray(v.lattice) && v.lattice.length === 3 && v.lattice.every(isVec3) &&
    Array.isArray(v.atoms) && v.atoms.every((a) => isRecord(a) && typeof a.element === 'string' && isVec3(a.frac) && typeof a.occupancy === 'number') &&
    typeof v.formula === 'string' &&
    Array.isArray(v.warnings) && Array.isArray(v.blockNames) && typeof v.blockIndex === 'number'
  );
}

export function validateHostToViewer(v: unknown): Check<HostToViewer> {
  if (!isRecord(v)) return { ok: false, error: 'message is not an object' };
  if (v.type === 'structure' && isModel(v.model)) return { ok: true, value: { type: 'structure', model: v.model } };
  if (v.type === 'error' && typeof v.message === 'string') return { ok: true, value: { type: 'error', message: v.message } };
  if (v.type === 'exportPng') return { ok: true, value: { type: 'exportPng' } };
  return { ok: false, error: `unexpected message ${JSON.stringify(v.type)}` };
}

export function validateViewerToHost(v: unknown): Check<ViewerToHost> {
  if (!isRecord(v)) return { ok: false, error: 'message is not an object' };
  if (v.type === 'ready') return { ok: true, value: { type: 'ready' } };
  if (v.type === 'selectBlock' && Number.isInteger(v.index)) return { ok: true, value: { type: 'selectBlock', index: v.index as number } };
  if (v.type === 'png' && typeof v.dataUrl === 'string' && v.dataUrl.startsWith('data:image/png;base64,')) return { ok: true, value: { type: 'png', dataUrl: v.dataUrl } };
  if (v.type === 'rendered' && typeof v.atoms === 'number' && typeof v.bonds === 'number') return { ok: true, value: { type: 'rendered', atoms: v.atoms, bonds: v.bonds } };
  return { ok: false, error: `unexpected message ${JSON.stringify(v.type)}` };
}

export function isViewerState(v: unknown): v is ViewerState {
  return isRecord(v) && isVec3(v.supercell) && v.supercell.every((n) => Number.isInteger(n) && n >= 1 && n <= 3) && typeof v.showBonds === 'boolean';
}
