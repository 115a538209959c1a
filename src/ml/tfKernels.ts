// Two patches to TensorFlow.js kernels, measured and explained in docs/ml-runtime.md:
// 1. Comparison ops (Greater, Less, Equal …) have no registered gradient, so a second-order
//    gradient through ReLU/LeakyReLU (WGAN-GP's gradient penalty) fails with "gradient function
//    not found for Greater". They are piecewise constant: their gradient is zero.
// 2. The wasm backend sends BatchMatMul with transposeA/transposeB (every dense layer's backward
//    pass) to a slow scalar loop. Transposing the operand explicitly and calling the fast
//    non-transposed path made training about 6× faster.
// Both go through tfjs's global kernel registry, so they apply to every copy of tfjs-core.
import * as tf from '@tensorflow/tfjs-core';

const COMPARISON_KERNELS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'] as const;

/** Registers a zero gradient for every comparison op that has none yet. Idempotent. */
export function registerComparisonGradients(): void {
  for (const kernelName of COMPARISON_KERNELS) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as tf.Tensor[];
        return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
      },
    });
  }
}

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Marks a kernel config as ours so the patch is not applied twice. */
const PATCHED = Symbol.for('crystal-gan.batchMatMulReroute');

/**
 * Replaces the wasm BatchMatMul kernel by one that transposes a transposed operand with the
 * wasm Transpose kernel and then runs the original kernel without transposes. Returns false
 * when the wasm kernels are not registered (e.g. the wasm backend is not imported). Idempotent.
 */
export function patchWasmBatchMatMul(): boolean {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!original || !transposeKernel) return false;
  if ((original as unknown as Record<symbol, boolean>)[PATCHED]) return true;

  const transposeLastTwo = (x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array(rank).keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
  };

  const kernelFunc: tf.KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as tf.KernelBackend;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const temporaries: tf.TensorInfo[] = [];
    let a = inputs.a as tf.TensorInfo;
    let b = inputs.b as tf.TensorInfo;
    if (transposeA) temporaries.push((a = transposeLastTwo(a, backend)));
    if (transposeB) temporaries.push((b = transposeLastTwo(b, backend)));
    const out = original.kernelFunc({
      inputs: { a, b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
    });
    for (const t of temporaries) backend.disposeData(t.dataId);
    return out;
  };

  const patched: tf.KernelConfig & { __original?: tf.KernelConfig } = { ...original, kernelFunc, __original: original };
  (patched as unknown as Record<symbol, boolean>)[PATCHED] = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(patched);
  return true;
}

/** Marks the sharing Identity/Cast kernels so the patch is not applied twice. */
const SHARING = Symbol.for('crystal-gan.wasmSharingCopies');

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * Replaces the wasm Identity kernel, and Cast where the dtype does not change, by ones that share
 * the input's memory (a reference count, as wasm's own Reshape and the cpu backend's Identity do)
 * instead of copying it. tfjs calls Identity to keep every tensor a gradient needs (engine.clone)
 * and Cast float32→float32 on the way back, so training copied each saved activation twice.
 * Tensors are immutable in tfjs (assign swaps the data id), so sharing is safe. Idempotent.
 */
