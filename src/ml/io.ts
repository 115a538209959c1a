// Saving and loading named tensors without tfjs-node: `model.json` (a tfjs-style weights
// manifest plus our metadata) and `weights.bin` (the raw little-endian values, concatenated).
// Works on every backend because it only uses dataSync(). Adam's state (step count, beta powers,
// moments) is saved the same way so a resumed run continues the same trajectory bit for bit.
import fs from 'node:fs';
import path from 'node:path';
import { tf } from './backend';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
const FORMAT = 'crystal-gan-tensors/1';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface Manifest {
  format: string;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  userDefinedMetadata: Record<string, unknown>;
}

export class ModelFileError extends Error {}

function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes the tensors (float32 or int32) and the metadata to `dir` (created if missing). */
export function saveTensors(dir: string, tensors: NamedTensor[], metadata: Record<string, unknown> = {}): void {
  const names = new Set<string>();
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const { name, tensor } of tensors) {
    if (names.has(name)) throw new Error(`duplicate tensor name ${name}`);
    names.add(name);
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`tensor ${name}: dtype ${tensor.dtype} cannot be saved`);
    const values = tensor.dataSync() as Float32Array | Int32Array;
    specs.push({ name, shape: [...tensor.shape], dtype: tensor.dtype });
    chunks.push(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
  }
  const manifest: Manifest = { format: FORMAT, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }], userDefinedMetadata: metadata };
  fs.mkdirSync(dir, { recursive: true });
  writeFileSynced(path.join(dir, WEIGHTS_FILE), Buffer.concat(chunks));
  writeFileSynced(path.join(dir, MODEL_FILE), JSON.stringify(manifest, null, 1));
}

export interface LoadedTensors {
  tensors: Map<string, tf.Tensor>;
  metadata: Record<string, unknown>;
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, MODEL_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new ModelFileError(`${file}: cannot read the model manifest (${error instanceof Error ? error.message : String(error)})`);
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.weightsManifest)) {
    throw new ModelFileError(`${file}: not a Crystal GAN tensor file (format ${String(manifest.format)}, expected ${FORMAT})`);
  }
  return manifest;
}

/** Reads what saveTensors wrote; the caller owns (and disposes) the returned tensors. */
export function loadTensors(dir: string): LoadedTensors {
  const manifest = readManifest(dir);
  const tensors = new Map<string, tf.Tensor>();
  for (const group of manifest.weightsManifest) {
    const file = path.join(dir, group.paths[0]);
    const bytes = fs.readFileSync(file);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const end = offset + size * 4;
      if (end > bytes.length) throw new ModelFileError(`${file}: truncated (tensor ${spec.name} needs bytes ${offset}–${end}, file has ${bytes.length})`);
      // Copy into a fresh, aligned buffer: a Buffer slice may start at any byte offset.
      const raw = new Uint8Array(bytes.subarray(offset, end)).buffer;
      const values = spec.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw);
      tensors.set(spec.name, tf.tensor(values, spec.shape, spec.dtype));
      offset = end;
    }
    if (offset !== bytes.length) throw new ModelFileError(`${file}: ${bytes.length - offset} unexpected trailing bytes`);
  }
  return { tensors, metadata: manifest.userDefinedMetadata ?? {} };
}

/** Copies saved values into existing variables, checking names and shapes. */
export function assignVariables(variables: Map<string, tf.Variable>, saved: Map<string, tf.Tensor>, source: string): void {
  for (const [name, variable] of variables) {
    const value = saved.get(name);
    if (!value) throw new ModelFileError(`${source}: tensor ${name} is missing`);
    if (value.shape.join('x') !== variable.shape.join('x')) {
      throw new ModelFileError(`${source}: tensor ${name} has shape [${value.shape}], the model expects [${variable.shape}]`);
    }
    variable.assign(value);
  }
}

// Adam keeps its state in private fields; this is the part of it we need to save and restore.
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * Adam's full state under `prefix/`: step count, the running beta powers (saved as they are, not
 * recomputed as β^t, so a resume is bit-identical) and the first/second moments in variable order.
 */
export async function adamState(optimizer: tf.AdamOptimizer, prefix: string): Promise<NamedTensor[]> {
  const internals = optimizer as unknown as AdamInternals;
  const weights = await optimizer.getWeights();
  return [
    ...weights.map((w, i) => ({ name: `${prefix}/${i === 0 ? 'iter' : `slot${i - 1}`}`, tensor: w.tensor })),
    { name: `${prefix}/accBeta1`, tensor: internals.accBeta1 },
    { name: `${prefix}/accBeta2`, tensor: internals.accBeta2 },
  ];
}

/** Restores what adamState saved into a freshly built optimizer with the same hyperparameters. */
export async function restoreAdamState(optimizer: tf.AdamOptimizer, saved: Map<string, tf.Tensor>, prefix: string, source: string): Promise<void> {
  const iter = saved.get(`${prefix}/iter`);
  if (!iter) throw new ModelFileError(`${source}: optimizer state ${prefix} is missing`);
  const slots: NamedTensor[] = [];
  for (let i = 0; saved.has(`${prefix}/slot${i}`); i++) slots.push({ name: `${prefix}/slot${i}`, tensor: saved.get(`${prefix}/slot${i}`) as tf.Tensor });
  await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...slots]);
  const internals = optimizer as unknown as AdamInternals;
  const beta1 = saved.get(`${prefix}/accBeta1`);
  const beta2 = saved.get(`${prefix}/accBeta2`);
  if (beta1) internals.accBeta1.assign(beta1);
  if (beta2) internals.accBeta2.assign(beta2);
}
