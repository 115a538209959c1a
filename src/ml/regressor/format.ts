// The regressor's portable weights: Dense layers with BatchNorm already folded in, plus the input
// and target standardisation, as plain JSON numbers. No TensorFlow.js here: the editor's hover runs
// this forward pass directly in the extension host (src/ml/predictor.ts), in Float64Array code.
import type { Activation } from './presets';

export interface DenseLayerWeights {
  inDim: number;
  outDim: number;
  /** Row-major inDim × outDim matrix: weights[i * outDim + j] connects input i to output j. */
  weights: number[];
  bias: number[];
  activation: Activation;
}

export interface NetworkWeights {
  layers: DenseLayerWeights[];
}

export interface Standardisation {
  /** Per-feature mean and standard deviation of the training inputs (std 1 where a feature is constant). */
  inputMean: number[];
  inputStd: number[];
  targetMean: number;
  targetStd: number;
}

/** An ensemble of networks trained on the same standardised data with different seeds. */
export interface EnsembleWeights extends Standardisation {
  members: NetworkWeights[];
}

/** A network ready to run: typed arrays, validated shapes. */
export interface CompiledNetwork {
  layers: { inDim: number; outDim: number; weights: Float64Array; bias: Float64Array; relu: boolean }[];
  maxWidth: number;
}

export function compileNetwork(net: NetworkWeights, inDim: number): CompiledNetwork {
  let width = inDim;
  let maxWidth = inDim;
  const layers = net.layers.map((l, k) => {
    if (l.inDim !== width || l.weights.length !== l.inDim * l.outDim || l.bias.length !== l.outDim) {
      throw new Error(`layer ${k}: shapes do not chain (expected input ${width}, got ${l.inDim}×${l.outDim} with ${l.weights.length} weights)`);
    }
    width = l.outDim;
    maxWidth = Math.max(maxWidth, width);
    return { inDim: l.inDim, outDim: l.outDim, weights: Float64Array.from(l.weights), bias: Float64Array.from(l.bias), relu: l.activation === 'relu' };
  });
  if (width !== 1) throw new Error(`the last layer must have one output, got ${width}`);
  return { layers, maxWidth };
}

/** Forward pass of one network on one standardised input; `scratch` holds 2 × maxWidth numbers. */
export function forwardOne(net: CompiledNetwork, input: Float64Array, scratch: Float64Array): number {
  let src = input;
  let dst = scratch.subarray(0, net.maxWidth);
  let other = scratch.subarray(net.maxWidth, 2 * net.maxWidth);
  for (const layer of net.layers) {
    const { inDim, outDim, weights, bias, relu } = layer;
    for (let j = 0; j < outDim; j++) dst[j] = bias[j];
    for (let i = 0; i < inDim; i++) {
      const xi = src[i];
      if (xi === 0) continue;
      const row = i * outDim;
      for (let j = 0; j < outDim; j++) dst[j] += xi * weights[row + j];
    }
    if (relu) for (let j = 0; j < outDim; j++) if (dst[j] < 0) dst[j] = 0;
    src = dst;
    [dst, other] = [other, dst];
  }
  return src[0];
}

/** Rounds to float32-like precision so committed model files stay small (9 significant digits). */
export function compactNumber(x: number): number {
  return Number(Math.fround(x).toPrecision(9));
}
