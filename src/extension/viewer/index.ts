// Registers the crystal viewer (custom editor), "Open Preview to the Side" and the gallery.
import * as vscode from 'vscode';
import { CRYSTAL_VIEW_TYPE } from '../webviews/crystal/protocol';
import { registerCrystalEditor, type CrystalEditorProvider } from './crystalEditor';
import { registerGallery } from './gallery';

export const OPEN_PREVIEW_COMMAND = 'crystalGan.openPreviewToSide';

export interface ViewerApi {
  crystalEditor: CrystalEditorProvider;
  /** Opens the gallery on a folder of generated CIFs (the run tree calls this). */
  openGallery(folder: vscode.Uri): Promise<void>;
}

/** Opens `uri` (default: the active editor's file) in the crystal viewer beside the text, at data block `block`. */
export async function openPreviewToSide(editor: CrystalEditorProvider, uri?: vscode.Uri, block?: number): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showWarningMessage('Open a CIF or POSCAR file first, then run "Open Preview to the Side".');
    return;
  }
  if (typeof block === 'number' && Number.isInteger(block) && block >= 0) editor.selectBlock(target, block);
  await vscode.commands.executeCommand('vscode.openWith', target, CRYSTAL_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

export function registerViewer(context: vscode.ExtensionContext): ViewerApi {
  const crystalEditor = registerCrystalEditor(context);
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_PREVIEW_COMMAND, (uri?: vscode.Uri, block?: number) => openPreviewToSide(crystalEditor, uri, block)));
  const gallery = registerGallery(context);
  return { crystalEditor, openGallery: gallery.open };
}
