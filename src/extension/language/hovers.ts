// Hovers: on CIF tags (meaning, units), values (tag, loop row, number ± su), atom sites (element,
// multiplicity, neighbours) and formula values; and formula hovers in Markdown, plain text, CSV,
// JSON and Python strings. A hover waits at most HOVER_WAIT_MS for the model, else says
// "predicting…"; the answer is cached for the next hover.
import * as vscode from 'vscode';
import type { FormulaContext } from '../../core/chem/formula';
import type { CifReading } from '../../core/cif';
import { CifModelStore, toRange } from './cifModel';
import { targetAt, sameRowValue } from './logic/cifOutline';
import { formulaAt, type FormulaHit } from './logic/formulaHover';
import { effectiveLanguage, formulaScopeAt, FORMULA_LANGUAGES } from './logic/formulaScope';
import { atomSiteMarkdown, formulaMarkdown, tagMarkdown, valueMarkdown } from './logic/hoverText';
import type { CompositionPrediction } from './logic/predictionCache';
import { isFormulaTag } from './logic/tagDictionary';
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

function cifFormulaContext(tag: string): FormulaContext {
  return /moiety/i.test(tag) ? 'cif-moiety' : 'cif-sum';
}

export class CifHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: CifModelStore,
    private readonly predictions: PredictionService,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const reading = this.store.get(document);
    const target = targetAt(reading.document, position);
    if (!target) return undefined;
    if (target.kind === 'tag') return new vscode.Hover(new vscode.MarkdownString(tagMarkdown(target.item.name)), toRange(target.item.nameRange));
    const { block, item, value, row } = target;
    if (isFormulaTag(item.name) && value.range.start.line === value.range.end.line) {
      const line = document.lineAt(value.range.start.line).text;
      const hit = formulaAt({ text: value.text, offset: value.range.start.character + (line[value.range.start.character] === "'" || line[value.range.start.character] === '"' ? 1 : 0), lifted: true }, position.character, cifFormulaContext(item.name));
      if (hit) return formulaHover(this.predictions, hit, position.line);
    }
    const parts = [valueMarkdown(block, item, value, row)];
    const site = this.atomSite(reading, block.name, item.key, sameRowValue(block, item, row, '_atom_site_label')?.text ?? (item.key === '_atom_site_label' ? value.text : undefined));
    if (site) parts.unshift(site, '\n---\n');
    return new vscode.Hover(new vscode.MarkdownString(parts.join('\n')), toRange(value.range));
  }

  private atomSite(reading: CifReading, blockName: string, key: string, label: string | undefined): string | undefined {
    if (!label || !key.startsWith('_atom_site_') || key.startsWith('_atom_site_aniso')) return undefined;
    const structure = reading.blocks.find((b) => b.block.name === blockName)?.structure;
    return structure ? atomSiteMarkdown(structure, label) : undefined;
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
