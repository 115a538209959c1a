// The 3D crystal viewer as a CustomTextEditorProvider (priority "option"): the TextDocument stays
// the model, so save, undo and hot exit come for free. The host parses (debounced on edits) and
// posts plain JSON to the webview; the webview never sees raw CIF text.
import * as vscode from 'vscode';
import { renderWebviewHtml, webviewResourceRoots } from '../webviews/html';
import { CRYSTAL_VIEW_TYPE, validateViewerToHost, type HostToViewer, type ViewerToHost } from '../webviews/crystal/protocol';
import { readViewerModel } from '../language/cifModel';
import { sharedCifWorker } from '../language/cifWorkerClient';
import { CifRequestCancelled } from '../language/cifWorkerProtocol';

const UPDATE_DEBOUNCE_MS = 300;

export class CrystalEditorProvider implements vscode.CustomTextEditorProvider {
  /** Last 'rendered' report per document (atoms, bonds), read by integration tests. */
  readonly rendered = new Map<string, { atoms: number; bonds: number }>();

  /** Block to show per document, set by the "Preview structure" code lens of a data block. */
  private readonly requestedBlock = new Map<string, number>();
  /** Open views per document, told about a block request while they are open. */
  private readonly showBlock = new Map<string, Set<(index: number) => void>>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** Shows data block `index` of `uri` in its viewer (now if open, else when it opens). */
  selectBlock(uri: vscode.Uri, index: number): void {
    this.requestedBlock.set(uri.toString(), index);
    this.showBlock.get(uri.toString())?.forEach((show) => show(index));
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const key = document.uri.toString();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.context.extensionUri) };
    webview.html = renderWebviewHtml({ webview, extensionUri: this.context.extensionUri, title: `Crystal viewer: ${baseName(document.uri)}`, bundle: 'crystal' });

    let blockIndex = this.requestedBlock.get(key) ?? 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = (message: HostToViewer) => void webview.postMessage(message);
    // Large files are read in the CIF worker, which refuses gigantic ones with a message; only the
    // answer to the newest request is shown.
    let sent = 0;
    const send = () => {
      const request = ++sent;
      readViewerModel(document, blockIndex, sharedCifWorker(this.context.extensionPath)).then(
        (model) => request === sent && post({ type: 'structure', model }),
        (error: unknown) => {
          if (request === sent && !(error instanceof CifRequestCancelled)) post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        },
      );
    };

    const show = (index: number) => {
      blockIndex = index;
      send();
    };
    const listeners = this.showBlock.get(key) ?? new Set();
    listeners.add(show);
    this.showBlock.set(key, listeners);

    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const checked = validateViewerToHost(raw);
        if (!checked.ok) return;
        this.handle(checked.value, document, send, (i) => (blockIndex = i));
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== key || e.contentChanges.length === 0) return;
        clearTimeout(timer);
        timer = setTimeout(send, UPDATE_DEBOUNCE_MS);
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscriptions.forEach((s) => s.dispose());
      listeners.delete(show);
    });
  }

  private handle(message: ViewerToHost, document: vscode.TextDocument, send: () => void, setBlock: (i: number) => void): void {
    switch (message.type) {
      case 'ready':
        send();
        break;
      case 'selectBlock':
        setBlock(message.index);
        send();
        break;
      case 'png':
        void savePng(document.uri, message.dataUrl);
        break;
      case 'rendered':
        this.rendered.set(document.uri.toString(), { atoms: message.atoms, bonds: message.bonds });
        break;
    }
  }
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

async function savePng(source: vscode.Uri, dataUrl: string): Promise<void> {
  const defaultUri = source.with({ path: source.path.replace(/\.[^./]*$/, '') + '.png' });
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: { 'PNG image': ['png'] }, title: 'Export structure image' });
  if (!target) return;
  const bytes = Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (c) => c.charCodeAt(0));
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Saved ${target.path.split('/').pop()}`);
}

export function registerCrystalEditor(context: vscode.ExtensionContext): CrystalEditorProvider {
  const provider = new CrystalEditorProvider(context);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(CRYSTAL_VIEW_TYPE, provider, {
      // Rebuilding a three.js scene is costly; the standards allow retaining this one view.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
  return provider;
}
