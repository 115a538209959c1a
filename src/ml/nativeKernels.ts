// Registers the native addon's kernels (src/ml/native.ts) as overrides for the tfjs `wasm`
// backend, through tfjs's own kernel registry: BatchMatMul runs OpenBLAS's sgemm (with its
// transposes, batched, broadcasting like the wasm kernel), and the transposed convolution's
// col2im/im2col kernels run as C loops. Inputs and outputs stay on the wasm heap: the kernels
// take Float32Array views of it, so nothing is copied. Why: XNNPACK inside wasm reached 20–38
// GFLOP/s on the composition GAN's products, OpenBLAS with AVX2 43–102 (bench/NOTES.md).
import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_TO_TAPS, IMAGE_TO_TAPS_TRANSPOSED, setWasmTapImplementations, TAPS_TO_IMAGE, type ConvTransposeShape, type TapGeometry, type TapImplementation } from './tfKernels';
import type { NativeKernels } from './native';

interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Marks our kernel config, to keep installation idempotent and to find the kernel it replaced. */
const NATIVE = Symbol.for('crystal-gan.nativeBatchMatMul');
type NativeConfig = tf.KernelConfig & { [NATIVE]?: tf.KernelConfig };

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The product's sizes, or undefined where the fallback kernel should handle it (dtype, odd broadcast). */
function productPlan(a: tf.TensorInfo, b: tf.TensorInfo, { transposeA, transposeB }: BatchMatMulAttrs) {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const [aRows, aColumns] = a.shape.slice(-2);
  const [bRows, bColumns] = b.shape.slice(-2);
  const m = transposeA ? aColumns : aRows;
  const k = transposeA ? aRows : aColumns;
  const n = transposeB ? bRows : bColumns;
  if ((transposeB ? bColumns : bRows) !== k) return undefined; // the fallback throws tfjs's own message
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const outerShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return {
    m, n, k,
    batch: Math.max(batchA, batchB),
    strideA: batchA === 1 ? 0 : m * k,
    strideB: batchB === 1 ? 0 : k * n,
    outShape: [...outerShape, m, n],
  };
}

function nativeBatchMatMul(native: NativeKernels, fallback: tf.KernelConfig): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    const flags = attrs as unknown as BatchMatMulAttrs;
    const plan = productPlan(a, b, flags);
    if (!plan) return fallback.kernelFunc({ inputs, backend, attrs });
    const heap = backend as unknown as WasmHeap;
    // Output first: allocating may grow the heap and detach views taken before.
    const out = heap.makeOutput(plan.outShape, 'float32');
    native.sgemm(heap.typedArrayFromHeap(a), heap.typedArrayFromHeap(b), heap.typedArrayFromHeap(out), plan.batch, plan.m, plan.n, plan.k, flags.transposeA, flags.transposeB, plan.strideA, plan.strideB);
    return out;
  };
}

interface ReductionAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/**
 * Rows and columns of a float32 reduction over leading axes only ([0 … j−1]: batch norm's
 * statistics and gradients), which tfjs-wasm runs as a transpose and a reduction; else undefined.
 */
function leadingAxesPlan(x: tf.TensorInfo, { axis, keepDims }: ReductionAttrs) {
  if (x.dtype !== 'float32' || x.shape.length < 2) return undefined;
  const axes = [...tf.util.parseAxisParam(axis, x.shape)].sort((p, q) => p - q);
  const leading = axes.length;
  if (leading === 0 || leading >= x.shape.length || axes.some((a, i) => a !== i)) return undefined;
  const kept = x.shape.slice(leading);
  return {
    rows: sizeOf(x.shape.slice(0, leading)),
    columns: sizeOf(kept),
    outShape: keepDims ? [...Array<number>(leading).fill(1), ...kept] : kept,
  };
}

