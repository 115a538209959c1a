// Gallery of generated structures: pages through a folder of CIFs with their metrics from
// summary.csv. Files are read through workspace.fs so it works over Remote-SSH. One panel per
// folder; asking again for the same folder reveals it.
import * as vscode from 'vscode';
import { renderWebviewHtml, webviewResourceRoots } from '../webviews/html';
import { GALLERY_VIEW_TYPE, validateGalleryToHost, type GalleryToHost, type HostToGallery } from '../webviews/gallery/protocol';
import { buildPage, indexSummary, structureFiles, type SummaryIndex } from './galleryData';
import { CRYSTAL_VIEW_TYPE } from '../webviews/crystal/protocol';

export const OPEN_GALLERY_COMMAND = 'crystalGan.openGallery';

const panels = new Map<string, vscode.WebviewPanel>();

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function readOptional(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return await readText(uri);
  } catch {
    return undefined;
  }
}

async function listFolder(folder: vscode.Uri): Promise<string[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return structureFiles(entries.filter(([, type]) => type !== vscode.FileType.Directory).map(([name]) => name));
}

/** The folder the user meant: a run folder's generated/ when it has one, else the folder itself. */
async function resolveFolder(folder: vscode.Uri): Promise<vscode.Uri> {
  const generated = vscode.Uri.joinPath(folder, 'generated');
  try {
    const stat = await vscode.workspace.fs.stat(generated);
    if (stat.type === vscode.FileType.Directory && (await listFolder(folder)).length === 0) return generated;
  } catch {
    // no generated/ sub-folder: use the folder as given
  }
  return folder;
}

export async function openGallery(context: vscode.ExtensionContext, given?: vscode.Uri): Promise<void> {
  let picked = given instanceof vscode.Uri ? given : undefined;
  if (!picked) {
    const choice = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open gallery', title: 'Folder of generated CIF files' });
    picked = choice?.[0];
  }
  if (!picked) return;
  const folder = await resolveFolder(picked);
  const key = folder.toString();
  const existing = panels.get(key);
  if (existing) {
    existing.reveal();
    return;
  }
  const name = folder.path.split('/').filter(Boolean).slice(-2).join('/');
  const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, `Gallery: ${name}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: webviewResourceRoots(context.extensionUri),
  });
  panels.set(key, panel);
  panel.webview.html = renderWebviewHtml({ webview: panel.webview, extensionUri: context.extensionUri, title: `Gallery: ${name}`, bundle: 'gallery' });

  let files: string[] = [];
  let summary: SummaryIndex | undefined;
  let page = 0;
  const post = (message: HostToGallery) => void panel.webview.postMessage(message);
  const load = async () => {
    files = await listFolder(folder);
    summary = indexSummary(await readOptional(vscode.Uri.joinPath(folder, 'summary.csv')));
  };
  const sendPage = async () => {
    try {
      if (!summary) await load();
      const data = await buildPage(name, files, summary ?? indexSummary(undefined), page, (file) => readText(vscode.Uri.joinPath(folder, file)));
      post({ type: 'page', data });
    } catch (error) {
      post({ type: 'error', message: `Cannot read ${folder.path}: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  const handle = (message: GalleryToHost) => {
    switch (message.type) {
      case 'ready':
        void sendPage();
        break;
      case 'page':
        page = message.page;
        void sendPage();
        break;
      case 'open':
        if (files.includes(message.file)) void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.joinPath(folder, message.file), CRYSTAL_VIEW_TYPE, vscode.ViewColumn.Beside);
        break;
      case 'rendered':
        break;
    }
  };
  // Generated files keep arriving while a run is going: re-list on changes, debounced.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      summary = undefined;
      void sendPage();
    }, 500);
  };
  const subscriptions = [
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const checked = validateGalleryToHost(raw);
      if (checked.ok) handle(checked.value);
    }),
    watcher,
    watcher.onDidCreate(refresh),
    watcher.onDidChange(refresh),
    watcher.onDidDelete(refresh),
  ];
  panel.onDidDispose(() => {
    clearTimeout(timer);
    subscriptions.forEach((s) => s.dispose());
    panels.delete(key);
  });
}

export function registerGallery(context: vscode.ExtensionContext): { open(folder: vscode.Uri): Promise<void> } {
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_GALLERY_COMMAND, (folder?: vscode.Uri) => openGallery(context, folder)));
  return { open: (folder) => openGallery(context, folder) };
}
