// Registers the native addon's kernels (src/ml/native.ts) as overrides for the tfjs `wasm`
// backend, through tfjs's own kernel registry: BatchMatMul runs OpenBLAS's sgemm (with its
// transposes, batched, broadcasting like the wasm kernel), and the transposed convolution's
// col2im/im2col kernels run as C loops. Inputs and outputs stay on the wasm heap: the kernels
// take Float32Array views of it, so nothing is copied. Why: XNNPACK inside wasm reached 20–38
// GFLOP/s on the composition GAN's products, OpenBLAS with AVX2 43–102 (bench/NOTES.md).
import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_TO_TAPS, IMAGE_TO_TAPS_TRANSPOSED, setWasmTapImplementations, TAPS_TO_IMAGE, type TapGeometry, type TapImplementation } from './tfKernels';
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
}

/** Whether BatchMatMul on 'wasm' is the native one now. */
export function nativeWasmKernelsInstalled(): boolean {
  return Boolean((tf.getKernel('BatchMatMul', 'wasm') as NativeConfig | undefined)?.[NATIVE]);
}
