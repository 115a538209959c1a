// What every feature of the extension shares: the VS Code context, the output channel, the
// settings, and where runs and data live. Built once in activate(); features get it passed in.
import path from 'node:path';
import * as vscode from 'vscode';
import { resolveDataDir, type ResolvedDataDir } from '../core/data/dataDir';

export const SECTION = 'crystalGan';

export type BackendSetting = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export class CrystalGanContext {
  readonly output: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Crystal GAN', { log: true });
    extension.subscriptions.push(this.output);
  }

  get subscriptions(): vscode.Disposable[] {
    return this.extension.subscriptions;
  }

  settings(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  setting<T>(key: string, fallback: T): T {
    return this.settings().get<T>(key, fallback);
  }

  backend(): BackendSetting {
    return this.setting<BackendSetting>('backend', 'auto');
  }

  /** The first workspace folder on a file system jobs can use, if any. */
  workspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  }

  /**
   * The run store: crystalGan.runDirectory (relative to the workspace folder when relative), else
   * the workspace's .crystal-gan/runs (where the CLI puts runs too), else global storage.
   */
  runsRoot(): string {
    const configured = this.setting<string>('runDirectory', '').trim();
    const folder = this.workspaceFolder()?.uri.fsPath;
    if (configured) return path.resolve(folder ?? this.extension.globalStorageUri.fsPath, configured);
    if (folder) return path.join(folder, '.crystal-gan', 'runs');
    return path.join(this.extension.globalStorageUri.fsPath, 'runs');
  }

  /** The data directory by the rule in dataDir.ts; throws DataDirectoryNotFoundError naming every place tried. */
  dataDir(): ResolvedDataDir {
    return resolveDataDir({
      setting: this.setting<string>('dataDirectory', ''),
      projectRoot: this.extension.extensionUri.fsPath,
      globalStorage: this.extension.globalStorageUri.fsPath,
    });
  }

  /** Where generated files go when no run folder fits: the workspace, else global storage. */
  outputRoot(): string {
    const folder = this.workspaceFolder()?.uri.fsPath;
    return folder ? path.join(folder, 'crystal-gan-output') : path.join(this.extension.globalStorageUri.fsPath, 'output');
  }

  asAbsolutePath(relative: string): string {
    return this.extension.asAbsolutePath(relative);
  }
}
