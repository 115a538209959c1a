// Features from the composition GAN's critic (method §5): f = Σ_e n_e · v_e over the exported
// element embeddings. `gan` uses amounts as written (paper-faithful, Fe4O6 = 2 × Fe2O3);
// `gan-frac` uses atomic fractions, so the scale does not depend on how the formula is written.
import { elementRows, MAX_ELEMENTS, type ElementAmounts, type Featurizer } from './types';

/** The critic's element-embedding table as the composition-GAN run writes it (embeddings.json). */
export interface ElementEmbeddings {
  elements: string[];
  dim: number;
  /** One row of `dim` numbers per element, in `elements` order. */
  vectors: number[][];
}

export type GanAmountMode = 'raw' | 'fraction';

export function createGanFeaturizer(embeddings: ElementEmbeddings, mode: GanAmountMode): Featurizer {
  const { elements, dim } = embeddings;
  const table = new Float64Array(elements.length * dim);
  embeddings.vectors.forEach((v, e) => {
    if (v.length !== dim) throw new Error(`embedding of ${elements[e]} has ${v.length} values, expected ${dim}`);
    table.set(v, e * dim);
  });
  const rowOf = new Map(elements.map((e, i) => [e, i] as const));
  const rows = new Int32Array(MAX_ELEMENTS);
  const sum = new Float64Array(dim);
  return {
    name: mode === 'raw' ? 'gan' : 'gan-frac',
    dim,
    labels: Array.from({ length: dim }, (_, k) => `gan${mode === 'raw' ? '' : '-frac'} ${k}`),
    featurizeInto(composition: ElementAmounts, out, offset) {
      const n = elementRows(composition, rowOf, 'GAN embedding', rows);
      let total = 1;
      if (mode === 'fraction') {
        total = 0;
        for (let i = 0; i < n; i++) total += composition.amounts[i];
      }
      // Accumulate in float64 scratch, then write once: out may be a Float32Array.
      sum.fill(0);
      for (let i = 0; i < n; i++) {
        const weight = composition.amounts[i] / total;
        const base = rows[i] * dim;
        for (let k = 0; k < dim; k++) sum[k] += weight * table[base + k];
      }
      out.set(sum, offset);
    },
  };
}
