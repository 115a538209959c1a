// Document symbols, folding ranges, a "Preview structure" code lens per data block and the CIF
// language status item (formula, space group, number of atoms). All read the shared parse.
import * as vscode from 'vscode';
import { CifModelStore, toRange } from './cifModel';
import type { CifAnalysis } from './cifWorkerAnalysis';
import type { OutlineKind, OutlineNode } from './logic/cifOutline';

const SYMBOL_KIND: Record<OutlineKind, vscode.SymbolKind> = {
  block: vscode.SymbolKind.Namespace,
  loop: vscode.SymbolKind.Array,
  cell: vscode.SymbolKind.Struct,
  'atom-site': vscode.SymbolKind.Field,
  item: vscode.SymbolKind.Property,
};

function atoms(n: number): string {
  return `${n} atom${n === 1 ? '' : 's'}`;
}

function toSymbol(node: OutlineNode): vscode.DocumentSymbol {
  const symbol = new vscode.DocumentSymbol(node.name, node.detail, SYMBOL_KIND[node.kind], toRange(node.range), toRange(node.selectionRange));
  symbol.children = node.children.map(toSymbol);
  return symbol;
}

class CifStructureProviders implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider, vscode.CodeLensProvider {
  constructor(private readonly store: CifModelStore) {}

  // Each waits for the document's read (immediate for small files, the CIF worker for large ones).
  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    return (await this.store.analysis(document)).outline.map(toSymbol);
  }

  async provideFoldingRanges(document: vscode.TextDocument): Promise<vscode.FoldingRange[]> {
    return (await this.store.analysis(document)).folding.map(
      (r) => new vscode.FoldingRange(r.startLine, r.endLine, r.kind === 'text-field' ? vscode.FoldingRangeKind.Comment : vscode.FoldingRangeKind.Region),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    return (await this.store.analysis(document)).blocks.flatMap((b, index) => {
      if (!b.structure) return [];
      const title = `$(eye) Preview structure (${b.structure.formula}, ${atoms(b.structure.sites)})`;
      return [new vscode.CodeLens(toRange(b.range), { title, command: 'crystalGan.openPreviewToSide', arguments: [document.uri, index], tooltip: 'Open the 3D crystal viewer beside this file' })];
    });
  }
}

function registerLanguageStatus(context: vscode.ExtensionContext, store: CifModelStore): void {
  const item = vscode.languages.createLanguageStatusItem('crystalGan.cifStructure', { language: 'cif' });
  item.name = 'CIF structure';
  item.command = { title: 'Preview', command: 'crystalGan.openPreviewToSide' };
  const show = (analysis: CifAnalysis) => {
    const first = analysis.blocks.find((b) => b.structure);
    const problems = analysis.counts.error + analysis.counts.warning;
    item.busy = false;
    item.severity = analysis.counts.error ? vscode.LanguageStatusSeverity.Error : problems ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.detail = `${analysis.blocks.length} data block(s), ${problems} problem(s)${analysis.note ? ` · large file (${analysis.note}): syntax only` : ''}`;
    if (first?.structure) item.text = `${first.structure.formula} · ${first.structure.spaceGroup ?? 'no space group'} · ${atoms(first.structure.sites)}`;
    else item.text = analysis.mode === 'full' ? 'CIF: no structure' : analysis.mode === 'syntax-only' ? 'CIF: large file, syntax only' : 'CIF: not read';
  };
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'cif') return;
    const pending = store.analysis(document);
    if (store.isReading(document)) {
      item.busy = true;
      item.text = '$(loading~spin) CIF: reading…';
      item.detail = 'large file: read in the background';
    }
    void pending.then((analysis) => {
      if (vscode.window.activeTextEditor?.document === document && analysis.version === document.version) show(analysis);
    });
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  };
  update();
  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) schedule();
    }),
    { dispose: () => clearTimeout(timer) },
  );
}

export function registerStructureProviders(context: vscode.ExtensionContext, store: CifModelStore): void {
  const providers = new CifStructureProviders(store);
  context.subscriptions.push(
    vscode.languages.registerDocumentSymbolProvider('cif', providers, { label: 'CIF' }),
    vscode.languages.registerFoldingRangeProvider('cif', providers),
    vscode.languages.registerCodeLensProvider('cif', providers),
  );
  registerLanguageStatus(context, store);
}
