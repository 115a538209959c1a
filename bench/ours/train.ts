// `train`: composition-GAN training steps/s with the paper's model and settings (batch 256,
// n_critic 5; one step = 5 critic updates + 1 generator update, as the PyTorch reference counts
// it). Usage: train.ts BACKEND [STEPS] [fast|products|bn-ops|unfused|conv-fused]. Real batches are random valid
// one-hot matrices, built the same way as on the reference side. `products` is the formulation
// before the fast path (col2im kernel off: the transposed convolutions' scatter as tfjs products;
// batch norm differentiated through tf.moments); `bn-ops` is the fast path but that batch norm,
// so each step can be measured against the one before in one sitting; with the native addon,
// `unfused` takes out the fused transposed-convolution and batch-norm kernels (the native path
// before them) and `conv-fused` only the batch-norm ones. Prints steps per wall second (`value`)
// and per CPU second of this process (`perCpuSecond`, steadier on a shared machine), and which
// kernels ran (`backend`: "wasm + native OpenBLAS kernels" where the addon loads, else "wasm";
// CRYSTAL_GAN_NATIVE=0 forces plain wasm, CRYSTAL_GAN_NATIVE_THREADS=N gives OpenBLAS N threads).
import { initBackend, tf, type BackendPreference } from '../../src/ml/backend';
import { TAPS_TO_IMAGE } from '../../src/ml/tfKernels';
import { BatchNorm } from '../../src/ml/compositionGan/layers';
import { FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD, unregisterFusedKernels } from '../../src/ml/nativeKernels';
import { CompositionWgan, PAPER_SETTINGS } from '../../src/ml/compositionGan/wgan';
import { ELEMENT_COUNT, MAX_COUNT } from '../../src/core/features/encoding';

async function main(): Promise<void> {
  const backend = await initBackend((process.argv[2] ?? 'auto') as BackendPreference);
  const steps = Number(process.argv[3] ?? 10);
  const gan = new CompositionWgan(PAPER_SETTINGS, 1);
  const path = process.argv[4] ?? 'fast';
  if (path === 'products' || path === 'bn-ops' || path === 'unfused') unregisterFusedKernels();
  if (path === 'conv-fused') unregisterFusedKernels([FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD]);
  if (path === 'products') tf.unregisterKernel(TAPS_TO_IMAGE, backend.name);
  if (path === 'products' || path === 'bn-ops') {
    BatchNorm.prototype.applyTraining = function (this: BatchNorm, x: tf.Tensor, stats?: { mean: tf.Tensor; variance: tf.Tensor }[]) {
      return this.applyWithOps(x, true, stats);
    };
  }
  const batch = PAPER_SETTINGS.batchSize;
  let seed = 7;
  const randInt = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
  const realBatch = () => {
    const values = new Float32Array(batch * ELEMENT_COUNT * MAX_COUNT);
    for (let b = 0; b < batch; b++) for (let k = 0; k < 3; k++) values[(b * ELEMENT_COUNT + randInt(ELEMENT_COUNT)) * MAX_COUNT + randInt(5)] = 1;
    return values;
  };
  const step = () => {
    for (let c = 0; c < PAPER_SETTINGS.nCritic; c++) gan.criticStep(realBatch());
    gan.generatorStep(batch);
  };
  step();
  step();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ value: steps / seconds, perCpuSecond: steps / cpuSeconds, backend: backend.kernels, path, steps, batch }));
}

void main();
