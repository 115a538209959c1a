// Document symbols, folding ranges, a "Preview structure" code lens per data block and the CIF
// language status item (formula, space group, number of atoms). All read the shared parse.
import * as vscode from 'vscode';
import { CifModelStore, toRange } from './cifModel';
import { foldingRegions, outline, type OutlineKind, type OutlineNode } from './logic/cifOutline';
import { reducedFormulaOf } from '../viewer/viewerModel';

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

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    return outline(this.store.get(document).document).map(toSymbol);
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    return foldingRegions(this.store.get(document).document).map(
      (r) => new vscode.FoldingRange(r.startLine, r.endLine, r.kind === 'text-field' ? vscode.FoldingRangeKind.Comment : vscode.FoldingRangeKind.Region),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.store.get(document).blocks.flatMap((b, index) => {
      if (!b.structure) return [];
      const title = `$(eye) Preview structure (${reducedFormulaOf(b.structure)}, ${atoms(b.structure.sites.length)})`;
      return [new vscode.CodeLens(toRange(b.block.range), { title, command: 'crystalGan.openPreviewToSide', arguments: [document.uri, index], tooltip: 'Open the 3D crystal viewer beside this file' })];
    });
  }
}

function registerLanguageStatus(context: vscode.ExtensionContext, store: CifModelStore): void {
  const item = vscode.languages.createLanguageStatusItem('crystalGan.cifStructure', { language: 'cif' });
  item.name = 'CIF structure';
  item.command = { title: 'Preview', command: 'crystalGan.openPreviewToSide' };
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'cif') return;
    const reading = store.get(document);
    const first = reading.blocks.find((b) => b.structure);
    const problems = reading.diagnostics.filter((d) => d.severity !== 'info').length;
    item.severity = reading.diagnostics.some((d) => d.severity === 'error') ? vscode.LanguageStatusSeverity.Error : problems ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    if (!first?.structure) {
      item.text = 'CIF: no structure';
      item.detail = `${reading.blocks.length} data block(s), ${problems} problem(s)`;
      return;
    }
    item.text = `${reducedFormulaOf(first.structure)} · ${first.spaceGroup ?? 'no space group'} · ${atoms(first.structure.sites.length)}`;
    item.detail = `${reading.blocks.length} data block(s), ${problems} problem(s)`;
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
