// Builds the optional native kernel addon with node-gyp, and never fails the caller: the project
// works without it (training then runs on the plain wasm kernels). Used by `npm run build:native`
// (prints why it could not build) and by scripts/build.mjs (which then copies the addon to
// dist/native). Rebuilds only when the addon is older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not URL.pathname: a checkout under a folder with spaces would read as %20.
const thisFile = fileURLToPath(import.meta.url);
const nativeDir = path.dirname(thisFile);
export const ADDON = path.join(nativeDir, 'build', 'Release', 'crystal_gan_native.node');
const SOURCES = ['binding.gyp', 'src/crystal_gan_native.c'].map((f) => path.join(nativeDir, f));

function upToDate() {
  if (!fs.existsSync(ADDON)) return false;
  const built = fs.statSync(ADDON).mtimeMs;
  return SOURCES.every((f) => fs.statSync(f).mtimeMs <= built);
}

/** node-gyp as npm runs it for install scripts: on PATH inside npm scripts, else npm's own copy. */
function nodeGypCommand() {
  const onPath = spawnSync('node-gyp', ['--version'], { stdio: 'ignore' });
  if (onPath.status === 0) return ['node-gyp'];
  const bundled = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return fs.existsSync(bundled) ? [process.execPath, bundled] : undefined;
}

/** Builds if needed; returns { ok: true } or { ok: false, reason }. */
export function buildNative({ force = false, log = () => {} } = {}) {
  if (process.env.CRYSTAL_GAN_NATIVE === '0') return { ok: false, reason: 'CRYSTAL_GAN_NATIVE=0' };
  if (!force && upToDate()) return { ok: true, skipped: true };
  const command = nodeGypCommand();
  if (!command) return { ok: false, reason: 'node-gyp not found (it ships with npm)' };
  log(`building the native kernels (${command.join(' ')} rebuild)`);
  // Node's own headers (npm's nodedir setting here) avoid a header download, which fails offline.
  const headers = fs.existsSync('/usr/include/node/node_api.h') ? ['--nodedir=/usr'] : [];
  const result = spawnSync(command[0], [...command.slice(1), 'rebuild', ...headers], { cwd: nativeDir, encoding: 'utf8' });
  if (result.status !== 0 || !fs.existsSync(ADDON)) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').filter((l) => /error|not found|ERR!/i.test(l)).slice(0, 3);
    return { ok: false, reason: `node-gyp failed (${result.error?.message ?? `exit ${result.status}`}): ${output.join(' | ')}` };
  }
  return { ok: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  const result = buildNative({ force: process.argv.includes('--force'), log: console.log });
  console.log(result.ok ? `native kernels: ${ADDON}` : `native kernels not built: ${result.reason}; training will use the plain wasm kernels`);
}
