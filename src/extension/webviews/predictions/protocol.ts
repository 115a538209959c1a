// Messages between the predictions panel's host (src/extension/predictions) and its webview
// (webview/predictions). The host predicts; the webview sorts, shows and asks for CSV export.

export const PREDICTIONS_VIEW_TYPE = 'crystalGan.predictions';

export interface PredictionRow {
  /** Position in the input, 1-based, so the original order can be restored by sorting. */
  index: number;
  formula: string;
  /** Where the formula came from: "file.csv:12" or "selection, line 3". */
  source: string;
  bandGap?: number;
  bandGapUncertainty?: number;
  formationEnergy?: number;
  formationEnergyUncertainty?: number;
  /** Why this row has no prediction (parse error with column, unknown element, no model …). */
  reason?: string;
}

export interface PredictionTable {
  title: string;
  rows: PredictionRow[];
  bandGapUnit: string;
  formationEnergyUnit: string;
  /** Which models answered. */
  model: string;
}

export type HostToPredictions = { type: 'table'; data: PredictionTable };

export type PredictionsToHost = { type: 'ready' } | { type: 'export' } | { type: 'reveal'; index: number };

export type SortKey = 'index' | 'formula' | 'bandGap' | 'formationEnergy' | 'source';

export interface PredictionsState {
  sortKey: SortKey;
  descending: boolean;
}

type Check<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const optionalNumber = (v: unknown) => v === undefined || typeof v === 'number';

function isRow(v: unknown): v is PredictionRow {
  return (
    isRecord(v) && typeof v.index === 'number' && typeof v.formula === 'string' && typeof v.source === 'string' &&
    [v.bandGap, v.bandGapUncertainty, v.formationEnergy, v.formationEnergyUncertainty].every(optionalNumber) &&
    (v.reason === undefined || typeof v.reason === 'string')
  );
}

export function validateHostToPredictions(v: unknown): Check<HostToPredictions> {
  if (!isRecord(v) || v.type !== 'table' || !isRecord(v.data)) return { ok: false, error: 'expected a table message' };
  const d = v.data;
  if (typeof d.title === 'string' && Array.isArray(d.rows) && d.rows.every(isRow) && typeof d.bandGapUnit === 'string' && typeof d.formationEnergyUnit === 'string' && typeof d.model === 'string') {
    return { ok: true, value: { type: 'table', data: d as unknown as PredictionTable } };
  }
  return { ok: false, error: 'malformed prediction table' };
}

export function validatePredictionsToHost(v: unknown): Check<PredictionsToHost> {
  if (!isRecord(v)) return { ok: false, error: 'message is not an object' };
  if (v.type === 'ready' || v.type === 'export') return { ok: true, value: { type: v.type } };
  if (v.type === 'reveal' && Number.isInteger(v.index)) return { ok: true, value: { type: 'reveal', index: v.index as number } };
  return { ok: false, error: `unexpected message ${JSON.stringify(v.type)}` };
}

const SORT_KEYS: SortKey[] = ['index', 'formula', 'bandGap', 'formationEnergy', 'source'];

export function isPredictionsState(v: unknown): v is PredictionsState {
  return isRecord(v) && SORT_KEYS.includes(v.sortKey as SortKey) && typeof v.descending === 'boolean';
}

/** Sorts rows by a column; rows without a value go last whatever the direction. */
export function sortRows(rows: PredictionRow[], key: SortKey, descending: boolean): PredictionRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === undefined && y === undefined) return a.index - b.index;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return order * sign || a.index - b.index;
  });
}
