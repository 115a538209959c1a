// Building the predictions table without vscode: input rows from a CSV file (its formula column)
// or from selected text (one formula per line, or every formula found in prose), predictions
// through any predictor, and the CSV export. Unit-tested.
import { parseFormula } from '../../core/chem/formula';
import { parseCsv } from '../../core/data/csv';
import { formulaColumnIndex } from '../language/logic/formulaScope';
import { formulasInScope } from '../language/logic/formulaHover';
import type { CompositionPrediction } from '../language/logic/predictionCache';
import type { PredictionRow, PredictionTable } from '../webviews/predictions/protocol';

/** One formula to predict and where it came from. */
export interface PredictionInput {
  formula: string;
  source: string;
}

/** The formula column of a CSV (named formula, composition, pretty_formula …; else the first column). */
export function inputsFromCsv(text: string, fileName: string): PredictionInput[] {
  const table = parseCsv(text, fileName);
  if (table.columns.length === 0) return [];
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const index = formulaColumnIndex(header);
  const column = table.columns[index >= 0 ? index : 0];
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return table.records.map((r) => ({ formula: (r.values[column] ?? '').trim(), source: `${base}:${r.line}` }));
}

/**
 * Formulas in selected text: a line that is one token is taken as it is (so errors are reported);
 * in prose, only tokens that pass the formula filter.
 */
export function inputsFromText(text: string, label = 'selection', firstLine = 0): PredictionInput[] {
  const inputs: PredictionInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    const source = `${label}, line ${firstLine + i + 1}`;
    if (!/\s/.test(trimmed)) inputs.push({ formula: trimmed.replace(/^["']|["'],?$/g, ''), source });
    else for (const hit of formulasInScope({ text: line, offset: 0, lifted: false })) inputs.push({ formula: hit.text, source });
  });
  return inputs;
}

export type CompositionPredictor = (elements: Record<string, number>) => Promise<CompositionPrediction>;

export async function predictRows(inputs: PredictionInput[], predict: CompositionPredictor): Promise<{ rows: PredictionRow[]; model: string; units: [string, string] }> {
  const rows: PredictionRow[] = [];
  let model = 'none';
  let units: [string, string] = ['eV', 'eV/atom'];
  for (const [i, input] of inputs.entries()) {
    const row: PredictionRow = { index: i + 1, formula: input.formula, source: input.source };
    rows.push(row);
    if (!input.formula) {
      row.reason = 'empty formula cell';
      continue;
    }
    const parsed = parseFormula(input.formula);
    if (!parsed.ok) {
      row.reason = parsed.variable ? 'variable stoichiometry: set x to a number' : `${parsed.error} (column ${parsed.column})`;
      continue;
    }
    const prediction = await predict(parsed.elements);
    if (model === 'none' && prediction.model !== 'none' && !prediction.error) model = prediction.model;
    if (prediction.bandGap) {
      row.bandGap = prediction.bandGap.value;
      row.bandGapUncertainty = prediction.bandGap.uncertainty;
      units = [prediction.bandGap.unit, units[1]];
    }
    if (prediction.formationEnergy) {
      row.formationEnergy = prediction.formationEnergy.value;
      row.formationEnergyUncertainty = prediction.formationEnergy.uncertainty;
      units = [units[0], prediction.formationEnergy.unit];
    }
    if (prediction.error) row.reason = prediction.error;
  }
  return { rows, model, units };
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(Number(value.toPrecision(6))) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with units in the header; rows keep their input order. */
export function tableToCsv(table: PredictionTable): string {
  const header = ['index', 'formula', 'source', `band_gap_${table.bandGapUnit}`, `band_gap_std_${table.bandGapUnit}`, `formation_energy_${table.formationEnergyUnit}`, `formation_energy_std_${table.formationEnergyUnit}`, 'reason']
    .map((h) => h.replace(/\//g, '_per_'));
  const lines = [header.join(',')];
  for (const r of [...table.rows].sort((a, b) => a.index - b.index)) {
    lines.push([r.index, r.formula, r.source, r.bandGap, r.bandGapUncertainty, r.formationEnergy, r.formationEnergyUncertainty, r.reason].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}
