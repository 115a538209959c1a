// The reference code's "one-hot" baseline (method §6): an 85-d vector of raw amounts in the fixed
// element order, not fractions, so Fe4O6 and Fe2O3 differ exactly as in the paper's code.
import { elementRows, type ElementAmounts, type Featurizer } from './types';

export function createOnehotFeaturizer(elements: readonly string[]): Featurizer {
  const rowOf = new Map(elements.map((e, i) => [e, i] as const));
  return {
    name: 'onehot',
    dim: elements.length,
    labels: elements.map((e) => `amount ${e}`),
    featurizeInto(composition: ElementAmounts, out, offset) {
      const rows = elementRows(composition, rowOf, `${elements.length}-element`);
      out.fill(0, offset, offset + elements.length);
      rows.forEach((row, i) => {
        out[offset + row] += composition.amounts[i];
      });
    },
  };
}
