// The one place that builds a webview's HTML: every panel (dashboard, crystal viewer, gallery,
// predictions) goes through here so the CSP is written once and right (vscode-standards.md §1):
//   - the CSP <meta> is the first element of <head>, starting from default-src 'none';
//   - a fresh nonce from a crypto RNG for every render, on every <script>;
//   - no inline code: the script and styles are bundled files under dist/webview;
//   - bootstrap data travels in a nonce'd application/json block with `<` escaped, so text from
//     the workspace (CIF content, paths, run configs) can never close the script element.
// Only vscode *types* are imported, so the module runs under node:test with a fake webview.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export interface WebviewPageOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** Page title (escaped here). */
  title: string;
  /** Bundle base name under dist/webview, e.g. 'dashboard' → dashboard.js (+ dashboard.css if `styles`). */
  bundle: string;
  /** Load dist/webview/<bundle>.css (esbuild writes it when main.ts imports CSS). Default true. */
  styles?: boolean;
  /** JSON handed to the page before its script runs; read it with readBootstrap() in webview/shared. */
  bootstrap?: unknown;
  /** Static, trusted HTML skeleton for <body> (never workspace text: send that via postMessage). */
  body?: string;
  /** Adds 'wasm-unsafe-eval' to script-src (only for panels that ship WebAssembly). */
  wasm?: boolean;
}

/** The folders a webview may load from: the extension's dist/webview, plus any the panel needs. */
export function webviewResourceRoots(extensionUri: vscode.Uri, extra: vscode.Uri[] = []): vscode.Uri[] {
  // Only file: URIs: a root of another scheme once exposed more than intended (microsoft/vscode#135361).
  return [webviewDistUri(extensionUri), ...extra.filter((uri) => uri.scheme === 'file')];
}

function webviewDistUri(extensionUri: vscode.Uri, file?: string): vscode.Uri {
  const base = extensionUri.path.replace(/\/+$/, '');
  return extensionUri.with({ path: `${base}/dist/webview${file ? `/${file}` : ''}` });
}

/** A fresh nonce for one render (128 bits from the OS RNG, base64 without padding). */
export function createNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

/** JSON safe to place inside a <script> element: `<`, U+2028 and U+2029 escaped. */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function contentSecurityPolicy(webview: vscode.Webview, nonce: string, wasm = false): string {
  const source = webview.cspSource;
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${wasm ? " 'wasm-unsafe-eval'" : ''}`,
    `style-src ${source}`,
    `img-src ${source} data: blob:`,
    `font-src ${source}`,
    'worker-src blob:',
  ].join('; ');
}

/** The full HTML of a panel. Call it once per panel creation; later updates go through postMessage. */
export function renderWebviewHtml(options: WebviewPageOptions): string {
  const { webview, extensionUri, bundle } = options;
  const nonce = createNonce();
  const asset = (file: string) => webview.asWebviewUri(webviewDistUri(extensionUri, file)).toString();
  const styles = options.styles === false ? '' : `<link rel="stylesheet" href="${escapeHtml(asset(`${bundle}.css`))}">`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, nonce, options.wasm)}">
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
${styles}
</head>
<body>
${options.body ?? ''}
<script type="application/json" id="bootstrap" nonce="${nonce}">${jsonForScriptElement(options.bootstrap)}</script>
<script nonce="${nonce}" src="${escapeHtml(asset(`${bundle}.js`))}"></script>
</body>
</html>`;
}
