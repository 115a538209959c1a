import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createNonce, jsonForScriptElement, renderWebviewHtml, webviewResourceRoots } from '../src/extension/webviews/html';

// A stand-in for vscode.Uri with just what html.ts uses (path, scheme, with, toString).
class FakeUri {
  constructor(readonly scheme: string, readonly path: string) {}
  with(change: { path?: string }): FakeUri { return new FakeUri(this.scheme, change.path ?? this.path); }
  toString(): string { return `${this.scheme}://${this.path}`; }
}
const extensionUri = new FakeUri('file', '/ext') as unknown as vscode.Uri;
const webview = {
  cspSource: 'https://webview.test',
  asWebviewUri: (uri: FakeUri) => new FakeUri('https', `webview.test${uri.path}`),
} as unknown as vscode.Webview;

test('bootstrap JSON cannot close its script element', () => {
  const json = jsonForScriptElement({ text: '</script><script>alert(1)</script>', sep: '\u2028' });
  assert.ok(!json.includes('</'));
  assert.ok(!json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), { text: '</script><script>alert(1)</script>', sep: '\u2028' });
});

test('every render gets a fresh nonce on every script, CSP first in <head>', () => {
  const a = renderWebviewHtml({ webview, extensionUri, title: 'T <x>', bundle: 'dashboard', bootstrap: { a: 1 } });
  const b = renderWebviewHtml({ webview, extensionUri, title: 'T', bundle: 'dashboard' });
  const nonceOf = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
  assert.ok(nonceOf(a) && nonceOf(b) && nonceOf(a) !== nonceOf(b));
  assert.match(a, /<head>\s*<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-/);
  const scripts = a.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 2);
  for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonceOf(a)}"`), tag);
  assert.ok(!a.includes('unsafe-eval') && !a.includes('unsafe-inline'));
  assert.match(a, /<title>T &lt;x&gt;<\/title>/);
  assert.match(a, /src="https:\/\/webview\.test\/ext\/dist\/webview\/dashboard\.js"/);
});

test('resource roots: dist/webview plus file: folders only', () => {
  const roots = webviewResourceRoots(extensionUri, [new FakeUri('file', '/runs') as unknown as vscode.Uri, new FakeUri('http', '/x') as unknown as vscode.Uri]);
  assert.deepEqual(roots.map(String), ['file:///ext/dist/webview', 'file:///runs']);
});

test('nonces are long and distinct', () => {
  const seen = new Set(Array.from({ length: 100 }, createNonce));
  assert.equal(seen.size, 100);
  for (const n of seen) assert.ok(n.length >= 20);
});
