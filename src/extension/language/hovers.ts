// Hovers: on CIF tags (meaning, units), values (tag, loop row, number ± su), atom sites (element,
// multiplicity, neighbours) and formula values; and formula hovers in Markdown, plain text, CSV,
// JSON and Python strings. A hover waits at most HOVER_WAIT_MS for the model, else says
// "predicting…"; the answer is cached for the next hover.
import * as vscode from 'vscode';
import { CifModelStore, toRange } from './cifModel';
import { formulaAt, type FormulaHit } from './logic/formulaHover';
import { effectiveLanguage, formulaScopeAt, FORMULA_LANGUAGES } from './logic/formulaScope';
import { formulaMarkdown } from './logic/hoverText';
import type { CompositionPrediction } from './logic/predictionCache';
import type { PredictionService } from './predictionService';

const HOVER_WAIT_MS = 60;

async function predictionFor(service: PredictionService, hit: FormulaHit): Promise<CompositionPrediction | 'pending' | undefined> {
  if (!hit.result.ok) return undefined;
  const answer = service.cache.peek(hit.result.elements);
  if (answer.state === 'ready') return answer.prediction;
  const timeout = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), HOVER_WAIT_MS));
  return Promise.race([answer.done, timeout]);
}

async function formulaHover(service: PredictionService, hit: FormulaHit, line: number): Promise<vscode.Hover> {
  const markdown = new vscode.MarkdownString(formulaMarkdown(hit, await predictionFor(service, hit)));
  return new vscode.Hover(markdown, new vscode.Range(line, hit.start, line, hit.end));
}

export class CifHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: CifModelStore,
    private readonly predictions: PredictionService,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    // The answer comes from the host for small files and from the CIF worker for large ones.
    const answer = await this.store.hover(document, position);
    if (answer === 'reading') return new vscode.Hover(new vscode.MarkdownString('$(loading~spin) Reading this large CIF… hover again in a moment.', true));
    if (!answer) return undefined;
    if (answer.formula) {
      const hit = formulaAt({ text: answer.formula.text, offset: answer.formula.offset, lifted: true }, position.character, answer.formula.context);
      if (hit) return formulaHover(this.predictions, hit, position.line);
    }
    return new vscode.Hover(new vscode.MarkdownString(answer.markdown), toRange(answer.range));
  }
}

export class FormulaHoverProvider implements vscode.HoverProvider {
  constructor(private readonly predictions: PredictionService) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const language = effectiveLanguage(document.languageId, document.uri.path);
    if (language === 'csv' && position.line === 0) return undefined;
    const header = language === 'csv' ? document.lineAt(0).text : undefined;
    const scope = formulaScopeAt(language, line, position.character, header);
    if (!scope) return undefined;
    const hit = formulaAt(scope, position.character);
    return hit ? formulaHover(this.predictions, hit, position.line) : undefined;
  }
}

export function registerHovers(context: vscode.ExtensionContext, store: CifModelStore, predictions: PredictionService): void {
  const formulaSelector = FORMULA_LANGUAGES.map((language) => ({ language }));
  context.subscriptions.push(
    vscode.languages.registerHoverProvider('cif', new CifHoverProvider(store, predictions)),
    vscode.languages.registerHoverProvider(formulaSelector, new FormulaHoverProvider(predictions)),
  );
}
