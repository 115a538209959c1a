// Loads the optional native kernel addon (native/, built by `npm run build:native` or by
// `npm run build` when a C compiler is present). It links OpenBLAS at run time; where the addon
// is missing, built for another platform, or finds no OpenBLAS, loading fails with a reason and
// training stays on the plain wasm kernels. Nothing here is required for the project to work.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The addon's functions (native/src/crystal_gan_native.c). Arrays are views; nothing is copied. */
export interface NativeKernels {
  /** c[i] = op(a[i])·op(b[i]) for i < batch, row-major; strideA/strideB 0 broadcast one matrix. */
  sgemm(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, strideA: number, strideB: number): void;
  /** col2im / im2col / transposed im2col; the geometry in TapGeometry's field order. */
  tapsToImage(taps: Float32Array, image: Float32Array, ...geometry: number[]): void;
  imageToTaps(taps: Float32Array, image: Float32Array, ...geometry: number[]): void;
  imageToTapsTransposed(tapsTransposed: Float32Array, image: Float32Array, ...geometry: number[]): void;
  /** out[c] = (Σ_r x[r, c]) / divisor for a row-major [rows, columns] x. */
  sumRows(x: Float32Array, out: Float32Array, rows: number, columns: number, divisor: number): void;
  /** out = a op b over [outer, inner] (op 0 add, 1 sub, 2 mul; mode 0 full, 1 one row repeated, 2 scalar; one operand full). */
  broadcastBinary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, outer: number, inner: number, aMode: number, bMode: number): void;
  /**
   * image = col2im(x·W) + bias per block of samples (x [B·inH·inW, inC], W [inC, kw·outC·kh]);
   * `sizes`: inC, samples per block, then the geometry as for tapsToImage.
   */
  convTransposeForward(x: Float32Array, w: Float32Array, bias: Float32Array, image: Float32Array, ...sizes: number[]): void;
  /** Per block dTaps = im2col(dy), dx = dTaps·Wᵀ, dW += xᵀ·dTaps; db = Σ dy. */
  convTransposeBackward(dy: Float32Array, x: Float32Array, w: Float32Array, dx: Float32Array, dw: Float32Array, db: Float32Array, ...sizes: number[]): void;
  /** Training-mode batch norm over [rows, channels]: batch mean, biased variance and y = (x − mean)·γ·rstd + β. */
  batchNormForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array, rows: number, channels: number, epsilon: number): void;
  /** Its closed-form gradient: dx, dγ = Σ(dy·x̂), dβ = Σdy. */
  batchNormBackward(dy: Float32Array, x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array, dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array, rows: number, channels: number, epsilon: number): void;
  setThreads(threads: number): void;
  threads(): number;
  blasConfig(): string;
}

export type NativeLoad = { kernels: NativeKernels; file: string } | { kernels: undefined; reason: string };

export const NATIVE_FILE = 'crystal_gan_native.node';
/** Set to 0 to keep the plain wasm kernels even where the addon loads (comparisons, tests). */
export const NATIVE_DISABLE_VARIABLE = 'CRYSTAL_GAN_NATIVE';
/** OpenBLAS threads for training (default 1). */
export const NATIVE_THREADS_VARIABLE = 'CRYSTAL_GAN_NATIVE_THREADS';

const nativeRequire = createRequire(__filename);

/**
 * Where the addon may be, in order: beside the bundle (dist/native, copied by scripts/build.mjs),
 * then the build folder of native/ seen from the bundle (dist/) and from the sources (src/ml/).
 */
export function nativeFileCandidates(): string[] {
  return [
    path.join(__dirname, 'native', NATIVE_FILE),
    path.join(__dirname, '..', 'native', 'build', 'Release', NATIVE_FILE),
    path.join(__dirname, '..', '..', 'native', 'build', 'Release', NATIVE_FILE),
  ];
}

let cached: NativeLoad | undefined;

/** Loads the addon once per thread; never throws. */
export function loadNativeKernels(environment: NodeJS.ProcessEnv = process.env): NativeLoad {
  if (environment[NATIVE_DISABLE_VARIABLE] === '0') return { kernels: undefined, reason: `${NATIVE_DISABLE_VARIABLE}=0` };
  if (cached) return cached;
  const candidates = nativeFileCandidates();
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) {
    cached = { kernels: undefined, reason: `${NATIVE_FILE} not built (npm run build:native; looked in ${candidates.join(', ')})` };
    return cached;
  }
  try {
    cached = { kernels: nativeRequire(file) as NativeKernels, file };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    cached = { kernels: undefined, reason: `${file} failed to load (${message.split('\n')[0]})` };
  }
  return cached;
}

/** The OpenBLAS thread count asked for by the environment, or 1; a clear error for a bad value. */
export function nativeThreadsFrom(environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment[NATIVE_THREADS_VARIABLE];
  if (raw === undefined || raw === '') return 1;
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new RangeError(`${NATIVE_THREADS_VARIABLE}=${raw}: expected a whole number of threads from 1 to 64`);
  }
  return threads;
}
