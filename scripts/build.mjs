// Builds every bundle with esbuild: the extension host, the job process, the CLI, each webview,
// and (with --test) the extension-host test suite. Entries that do not exist yet are skipped,
// so the build stays green while features land one by one.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const withTests = process.argv.includes('--test');
const production = process.argv.includes('--production');
const exists = (p) => fs.existsSync(path.join(root, p));

const node = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  logLevel: 'warning', absWorkingDir: root,
};

const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js' },
  { in: 'src/jobs/worker.ts', out: 'dist/worker.js' },
  { in: 'src/extension/language/cifWorker.ts', out: 'dist/cifWorker.js' }, // large CIFs off the host's main thread
  { in: 'src/cli/main.ts', out: 'dist/cli.js' },
  ...(withTests ? [{ in: 'test/extension/index.ts', out: 'dist/test/index.js' }] : []),
].filter((e) => exists(e.in));

const webviewEntries = exists('webview')
  ? fs.readdirSync(path.join(root, 'webview'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && exists(`webview/${d.name}/main.ts`))
      .map((d) => ({ in: `webview/${d.name}/main.ts`, out: `dist/webview/${d.name}.js` }))
  : [];

await Promise.all([
  ...nodeEntries.map((e) => esbuild.build({ ...node, entryPoints: [e.in], outfile: e.out })),
  ...webviewEntries.map((e) => esbuild.build({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production,
    entryPoints: [e.in], outfile: e.out, absWorkingDir: root, logLevel: 'warning',
    loader: { '.css': 'css', '.ttf': 'file' },
  })),
]);

// The wasm backend loads its .wasm binaries from beside the bundle (setWasmPaths points here).
const wasmSrc = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasmOut = path.join(root, 'dist/wasm');
fs.mkdirSync(wasmOut, { recursive: true });
for (const f of fs.readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'))) {
  fs.copyFileSync(path.join(wasmSrc, f), path.join(wasmOut, f));
}
// The optional native kernels (native/, OpenBLAS): built when a C compiler is present, copied
// beside the bundle for src/ml/native.ts to find; a failure only means plain wasm kernels.
const { buildNative, ADDON } = await import('../native/build.mjs');
const nativeBuild = buildNative({ log: console.log });
const nativeOut = path.join(root, 'dist/native');
fs.rmSync(nativeOut, { recursive: true, force: true });
if (nativeBuild.ok) {
  fs.mkdirSync(nativeOut, { recursive: true });
  fs.copyFileSync(ADDON, path.join(nativeOut, path.basename(ADDON)));
} else {
  console.log(`native kernels not built (${nativeBuild.reason}): training uses the plain wasm kernels`);
}
console.log(`built ${nodeEntries.length + webviewEntries.length} bundles: ${[...nodeEntries, ...webviewEntries].map((e) => e.out).join(', ')}`);
