// CIF diagnostics on open and on change, debounced per document so fast typing parses once per
// pause, plus quick fixes built from each diagnostic's `fix` (e.g. the nearest dictionary name).
import * as vscode from 'vscode';
import type { CifDiagnostic, CifFix } from '../../core/cif/types';
import { CifModelStore, toRange } from './cifModel';

const DEBOUNCE_MS = 250;

const SEVERITY: Record<CifDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Quick fixes by document and diagnostic identity (code + range + message). Diagnostics come back
 * to the code-action provider as copies made by the workbench, so object identity cannot be used.
 */
const fixes = new Map<string, Map<string, CifFix>>();

function fixKey(code: string | number | undefined, range: vscode.Range, message: string): string {
  return `${String(code)}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}:${message}`;
}

export function toDiagnostic(d: CifDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  diagnostic.source = 'CIF';
  diagnostic.code = d.code;
  return diagnostic;
}

function rememberFixes(uri: vscode.Uri, list: CifDiagnostic[]): void {
  const byKey = new Map<string, CifFix>();
  for (const d of list) if (d.fix) byKey.set(fixKey(d.code, toRange(d.range), d.message), d.fix);
  fixes.set(uri.toString(), byKey);
}

export function registerCifDiagnostics(context: vscode.ExtensionContext, store: CifModelStore): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('cif');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  // Large documents are read in the worker: the diagnostics arrive when it answers, unless the
  // document changed or closed meanwhile.
  const refresh = (document: vscode.TextDocument) => {
    if (document.languageId !== 'cif') return;
    const version = document.version;
    void store.analysis(document).then((analysis) => {
      if (document.isClosed || document.version !== version || analysis.version !== version) return;
      rememberFixes(document.uri, analysis.diagnostics);
      collection.set(document.uri, analysis.diagnostics.map(toDiagnostic));
    });
  };
  const schedule = (document: vscode.TextDocument) => {
    if (document.languageId !== 'cif') return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      refresh(document);
    }, DEBOUNCE_MS));
  };

  vscode.workspace.textDocuments.forEach(refresh);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
      fixes.delete(d.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('crystalGan.diagnostics')) return;
      store.invalidate();
      vscode.workspace.textDocuments.forEach(refresh);
    }),
    { dispose: () => timers.forEach(clearTimeout) },
    vscode.languages.registerCodeActionsProvider('cif', new CifQuickFixes(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
  return collection;
}

class CifQuickFixes implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      const fix = fixes.get(document.uri.toString())?.get(fixKey(codeOf(diagnostic), diagnostic.range, diagnostic.message));
      if (!fix) return [];
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toRange(fix.range), fix.replacement);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}
