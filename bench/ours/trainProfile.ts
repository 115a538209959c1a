// Per-kernel time of one composition-GAN step (paper's model, batch 256), to see where training
// time goes before changing anything. Usage: trainProfile.ts BACKEND [critic|generator|both]
// [fast|products|unfused|conv-fused] (as in train.ts: products, the col2im kernel and the fused
// kernels off; unfused, the fused kernels off; conv-fused, the fused batch norm off).
// Kernel times come from tf.profile (the backend's own timer around each kernel); what they do
// not cover is JS dispatch, tape bookkeeping and copies between JS and the wasm heap. With the
// native addon built, BatchMatMul, Sum, Mean, Add, Sub, Multiply and the tap kernels listed here
// are the native ones (CRYSTAL_GAN_NATIVE=0 profiles plain wasm).
import { initBackend, tf, type BackendPreference } from '../../src/ml/backend';
import { TAPS_TO_IMAGE } from '../../src/ml/tfKernels';
import { FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD, unregisterFusedKernels } from '../../src/ml/nativeKernels';
import { CompositionWgan, PAPER_SETTINGS } from '../../src/ml/compositionGan/wgan';
import { ELEMENT_COUNT, MAX_COUNT } from '../../src/core/features/encoding';

function realBatch(batch: number): Float32Array {
  const values = new Float32Array(batch * ELEMENT_COUNT * MAX_COUNT);
  for (let b = 0; b < batch; b++) for (let k = 0; k < 3; k++) values[(b * ELEMENT_COUNT + ((b * 7 + k * 13) % ELEMENT_COUNT)) * MAX_COUNT + ((b + k) % 5)] = 1;
  return values;
}

async function profileOf(label: string, run: () => void): Promise<void> {
  const wallStart = performance.now();
  const info = await tf.profile(run);
  const wall = performance.now() - wallStart;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byKernel.set(key, entry);
  }
  const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
  console.log(`${label}: wall ${wall.toFixed(0)} ms, kernels ${total.toFixed(0)} ms, ${info.kernels.length} kernel calls`);
  const byName = new Map<string, number>();
  for (const [key, e] of byKernel) byName.set(key.split(' ')[0], (byName.get(key.split(' ')[0]) ?? 0) + e.ms);
  console.log(`  by kernel: ${[...byName].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')}`);
  for (const [key, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(`  ${e.ms.toFixed(1).padStart(8)} ms ${String(e.calls).padStart(4)}× ${key}`);
}

async function main(): Promise<void> {
  await initBackend((process.argv[2] ?? 'wasm') as BackendPreference);
  const which = process.argv[3] ?? 'both';
  const gan = new CompositionWgan(PAPER_SETTINGS, 1);
  const path = process.argv[4] ?? 'fast';
  if (path === 'products' || path === 'unfused') unregisterFusedKernels();
  if (path === 'conv-fused') unregisterFusedKernels([FUSED_BATCH_NORM, FUSED_BATCH_NORM_BACKWARD]);
  if (path === 'products') tf.unregisterKernel(TAPS_TO_IMAGE, tf.getBackend());
  const batch = PAPER_SETTINGS.batchSize;
  gan.criticStep(realBatch(batch));
  gan.generatorStep(batch);
  if (which !== 'generator') await profileOf('critic step', () => void gan.criticStep(realBatch(batch)));
  if (which !== 'critic') await profileOf('generator step', () => void gan.generatorStep(batch));
}

void main();
