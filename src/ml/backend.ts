// Chooses the TensorFlow.js backend for a job and says why the faster ones were skipped.
// Order for 'auto': native GPU (tfjs-node-gpu), native CPU (tfjs-node), WebAssembly, plain JS.
// The native packages are optional dependencies that often fail to install (they download
// libtensorflow), so they are loaded in try/catch; the wasm binaries live in dist/wasm beside
// the bundle (copied by scripts/build.mjs) or in node_modules when running from sources.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
// Lets every caller write x.square().sum() as well as tf.sum(tf.square(x)).
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
// tfjs-core alone ships no gradients: training needs them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// A named import that is used: esbuild drops a bare import of this package (its `sideEffects`
// list does not name the Node entry), and then the cpu backend would be missing from the bundle.
import { version_cpu as cpuBackendVersion } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { patchWasmBatchMatMul, patchWasmCopies, registerComparisonGradients } from './tfKernels';
import { loadNativeKernels, nativeThreadsFrom } from './native';
import { installNativeWasmKernels, uninstallNativeWasmKernels } from './nativeKernels';

export { tf };

export type BackendPreference = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The tfjs backend that is active: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** One line per backend tried: why it was skipped, or what was chosen. */
  notes: string[];
  /** The kernels that run, in words, e.g. "wasm + native OpenBLAS kernels" (run.json, logs, benches). */
  kernels: string;
}

export interface BackendOptions {
  /** Folder holding tfjs-backend-wasm*.wasm (default: dist/wasm beside the bundle, else node_modules). */
  wasmDir?: string;
  /**
   * Whether wasm may use the native OpenBLAS kernels where the addon loads (default true; the
   * environment variable CRYSTAL_GAN_NATIVE=0 also turns them off).
   */
  native?: boolean;
  /** OpenBLAS threads for the native kernels (default: CRYSTAL_GAN_NATIVE_THREADS, else 1). */
  nativeThreads?: number;
}

const WASM_FILE = 'tfjs-backend-wasm.wasm';
const optionalRequire = createRequire(__filename);

export function isBackendPreference(value: string): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/** Candidate folders for the .wasm files, in the order they are tried. */
export function wasmDirCandidates(explicit?: string): string[] {
  const list: string[] = [];
  if (explicit) list.push(path.resolve(explicit));
  list.push(path.join(__dirname, 'wasm'));
  try {
    list.push(path.dirname(optionalRequire.resolve('@tensorflow/tfjs-backend-wasm')));
  } catch {
    // not resolvable from here (e.g. a packaged extension): dist/wasm is the only place
  }
  return list;
}

function findWasmDir(explicit?: string): string | undefined {
  return wasmDirCandidates(explicit).find((dir) => fs.existsSync(path.join(dir, WASM_FILE)));
}

type Attempt = (notes: string[]) => Promise<boolean>;

function nativeAttempt(pkg: string, label: string): Attempt {
  return async (notes) => {
    try {
      // Registers the 'tensorflow' backend in tfjs's global registry (shared by every tfjs-core copy).
      optionalRequire(pkg);
    } catch (error) {
      notes.push(`${label}: skipped, ${pkg} is not installed or failed to load (${firstLine(error)})`);
      return false;
    }
    if (!(await setBackendQuietly('tensorflow'))) {
      notes.push(`${label}: skipped, ${pkg} loaded but the 'tensorflow' backend failed to initialise`);
      return false;
    }
    notes.push(`${label}: using ${pkg}`);
    return true;
  };
}

function wasmAttempt(options: BackendOptions): Attempt {
  return async (notes) => {
    const dir = findWasmDir(options.wasmDir);
    if (!dir) {
      notes.push(`wasm: skipped, ${WASM_FILE} not found in ${wasmDirCandidates(options.wasmDir).join(', ')}`);
      return false;
    }
    // The kernel patch must be in the registry before setBackend runs the kernels' setup.
    patchWasmBatchMatMul();
    patchWasmCopies();
    setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
    if (!(await setBackendQuietly('wasm'))) {
      notes.push(`wasm: skipped, the backend failed to initialise from ${dir}`);
      return false;
    }
    notes.push(`wasm: using ${dir} (transposed matmuls rerouted to the fast path)`);
    return true;
  };
}

/**
 * Installs the native kernels over wasm's where the addon loads (and takes them out otherwise, so
 * a second initBackend with native off really runs plain wasm). Returns the kernels' description.
 */
function chooseWasmKernels(options: BackendOptions, notes: string[]): string {
  const load = options.native === false ? { kernels: undefined, reason: 'turned off by the caller' } : loadNativeKernels();
  if (!load.kernels) {
    uninstallNativeWasmKernels();
    notes.push(`native: skipped, ${load.reason}; plain wasm kernels`);
    return 'wasm';
  }
  const threads = options.nativeThreads ?? nativeThreadsFrom();
  load.kernels.setThreads(threads);
  installNativeWasmKernels(load.kernels);
  notes.push(`native: BatchMatMul and the col2im/im2col kernels run in ${load.file} (${load.kernels.blasConfig().trim()}, ${threads} thread${threads === 1 ? '' : 's'})`);
  return 'wasm + native OpenBLAS kernels';
}

const cpuAttempt: Attempt = async (notes) => {
  const ok = await setBackendQuietly('cpu');
  notes.push(ok ? `cpu: using the plain JavaScript backend ${cpuBackendVersion} (slow)` : 'cpu: failed to initialise');
  return ok;
};

async function setBackendQuietly(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/**
 * Activates the preferred backend, falling back down the list for 'auto' and for a named
 * backend that fails (the notes say so). Also registers the gradient patches every job needs.
 */
export async function initBackend(preferred: BackendPreference = 'auto', options: BackendOptions = {}): Promise<BackendChoice> {
  registerComparisonGradients();
  // Production mode skips tfjs's debug checks and its console banner about tfjs-node (the notes
  // below say which backends were skipped and why).
  tf.enableProdMode();
  const all: [BackendPreference, Attempt][] = [
    ['tensorflow-gpu', nativeAttempt('@tensorflow/tfjs-node-gpu', 'tensorflow-gpu')],
    ['tensorflow', nativeAttempt('@tensorflow/tfjs-node', 'tensorflow')],
    ['wasm', wasmAttempt(options)],
    ['cpu', cpuAttempt],
  ];
  const start = preferred === 'auto' ? 0 : all.findIndex(([name]) => name === preferred);
  const notes: string[] = [];
  for (const [name, attempt] of all.slice(start)) {
    if (await attempt(notes)) {
      if (preferred !== 'auto' && name !== preferred) notes.push(`asked for ${preferred}, fell back to ${name}`);
      const active = tf.getBackend();
      return { name: active, notes, kernels: active === 'wasm' ? chooseWasmKernels(options, notes) : active };
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised:\n  ${notes.join('\n  ')}`);
}
