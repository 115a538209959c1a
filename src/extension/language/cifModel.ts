// One read (parse + structure build) per document version, shared by diagnostics, hovers, symbols, folding, code lenses and
// the status item, so typing in a large CIF parses it once rather than once per provider.
import * as vscode from 'vscode';
import { readCif, type CifReading } from '../../core/cif';
import type { CifRange } from '../../core/cif/types';

interface Entry {
  version: number;
  reading: CifReading;
}

export class CifModelStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly closeListener = vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString()));

  /** The document parsed and every structure block built (same diagnostics as the CLI). */
  get(document: vscode.TextDocument): CifReading {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached.reading;
    const unknownTags = vscode.workspace.getConfiguration('crystalGan', document).get<boolean>('diagnostics.unknownTags', true);
    const reading = readCif(document.getText(), { fileName: document.uri.path, unknownTags });
    this.entries.set(key, { version: document.version, reading });
    return reading;
  }

  dispose(): void {
    this.closeListener.dispose();
    this.entries.clear();
  }
}

export function toRange(range: CifRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function isStructureDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'cif';
}