export function patchWasmCopies(): boolean {
  const identity = tf.getKernel('Identity', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!identity || !cast) return false;
  const share = (x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo => {
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  const replacements: tf.KernelConfig[] = [
    { ...identity, kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      return x.dtype === 'string' ? identity.kernelFunc({ inputs, backend, attrs }) : share(x, backend as tf.KernelBackend);
    } },
    { ...cast, kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const sameType = (attrs as unknown as { dtype: tf.DataType }).dtype === x.dtype && x.dtype !== 'string';
      return sameType ? share(x, backend as tf.KernelBackend) : cast.kernelFunc({ inputs, backend, attrs });
    } },
  ];
  for (const config of replacements) {
    if ((tf.getKernel(config.kernelName, 'wasm') as unknown as Record<symbol, boolean>)[SHARING]) continue;
    (config as unknown as Record<symbol, boolean>)[SHARING] = true;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  return true;
}

// 3. The transposed convolution's scatter-add of per-pixel taps onto the output (col2im) and its
//    gradient (the matching gather, im2col), as JavaScript kernels on the backends' own memory.
//    Expressed with tfjs ops it took three transposes and two products with 0/1 matrices per
//    layer, which profiling showed to be about a third of a training step on wasm (NOTES.md,
//    "Fast CPU path"). The loops below touch each tap once.

/** Kernel names (registered by registerConvTransposeKernels for the 'wasm' and 'cpu' backends). */
export const TAPS_TO_IMAGE = 'CrystalGanTapsToImage';
export const IMAGE_TO_TAPS = 'CrystalGanImageToTaps';
/** IMAGE_TO_TAPS with the taps transposed: [kw·outC·kh, B·inH·inW] (no gradient registered). */
export const IMAGE_TO_TAPS_TRANSPOSED = 'CrystalGanImageToTapsTransposed';

/**
 * Geometry of one transposed convolution. Taps are laid out [B·inH·inW, kw, outC, kh] (the
 * layer's kernel layout), images [B, outH, outW, outC]; input pixel i with kernel tap t lands on
 * output i·stride + t − pad, where pad is TensorFlow's SAME padding for the explicit output size.
 */
export interface TapGeometry {
  batch: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  outC: number;
  kernel: number;
  strideH: number;
  strideW: number;
}

/** One transposed convolution's shape, the batch aside: a layer's shape and the fused kernels' attributes. */
export type ConvTransposeShape = Omit<TapGeometry, 'batch'> & { inC: number };

/** TensorFlow's SAME padding before the first element of a transposed convolution. */
export function samePadBefore(inSize: number, kernel: number, stride: number, outSize: number): number {
  return Math.floor(Math.max((inSize - 1) * stride + kernel - outSize, 0) / 2);
}

/** Output index of input i through kernel tap t along one axis, or -1 where it falls outside. */
function landingTable(inSize: number, kernel: number, stride: number, outSize: number): Int32Array {
  const pad = samePadBefore(inSize, kernel, stride, outSize);
  const table = new Int32Array(inSize * kernel);
  for (let i = 0; i < inSize; i++) {
    for (let t = 0; t < kernel; t++) {
      const o = i * stride + t - pad;
      table[i * kernel + t] = o >= 0 && o < outSize ? o : -1;
    }
  }
  return table;
}

/** Per-axis landing tables and strides of one geometry. */
function landingOf(g: TapGeometry) {
  return {
    rows: landingTable(g.inH, g.kernel, g.strideH, g.outH),
    columns: landingTable(g.inW, g.kernel, g.strideW, g.outW),
    /** Taps per (pixel, kw): outC · kh. */
    perColumn: g.outC * g.kernel,
  };
}

// The two loops below walk the taps in memory order (pixel, kw, then per kh the channels with
// stride k) and are written out twice rather than sharing a visitor callback: the callback
// version measured 2× slower (a polymorphic call per tap that V8 did not inline).

/** image[b, oh, ow, oc] = Σ taps over every (pixel, tap) landing there (col2im). */
export function tapsToImage(taps: Float32Array, image: Float32Array, g: TapGeometry): void {
  image.fill(0);
  const { kernel: k, outC, outH, outW } = g;
  const { rows, columns, perColumn } = landingOf(g);
  let columnStart = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let ih = 0; ih < g.inH; ih++) {
      for (let iw = 0; iw < g.inW; iw++) {
        for (let kw = 0; kw < k; kw++, columnStart += perColumn) {
          const ow = columns[iw * k + kw];
          if (ow < 0) continue;
          for (let kh = 0; kh < k; kh++) {
            const oh = rows[ih * k + kh];
            if (oh < 0) continue;
            const imageStart = ((b * outH + oh) * outW + ow) * outC;
            for (let oc = 0, t = columnStart + kh; oc < outC; oc++, t += k) image[imageStart + oc] += taps[t];
          }
        }
      }
    }
  }
}

