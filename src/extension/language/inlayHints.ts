// Optional inlay hints with the predicted band gap after each formula (setting
// crystalGan.inlayHints.bandGap: off / dataFiles (default: CIF, CSV, Markdown, text) / everywhere).
import * as vscode from 'vscode';
import { CifModelStore } from './cifModel';
import { formulasInScope, type FormulaHit } from './logic/formulaHover';
import { effectiveLanguage, formulaScopeAt, FORMULA_LANGUAGES, isCodeLanguage } from './logic/formulaScope';
import { inlayLabel } from './logic/hoverText';
import type { PredictionService } from './predictionService';

type HintMode = 'off' | 'dataFiles' | 'everywhere';

/** Lines scanned per request at most: hints are a convenience, not worth a slow editor. */
const MAX_LINES = 2000;

class BandGapHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly store: CifModelStore,
    private readonly predictions: PredictionService,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideInlayHints(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.InlayHint[]> {
    const mode = vscode.workspace.getConfiguration('crystalGan', document).get<HintMode>('inlayHints.bandGap', 'dataFiles');
    if (mode === 'off' || (mode === 'dataFiles' && isCodeLanguage(document.languageId))) return [];
    const found = document.languageId === 'cif' ? await this.cifFormulas(document, range) : this.textFormulas(document, range);
    const hints: vscode.InlayHint[] = [];
    for (const { hit, line } of found) {
      if (!hit.result.ok) continue;
      const label = inlayLabel(await this.predictions.cache.get(hit.result.elements));
      if (!label) continue;
      const hint = new vscode.InlayHint(new vscode.Position(line, hit.end), label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = 'Predicted band gap (Crystal GAN). Turn off with crystalGan.inlayHints.bandGap.';
      hints.push(hint);
    }
    return hints;
  }

  private textFormulas(document: vscode.TextDocument, range: vscode.Range): { hit: FormulaHit; line: number }[] {
    const out: { hit: FormulaHit; line: number }[] = [];
    const language = effectiveLanguage(document.languageId, document.uri.path);
    const header = language === 'csv' ? document.lineAt(0).text : undefined;
    const first = Math.max(range.start.line, language === 'csv' ? 1 : 0);
    const last = Math.min(range.end.line, first + MAX_LINES, document.lineCount - 1);
    for (let line = first; line <= last; line++) {
      const text = document.lineAt(line).text;
      // One scope per string / cell / code span: probe at each opening position.
      const seen = new Set<number>();
      for (let ch = 0; ch < text.length; ch++) {
        const scope = formulaScopeAt(language, text, ch, header);
        if (!scope || seen.has(scope.offset)) continue;
        seen.add(scope.offset);
        for (const hit of formulasInScope(scope)) out.push({ hit, line });
        ch = Math.max(ch, scope.offset + scope.text.length);
      }
    }
    return out;
  }

  private async cifFormulas(document: vscode.TextDocument, range: vscode.Range): Promise<{ hit: FormulaHit; line: number }[]> {
    const out: { hit: FormulaHit; line: number }[] = [];
    for (const value of (await this.store.analysis(document)).formulaValues) {
      if (value.line < range.start.line || value.line > range.end.line) continue;
      const hits = formulasInScope({ text: value.text, offset: value.start, lifted: true }, value.context);
      for (const hit of hits) out.push({ hit: { ...hit, end: value.end }, line: value.line });
    }
    return out;
  }
}

export function registerInlayHints(context: vscode.ExtensionContext, store: CifModelStore, predictions: PredictionService): void {
  const provider = new BandGapHints(store, predictions);
  const selector = [{ language: 'cif' }, ...FORMULA_LANGUAGES.map((language) => ({ language }))];
  context.subscriptions.push(
    vscode.languages.registerInlayHintsProvider(selector, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('crystalGan.inlayHints')) provider.refresh();
    }),
  );
}
