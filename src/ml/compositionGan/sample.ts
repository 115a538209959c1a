// Sampling a trained composition generator (for the generation engineer's `generate` command):
// loads `<run>/generator/` (weights + BN moving averages), draws z ~ N(0, I) from a seeded RNG and
// decodes each 85×8 output the MatGAN way (cell on at ≥ 0.2, argmax slot when several cells of an
// element are on, kept with 2–8 elements). The generator runs in inference mode (moving averages),
// with the output mode it was saved with (a crisp-gumbel generator draws its Gumbel noise from the
// same seeded RNG, after each batch's z).
import fs from 'node:fs';
import path from 'node:path';
import { tf } from '../backend';
import { assignVariables, loadTensors, ModelFileError } from '../io';
import { decodeMatrix, DECODE_THRESHOLD, MATRIX_SIZE } from '../../core/features/encoding';
import { Generator, isGeneratorOutput, NOISE_DIM } from './model';
import { gumbelFor } from './wgan';
import { SeededRng } from './rng';

export const GENERATOR_DIR = 'generator';

export interface SampleOptions {
  /** Keep the raw 85×8 outputs (row-major, one Float32Array per sample). Default false. */
  keepMatrices?: boolean;
  threshold?: number;
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
}

export interface SampledCompositions {
  /** Per sample: element → count, or null when the sample has fewer than 2 or more than 8 elements. */
  compositions: (Record<string, number> | null)[];
  matrices?: Float32Array[];
  /** How many samples decoded to 2–8 elements. */
  kept: number;
}

/** Loads the generator saved in a run folder (or a generator folder itself). Caller disposes. */
export function loadGenerator(runOrGeneratorDir: string): Generator {
  const dir = fs.existsSync(path.join(runOrGeneratorDir, GENERATOR_DIR)) ? path.join(runOrGeneratorDir, GENERATOR_DIR) : runOrGeneratorDir;
  const { tensors, metadata } = loadTensors(dir);
  // Generators saved before output modes existed are the paper's sigmoid cells.
  const output = typeof metadata.output === 'string' && isGeneratorOutput(metadata.output) ? metadata.output : 'sigmoid';
  const generator = new Generator(new SeededRng(0), { output });
  try {
    assignVariables(generator.params.all(), tensors, dir);
  } catch (error) {
    generator.dispose();
    throw error instanceof ModelFileError ? error : new ModelFileError(`${dir}: ${String(error)}`);
  } finally {
    tf.dispose([...tensors.values()]);
  }
  return generator;
}

/** Draws `n` samples from the run's generator with a seeded RNG and decodes them. */
export function sampleCompositions(runDir: string, n: number, seed: number, options: SampleOptions = {}): SampledCompositions {
  const generator = loadGenerator(runDir);
  try {
    return sampleFromGenerator(generator, n, seed, options);
  } finally {
    generator.dispose();
  }
}

export function sampleFromGenerator(generator: Generator, n: number, seed: number, options: SampleOptions = {}): SampledCompositions {
  const rng = new SeededRng(seed);
  const batchSize = options.batchSize ?? 256;
  const threshold = options.threshold ?? DECODE_THRESHOLD;
  const compositions: (Record<string, number> | null)[] = [];
  const matrices: Float32Array[] = [];
  let kept = 0;
  for (let start = 0; start < n; start += batchSize) {
    const batch = Math.min(batchSize, n - start);
    const values = tf.tidy(() => {
      const z = tf.tensor2d(rng.fillNormal(new Float32Array(batch * NOISE_DIM)), [batch, NOISE_DIM]);
      return generator.apply(z, false, undefined, gumbelFor(generator, batch, rng)).dataSync() as Float32Array;
    });
    for (let i = 0; i < batch; i++) {
      const composition = decodeMatrix(values, i * MATRIX_SIZE, threshold) ?? null;
      if (composition) kept++;
      compositions.push(composition);
      if (options.keepMatrices) matrices.push(values.slice(i * MATRIX_SIZE, (i + 1) * MATRIX_SIZE));
    }
  }
  return options.keepMatrices ? { compositions, matrices, kept } : { compositions, kept };
}