/** taps[pixel, kw, oc, kh] = image at the output that tap lands on, 0 outside (im2col; the adjoint of tapsToImage). */
export function imageToTaps(image: Float32Array, taps: Float32Array, g: TapGeometry): void {
  taps.fill(0);
  const { kernel: k, outC, outH, outW } = g;
  const { rows, columns, perColumn } = landingOf(g);
  let columnStart = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let ih = 0; ih < g.inH; ih++) {
      for (let iw = 0; iw < g.inW; iw++) {
        for (let kw = 0; kw < k; kw++, columnStart += perColumn) {
          const ow = columns[iw * k + kw];
          if (ow < 0) continue;
          for (let kh = 0; kh < k; kh++) {
            const oh = rows[ih * k + kh];
            if (oh < 0) continue;
            const imageStart = ((b * outH + oh) * outW + ow) * outC;
            for (let oc = 0, t = columnStart + kh; oc < outC; oc++, t += k) taps[t] = image[imageStart + oc];
          }
        }
      }
    }
  }
}

/** Pixels per block in imageToTapsTransposed: 16 floats are one 64-byte cache line of output. */
const TRANSPOSE_BLOCK = 16;

/**
 * imageToTaps in the transposed layout [kw·oc·kh, pixel]: the weight gradient is fastest as
 * (tapsᵀ·x)ᵀ on wasm. Blocked by 16 pixels so that both the reads (a pixel's channels) and the
 * writes (16 pixels of one row) stay in cache; unblocked, either side strides and it was 4× slower.
 */
export function imageToTapsTransposed(image: Float32Array, tapsTransposed: Float32Array, g: TapGeometry): void {
  const { kernel: k, outC, outH, outW, inH, inW } = g;
  const { rows, columns } = landingOf(g);
  const pixels = g.batch * inH * inW;
  const imageStarts = new Int32Array(TRANSPOSE_BLOCK);
  for (let kw = 0; kw < k; kw++) {
    for (let kh = 0; kh < k; kh++) {
      for (let first = 0; first < pixels; first += TRANSPOSE_BLOCK) {
        const count = Math.min(TRANSPOSE_BLOCK, pixels - first);
        for (let j = 0; j < count; j++) {
          const pixel = first + j;
          const iw = pixel % inW;
          const ih = Math.floor(pixel / inW) % inH;
          const b = Math.floor(pixel / (inW * inH));
          const oh = rows[ih * k + kh];
          const ow = columns[iw * k + kw];
          imageStarts[j] = oh < 0 || ow < 0 ? -1 : ((b * outH + oh) * outW + ow) * outC;
        }
        for (let oc = 0; oc < outC; oc++) {
          const rowStart = ((kw * outC + oc) * k + kh) * pixels + first;
          for (let j = 0; j < count; j++) {
            const imageStart = imageStarts[j];
            tapsTransposed[rowStart + j] = imageStart < 0 ? 0 : image[imageStart + oc];
          }
        }
      }
    }
  }
}

