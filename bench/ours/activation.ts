// `activation (require + activate, stub vscode)`: the part of the extension's activation time that
// our own code controls, in ms: `require('dist/extension.js')` (V8 parsing and running the bundle's
// top level: VS Code's "code loading" time) plus the `activate()` call (VS Code's "activate call"),
// cold, in a fresh Node process, with a stand-in `vscode` module whose every API is a cheap no-op.
// What VS Code adds around it (starting the extension host, reading package.json, the activation
// event) is measured separately by bench/ours/activationVsCode.ts in a real VS Code (code-server).
// Usage: activation.ts [path/to/extension.js]   (run `npm run build` first)
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

type Stub = ((...args: unknown[]) => unknown) & Record<string | symbol, unknown>;

/** Answers for the keys every stub handles alike (promise check, string conversion, iteration, settings). */
function common(key: string | symbol): { found: boolean; value?: unknown } {
  if (key === 'then') return { found: true, value: undefined };
  if (key === Symbol.toPrimitive) return { found: true, value: () => '' };
  if (key === Symbol.iterator) return { found: true, value: function* () {} };
  if (key === 'get') return { found: true, value: (_key: unknown, fallback?: unknown) => fallback };
  return { found: false };
}

/**
 * A value that answers every property read, call and `new` with another such value: the extension
 * can call any vscode API without a real workbench. Configuration reads return their fallback,
 * `then` is absent (so a stub is never mistaken for a promise), and iteration yields nothing.
 * `new` (also through `class X extends vscode.TreeItem`) gives an object of the subclass whose
 * missing members are stubs, and assignments are kept.
 */
function stub(name: string, overrides: Record<string, unknown> = {}): Stub {
  const cache = new Map<string | symbol, unknown>(Object.entries(overrides));
  const target = function () {} as unknown as Stub;
  return new Proxy(target, {
    get(_, key) {
      if (cache.has(key)) return cache.get(key);
      const known = common(key);
      if (known.found) return known.value;
      cache.set(key, stub(`${name}.${String(key)}`));
      return cache.get(key);
    },
    set(_, key, value) {
      cache.set(key, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: (_, _args, newTarget: { prototype: object }) => instance(name, newTarget.prototype),
  });
}

function instance(name: string, prototype: object): object {
  return new Proxy(Object.create(prototype) as object, {
    get(target, key, receiver) {
      if (key in target) return Reflect.get(target, key, receiver);
      const known = common(key);
      if (known.found) return known.value;
      const member = stub(`${name}#${String(key)}`);
      Reflect.set(target, key, member);
      return member;
    },
  });
}

const fileUri = (fsPath: string) => ({ fsPath, scheme: 'file', path: fsPath, toString: () => `file://${fsPath}` });

function extensionContext(root: string): Record<string, unknown> {
  const storage = path.join(root, 'bench', '.cache', 'activation-storage');
  const memento = { get: (_key: string, fallback?: unknown) => fallback, update: async () => undefined, keys: () => [] };
  return {
    subscriptions: [],
    extensionPath: root,
    extensionUri: fileUri(root),
    globalStorageUri: fileUri(storage),
    storageUri: fileUri(storage),
    logUri: fileUri(storage),
    globalState: { ...memento, setKeysForSync: () => undefined },
    workspaceState: memento,
    asAbsolutePath: (relative: string) => path.join(root, relative),
    extensionMode: 1,
    secrets: stub('secrets'),
    environmentVariableCollection: stub('environmentVariableCollection'),
    extension: { id: 'crystal-gan.crystal-gan', extensionPath: root, packageJSON: {} },
  };
}

/**
 * The stand-in module: a plain object with a stub for every top-level name that @types/vscode
 * declares (esbuild's ESM interop copies a module's own property names, so a bare Proxy would look
 * empty; a minified bundle renames its `vscode` identifiers, so the names come from the typings).
 */
function vscodeModule(root: string, workspace: string, errors: string[]): Record<string, unknown> {
  const module: Record<string, unknown> = {
    // activate() reports its own failure through showErrorMessage: keep it, so a broken run says why.
    window: stub('vscode.window', { showErrorMessage: (message: string) => errors.push(message) }),
    // One local workspace folder, as in the e2e harness (the run tree watches its run store).
    workspace: stub('vscode.workspace', { workspaceFolders: [{ uri: fileUri(workspace), name: 'workspace', index: 0 }] }),
  };
  const typings = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  for (const [, name] of typings.matchAll(/^\texport (?:class|namespace|enum|function|const|let|var) ([A-Za-z_$][\w$]*)/gm)) module[name] ??= stub(`vscode.${name}`);
  return module;
}

async function main(): Promise<void> {
  const root = process.env.CRYSTAL_GAN_ROOT ?? process.cwd();
  const bundle = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'extension.js'));
  const errors: string[] = [];
  const workspace = path.join(root, 'bench', '.cache', 'activation-workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const vscode = vscodeModule(root, workspace, errors);
  // Node's loader hook: `require('vscode')` from the bundle gets the stand-in.
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = (request, ...rest) => (request === 'vscode' ? vscode : load(request, ...rest));

  // Node's own require (not a bundler's), so the bundle is loaded as VS Code's extension host loads it.
  const requireFromRoot = Module.createRequire(path.join(root, 'package.json'));
  const start = performance.now();
  const extension = requireFromRoot(bundle) as { activate(context: unknown): unknown };
  const loaded = performance.now();
  const result = extension.activate(extensionContext(root));
  const called = performance.now();
  await result;
  const resolved = performance.now();
  console.log(JSON.stringify({
    value: resolved - start,
    codeLoadingMs: loaded - start,
    activateCallMs: called - loaded,
    activateResolvedMs: resolved - called,
    bundleKB: Math.round(fs.statSync(bundle).size / 1024),
    ok: result !== undefined,
    ...(errors.length ? { errors: errors.join(' | ') } : {}),
  }));
  process.exit(0); // the extension may have started timers; the measurement is done
}

void main();
