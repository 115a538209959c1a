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