function nativeReduction(native: NativeKernels, fallback: tf.KernelConfig, isMean: boolean): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tf.TensorInfo;
    const plan = leadingAxesPlan(x, attrs as unknown as ReductionAttrs);
    if (!plan || plan.rows === 0) return fallback.kernelFunc({ inputs, backend, attrs });
    const heap = backend as unknown as WasmHeap;
    const out = heap.makeOutput(plan.outShape, 'float32');
    native.sumRows(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out), plan.rows, plan.columns, isMean ? plan.rows : 1);
    return out;
  };
}

/** broadcastBinary's operand layouts: the whole output's size, one trailing row repeated, one value. */
const enum OperandMode {
  Full = 0,
  Row = 1,
  Scalar = 2,
}

/** How an operand of `shape` broadcasts onto `outShape`, or undefined for a layout the addon does not take. */
function operandMode(shape: number[], outShape: number[]): { mode: OperandMode; inner: number } | undefined {
  const size = sizeOf(shape);
  if (size === sizeOf(outShape)) return { mode: OperandMode.Full, inner: 0 };
  if (size === 1) return { mode: OperandMode.Scalar, inner: 0 };
  // A row: after dropping leading 1s, the shape equals the output's trailing axes.
  const trimmed = shape.slice(shape.findIndex((d) => d !== 1));
  const trailing = outShape.slice(outShape.length - trimmed.length);
  return trimmed.length <= outShape.length && trimmed.every((d, i) => d === trailing[i]) ? { mode: OperandMode.Row, inner: size } : undefined;
}

/**
 * Add/Sub/Mul where one operand is broadcast (a per-channel vector or a scalar against a full
 * tensor: batch norm, biases); same-shape operands stay with wasm's own (fast) kernel.
 */
function nativeBroadcastBinary(native: NativeKernels, fallback: tf.KernelConfig, op: number): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback.kernelFunc({ inputs, backend, attrs });
    const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const aLayout = operandMode(a.shape, outShape);
    const bLayout = operandMode(b.shape, outShape);
    const broadcastOne = aLayout && bLayout && (aLayout.mode === OperandMode.Full) !== (bLayout.mode === OperandMode.Full);
    if (!aLayout || !bLayout || !broadcastOne || sizeOf(outShape) === 0) return fallback.kernelFunc({ inputs, backend, attrs });
    const inner = Math.max(aLayout.inner, bLayout.inner, 1);
    const heap = backend as unknown as WasmHeap;
    const out = heap.makeOutput(outShape, 'float32');
    native.broadcastBinary(op, heap.typedArrayFromHeap(a), heap.typedArrayFromHeap(b), heap.typedArrayFromHeap(out), sizeOf(outShape) / inner, inner, aLayout.mode, bLayout.mode);
    return out;
  };
}

/** Each wasm kernel this module replaces, with the native kernel function built over the one it replaces. */
function overrides(native: NativeKernels): [string, (replaced: tf.KernelConfig) => tf.KernelFunc][] {
  return [
    ['BatchMatMul', (replaced) => nativeBatchMatMul(native, replaced)],
    ['Sum', (replaced) => nativeReduction(native, replaced, false)],
    ['Mean', (replaced) => nativeReduction(native, replaced, true)],
    ['Add', (replaced) => nativeBroadcastBinary(native, replaced, 0)],
    ['Sub', (replaced) => nativeBroadcastBinary(native, replaced, 1)],
    ['Multiply', (replaced) => nativeBroadcastBinary(native, replaced, 2)],
  ];
}

const OVERRIDDEN_KERNELS = ['BatchMatMul', 'Sum', 'Mean', 'Add', 'Sub', 'Multiply'];

function geometryArguments(g: TapGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.outH, g.outW, g.outC, g.kernel, g.strideH, g.strideW];
}

/** The addon's tap loops in the JS kernels' (input, output, geometry) form. */
function nativeTapImplementations(native: NativeKernels): Record<string, TapImplementation> {
  return {
    [TAPS_TO_IMAGE]: (taps, image, g) => native.tapsToImage(taps, image, ...geometryArguments(g)),
    [IMAGE_TO_TAPS]: (image, taps, g) => native.imageToTaps(taps, image, ...geometryArguments(g)),
    [IMAGE_TO_TAPS_TRANSPOSED]: (image, tapsTransposed, g) => native.imageToTapsTransposed(tapsTransposed, image, ...geometryArguments(g)),
  };
}

