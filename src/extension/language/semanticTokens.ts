// "Rainbow" loop columns: each column of a CIF loop, its tag in the header and every value below,
// gets one of a few semantic token types, so the theme colours a column consistently and a value
// can be matched to its tag at a glance (as N283T/mmcif-rainbow-vscode does for mmCIF).
// Setting crystalGan.cif.rainbowLoops turns it off.
import * as vscode from 'vscode';
import { CifModelStore } from './cifModel';

/** Standard token types that themes colour distinctly; columns cycle through them. */
const COLUMN_TYPES = ['variable', 'function', 'type', 'enumMember', 'parameter', 'keyword'];
const LEGEND = new vscode.SemanticTokensLegend(COLUMN_TYPES, []);

class RainbowLoops implements vscode.DocumentSemanticTokensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeSemanticTokens = this.changed.event;

  constructor(private readonly store: CifModelStore) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideDocumentSemanticTokens(document: vscode.TextDocument): Promise<vscode.SemanticTokens> {
    const builder = new vscode.SemanticTokensBuilder(LEGEND);
    if (!vscode.workspace.getConfiguration('crystalGan', document).get<boolean>('cif.rainbowLoops', true)) return builder.build();
    // Packed as line, character, length, column; empty above CIF_LIMITS.tokens (huge loops stay plain).
    const tokens = (await this.store.analysis(document)).tokens;
    for (let i = 0; i < tokens.length; i += 4) builder.push(tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3] % COLUMN_TYPES.length, 0);
    return builder.build();
  }
}

export function registerSemanticTokens(context: vscode.ExtensionContext, store: CifModelStore): void {
  const provider = new RainbowLoops(store);
  context.subscriptions.push(
    vscode.languages.registerDocumentSemanticTokensProvider({ language: 'cif' }, provider, LEGEND),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('crystalGan.cif.rainbowLoops')) provider.refresh();
    }),
  );
}
