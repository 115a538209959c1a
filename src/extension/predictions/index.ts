// The predictions panel: a sortable table of band-gap and formation-energy predictions (with
// uncertainty, and the reason for rows that could not be predicted) for a CSV file or a
// selection, with CSV export. The "Crystal GAN: Predict Properties" command (editor engineer)
// calls showPredictions / showPredictionsForDocument.
import * as vscode from 'vscode';
import { renderWebviewHtml, webviewResourceRoots } from '../webviews/html';
import { PREDICTIONS_VIEW_TYPE, validatePredictionsToHost, type HostToPredictions, type PredictionTable } from '../webviews/predictions/protocol';
import { sharedPredictionService } from '../language/predictionService';
import { inputsFromCsv, inputsFromText, predictRows, tableToCsv, type PredictionInput } from './table';

export type { PredictionInput } from './table';

let current: { panel: vscode.WebviewPanel; table: PredictionTable; origin?: vscode.Uri } | undefined;

/** Predicts `inputs` and shows them in the predictions panel (reused if open). Returns the table. */
export async function showPredictions(context: vscode.ExtensionContext, inputs: PredictionInput[], title = 'Predictions', origin?: vscode.Uri): Promise<PredictionTable> {
  const service = sharedPredictionService(context.extensionPath);
  const { rows, model, units } = await predictRows(inputs, (elements) => service.cache.get(elements));
  const table: PredictionTable = { title, rows, model, bandGapUnit: units[0], formationEnergyUnit: units[1] };
  const panel = current?.panel ?? createPanel(context);
  current = { panel, table, origin };
  panel.title = title;
  panel.reveal(undefined, true);
  post(panel, { type: 'table', data: table });
  return table;
}

/** The selection when there is one, else the whole file (a CSV by its formula column). */
export async function showPredictionsForDocument(context: vscode.ExtensionContext, document: vscode.TextDocument, selection?: vscode.Selection): Promise<PredictionTable> {
  const name = document.uri.path.split('/').pop() ?? 'document';
  if (selection && !selection.isEmpty) {
    return showPredictions(context, inputsFromText(document.getText(selection), name, selection.start.line), `Predictions: ${name} (selection)`, document.uri);
  }
  const inputs = document.languageId === 'csv' || /\.csv$/i.test(name) ? inputsFromCsv(document.getText(), name) : inputsFromText(document.getText(), name);
  return showPredictions(context, inputs, `Predictions: ${name}`, document.uri);
}

function post(panel: vscode.WebviewPanel, message: HostToPredictions): void {
  void panel.webview.postMessage(message);
}

function createPanel(context: vscode.ExtensionContext): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(PREDICTIONS_VIEW_TYPE, 'Predictions', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: true,
    localResourceRoots: webviewResourceRoots(context.extensionUri),
  });
  panel.webview.html = renderWebviewHtml({ webview: panel.webview, extensionUri: context.extensionUri, title: 'Predictions', bundle: 'predictions' });
  const listener = panel.webview.onDidReceiveMessage(async (raw: unknown) => {
    const checked = validatePredictionsToHost(raw);
    if (!checked.ok || !current || current.panel !== panel) return;
    const message = checked.value;
    if (message.type === 'ready') post(panel, { type: 'table', data: current.table });
    else if (message.type === 'export') await exportCsv(current.table, current.origin);
    else if (message.type === 'reveal') await reveal(current.table, message.index, current.origin);
  });
  panel.onDidDispose(() => {
    listener.dispose();
    if (current?.panel === panel) current = undefined;
  });
  return panel;
}

async function exportCsv(table: PredictionTable, origin?: vscode.Uri): Promise<void> {
  const defaultUri = origin ? origin.with({ path: origin.path.replace(/(\.[^./]*)?$/, '.predictions.csv') }) : undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: { CSV: ['csv'] }, title: 'Export predictions' });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(tableToCsv(table)));
  void vscode.window.showInformationMessage(`Exported ${table.rows.length} predictions to ${target.path.split('/').pop()}`);
}

/** Jumps to the row's line in the source file ("file.csv:12" or "…, line 3"). */
async function reveal(table: PredictionTable, index: number, origin?: vscode.Uri): Promise<void> {
  const row = table.rows.find((r) => r.index === index);
  const line = row ? Number(/:(\d+)$/.exec(row.source)?.[1] ?? /line (\d+)$/.exec(row.source)?.[1]) : NaN;
  if (!origin || !Number.isFinite(line)) return;
  const editor = await vscode.window.showTextDocument(origin, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