// Fused kernels, registered for 'wasm' only while the addon's kernels are installed, under names
// of their own: layers.ts uses them (through tf.customGrad, with the backward kernels below as the
// gradient) when `hasFusedLayerKernels()` says they are there, and its op-by-op path otherwise.

/** The whole transposed convolution, col2im(x·W) + bias, per block of samples in cache. */
export const FUSED_CONV_TRANSPOSE = 'CrystalGanFusedConvTranspose';
/** Its gradient: outputs [dx, dW, db]. */
export const FUSED_CONV_TRANSPOSE_BACKWARD = 'CrystalGanFusedConvTransposeBackward';
/** Training-mode batch norm over every axis but the last: outputs [y, mean, variance]. */
export const FUSED_BATCH_NORM = 'CrystalGanFusedBatchNorm';
/** Its closed-form gradient: outputs [dx, dγ, dβ]. */
export const FUSED_BATCH_NORM_BACKWARD = 'CrystalGanFusedBatchNormBackward';

const FUSED_KERNELS = [FUSED_CONV_TRANSPOSE, FUSED_CONV_TRANSPOSE_BACKWARD, FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD];

/**
 * Taps (floats) per block of samples: 1 MB, one core's L2 cache. Measured (CPU, batch 256): with
 * 16–64 K floats the 5×5 layer's forward cost ~25 % more, with 128 K 10 % more; 256–512 K were
 * equal within 3 %; the 3×3 layers did not care (bench/NOTES.md, "Fast CPU path").
 */
const BLOCK_FLOATS = 262_144;

function blockSamples(attrs: ConvTransposeShape): number {
  return Math.max(1, Math.floor(BLOCK_FLOATS / (attrs.inH * attrs.inW * attrs.kernel * attrs.outC * attrs.kernel)));
}

function convArguments(batch: number, a: ConvTransposeShape): number[] {
  return [a.inC, blockSamples(a), batch, a.inH, a.inW, a.outH, a.outW, a.outC, a.kernel, a.strideH, a.strideW];
}

/** Allocates every output first (allocating may grow the heap and detach earlier views), then views them all. */
function outputsOnHeap(heap: WasmHeap, shapes: number[][]): { infos: tf.TensorInfo[]; views: Float32Array[] } {
  const infos = shapes.map((shape) => heap.makeOutput(shape, 'float32'));
  return { infos, views: infos.map((info) => heap.typedArrayFromHeap(info)) };
}

