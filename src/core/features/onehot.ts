// The reference code's "one-hot" baseline (method §6): an 85-d vector of raw amounts in the fixed
// element order, not fractions, so Fe4O6 and Fe2O3 differ exactly as in the paper's code.
import { elementRows, MAX_ELEMENTS, type ElementAmounts, type Featurizer } from './types';

export function createOnehotFeaturizer(elements: readonly string[]): Featurizer {
  const rowOf = new Map(elements.map((e, i) => [e, i] as const));
  const rows = new Int32Array(MAX_ELEMENTS);
  return {
    name: 'onehot',
    dim: elements.length,
    labels: elements.map((e) => `amount ${e}`),
    featurizeInto(composition: ElementAmounts, out, offset) {
      const n = elementRows(composition, rowOf, `${elements.length}-element`, rows);
      out.fill(0, offset, offset + elements.length);
      for (let i = 0; i < n; i++) out[offset + rows[i]] += composition.amounts[i];
    },
  };
}