/** The two memory layouts the JS kernels support: wasm's heap and the cpu backend's arrays. */
interface HeapAccess {
  output(shape: number[]): { info: tf.TensorInfo; values: () => Float32Array };
  input(info: tf.TensorInfo): Float32Array;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function heapAccess(backendName: 'wasm' | 'cpu', backend: tf.KernelBackend): HeapAccess {
  if (backendName === 'wasm') {
    const wasm = backend as unknown as WasmBackendLike;
    // Views are taken after the output is allocated: allocating may grow (and detach) the heap.
    return {
      output: (shape) => {
        const info = wasm.makeOutput(shape, 'float32');
        return { info, values: () => wasm.typedArrayFromHeap(info) };
      },
      input: (info) => wasm.typedArrayFromHeap(info),
    };
  }
  const cpu = backend as unknown as CpuBackendLike;
  return {
    output: (shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      return { info: cpu.makeTensorInfo(shape, 'float32', values), values: () => values };
    },
    input: (info) => cpu.data.get(info.dataId).values,
  };
}

function geometryOf(attrs: tf.NamedAttrMap | undefined): TapGeometry {
  if (!attrs) throw new Error(`${TAPS_TO_IMAGE}/${IMAGE_TO_TAPS}: the kernel needs its geometry attributes`);
  return attrs as unknown as TapGeometry;
}

function tapsShape(g: TapGeometry): number[] {
  return [g.batch * g.inH * g.inW, g.kernel * g.outC * g.kernel];
}

function imageShape(g: TapGeometry): number[] {
  return [g.batch, g.outH, g.outW, g.outC];
}

/**
 * Registers the col2im/im2col kernels and their gradients (each is the other's adjoint) for the
 * 'wasm' and 'cpu' backends. Idempotent. Other backends (tfjs-node) have no such kernel: callers
 * check `hasConvTransposeKernels()` and fall back to tfjs ops.
 */
/** One gather/scatter loop: reads `input`, writes all of `output`. */
export type TapImplementation = (input: Float32Array, output: Float32Array, g: TapGeometry) => void;

/** Replacements for the wasm backend's tap loops by kernel name (the native addon's C loops), read at each call. */
let wasmTapOverrides: Record<string, TapImplementation> | undefined;

/** Sets (or, with undefined, clears) the wasm backend's tap loop replacements (nativeKernels.ts). */
export function setWasmTapImplementations(overrides: Record<string, TapImplementation> | undefined): void {
  wasmTapOverrides = overrides;
}

/** Registers one gather/scatter kernel: geometry from attrs, one input, one output of `outShape`. */
function registerTapKernel(
  kernelName: string,
  backendName: 'wasm' | 'cpu',
  inputName: 'taps' | 'image',
  outShape: (g: TapGeometry) => number[],
  run: TapImplementation,
): void {
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const g = geometryOf(attrs);
      const access = heapAccess(backendName, backend as tf.KernelBackend);
      const out = access.output(outShape(g));
      const implementation = (backendName === 'wasm' && wasmTapOverrides?.[kernelName]) || run;
      implementation(access.input(inputs[inputName] as tf.TensorInfo), out.values(), g);
      return out.info;
    },
  });
}

export function registerConvTransposeKernels(): void {
  for (const backendName of ['wasm', 'cpu'] as const) {
    if (tf.getKernel(TAPS_TO_IMAGE, backendName)) continue;
    registerTapKernel(TAPS_TO_IMAGE, backendName, 'taps', imageShape, tapsToImage);
    registerTapKernel(IMAGE_TO_TAPS, backendName, 'image', tapsShape, imageToTaps);
    registerTapKernel(IMAGE_TO_TAPS_TRANSPOSED, backendName, 'image', (g) => [...tapsShape(g)].reverse(), imageToTapsTransposed);
  }
  if (!tf.getGradient(TAPS_TO_IMAGE)) {
    tf.registerGradient({
      kernelName: TAPS_TO_IMAGE,
      gradFunc: (dy, _saved, attrs) => ({ taps: () => tf.engine().runKernel(IMAGE_TO_TAPS, { image: dy as tf.Tensor }, attrs) as tf.Tensor }),
    });
    tf.registerGradient({
      kernelName: IMAGE_TO_TAPS,
      gradFunc: (dy, _saved, attrs) => ({ image: () => tf.engine().runKernel(TAPS_TO_IMAGE, { taps: dy as tf.Tensor }, attrs) as tf.Tensor }),
    });
  }
}

/** Whether the active backend has the col2im kernels (registered and the backend is wasm or cpu). */
export function hasConvTransposeKernels(): boolean {
  return tf.getKernel(TAPS_TO_IMAGE, tf.getBackend()) !== undefined;
}