function fusedKernelConfigs(native: NativeKernels): tf.KernelConfig[] {
  const heapOf = (backend: unknown) => backend as WasmHeap;
  const convTranspose: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, w, bias } = inputs as Record<string, tf.TensorInfo>;
    const a = attrs as unknown as ConvTransposeShape;
    const batch = x.shape[0];
    const heap = heapOf(backend);
    const { infos, views } = outputsOnHeap(heap, [[batch, a.outH, a.outW, a.outC]]);
    native.convTransposeForward(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(w), heap.typedArrayFromHeap(bias), views[0], ...convArguments(batch, a));
    return infos[0];
  };
  const convTransposeBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, x, w } = inputs as Record<string, tf.TensorInfo>;
    const a = attrs as unknown as ConvTransposeShape;
    const heap = heapOf(backend);
    const { infos, views } = outputsOnHeap(heap, [x.shape, w.shape, [a.outC]]);
    native.convTransposeBackward(heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(w), views[0], views[1], views[2], ...convArguments(x.shape[0], a));
    return infos;
  };
  const batchNorm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
    const channels = x.shape[x.shape.length - 1];
    const heap = heapOf(backend);
    const { infos, views } = outputsOnHeap(heap, [x.shape, [channels], [channels]]);
    const [y, mean, variance] = views;
    native.batchNormForward(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(gamma), heap.typedArrayFromHeap(beta), y, mean, variance, sizeOf(x.shape) / channels, channels, (attrs as unknown as { epsilon: number }).epsilon);
    return infos;
  };
  const batchNormBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, x, mean, variance, gamma } = inputs as Record<string, tf.TensorInfo>;
    const channels = x.shape[x.shape.length - 1];
    const heap = heapOf(backend);
    const { infos, views } = outputsOnHeap(heap, [x.shape, [channels], [channels]]);
    const [dx, dGamma, dBeta] = views;
    const read = (info: tf.TensorInfo) => heap.typedArrayFromHeap(info);
    native.batchNormBackward(read(dy), read(x), read(mean), read(variance), read(gamma), dx, dGamma, dBeta, sizeOf(x.shape) / channels, channels, (attrs as unknown as { epsilon: number }).epsilon);
    return infos;
  };
  return [
    { kernelName: FUSED_CONV_TRANSPOSE, backendName: 'wasm', kernelFunc: convTranspose },
    { kernelName: FUSED_CONV_TRANSPOSE_BACKWARD, backendName: 'wasm', kernelFunc: convTransposeBackward },
    { kernelName: FUSED_BATCH_NORM, backendName: 'wasm', kernelFunc: batchNorm },
    { kernelName: FUSED_BATCH_NORM_BACKWARD, backendName: 'wasm', kernelFunc: batchNormBackward },
  ];
}

/** Whether the active backend has this fused kernel (wasm with the addon's kernels installed). */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Whether the active backend has every fused layer kernel. */
export function hasFusedLayerKernels(): boolean {
  return FUSED_KERNELS.every(hasFusedKernel);
}

/** Takes fused kernels out of 'wasm' (benchmarks measure each fusion's effect on its own). */
export function unregisterFusedKernels(kernelNames: readonly string[] = FUSED_KERNELS): void {
  for (const kernelName of kernelNames) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  }
}

/**
 * Installs the native kernels for 'wasm' (call after patchWasmBatchMatMul, before setBackend).
 * Returns false when the wasm kernels are not registered. Idempotent.
 */
export function installNativeWasmKernels(native: NativeKernels): boolean {
  if (OVERRIDDEN_KERNELS.some((name) => !tf.getKernel(name, 'wasm'))) return false;
  for (const [kernelName, build] of overrides(native)) {
    const current = tf.getKernel(kernelName, 'wasm') as NativeConfig;
    if (current[NATIVE]) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...current, kernelFunc: build(current), [NATIVE]: current } as NativeConfig);
  }
  setWasmTapImplementations(nativeTapImplementations(native));
  // An addon built before the fused functions existed (a stale dist/native) keeps the op-by-op path.
  const fusedFunctions = [native.convTransposeForward, native.convTransposeBackward, native.batchNormForward, native.batchNormBackward];
  if (!fusedFunctions.every((f) => typeof f === 'function')) {
    unregisterFusedKernels();
    return true;
  }
  for (const config of fusedKernelConfigs(native)) {
    // Replaced on every install, so that the kernels call the addon passed last.
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  return true;
}

/** Puts the kernels installNativeWasmKernels replaced back (tests compare both paths). */
export function uninstallNativeWasmKernels(): void {
  for (const kernelName of OVERRIDDEN_KERNELS) {
    const replaced = (tf.getKernel(kernelName, 'wasm') as NativeConfig | undefined)?.[NATIVE];
    if (!replaced) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(replaced);
  }
  setWasmTapImplementations(undefined);
  unregisterFusedKernels();
}

/** Whether BatchMatMul on 'wasm' is the native one now. */
export function nativeWasmKernelsInstalled(): boolean {
  return Boolean((tf.getKernel('BatchMatMul', 'wasm') as NativeConfig | undefined)?.[NATIVE]);
}
