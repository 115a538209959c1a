// `featurize`: seconds to featurize the benchmark's 100,000 formulas with `gan` or `magpie`
// (`featurize.ts FORMULAS gan|magpie`). Parsing is done first and not timed, as on the reference
// side; the `gan` table is a random 85×128 embedding (the speed does not depend on its values).
import fs from 'node:fs';
import { loadElements85, loadMagpieTable } from '../../src/core/features/tables';
import { createGanFeaturizer } from '../../src/core/features/gan';
import { createMagpieFeaturizer } from '../../src/core/features/magpie';
import { parseComposition } from '../../src/core/features/parse';
import { featurizeMany, type ElementAmounts } from '../../src/core/features/types';
import { resolveDataDir } from '../../src/core/data/dataDir';

const which = process.argv[3] ?? 'gan';
const dataDir = resolveDataDir().path;
const elements = loadElements85(dataDir);
const known = new Set(elements);
const compositions: ElementAmounts[] = [];
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  const parsed = line.trim() ? parseComposition(line.trim()) : undefined;
  if (parsed?.ok && parsed.composition.symbols.every((s) => known.has(s))) compositions.push(parsed.composition);
}
let seed = 1;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const featurizer = which === 'magpie'
  ? createMagpieFeaturizer(loadMagpieTable(dataDir))
  : createGanFeaturizer({ elements, dim: 128, vectors: elements.map(() => Array.from({ length: 128 }, () => Math.tanh(random()))) }, 'raw');
featurizeMany(featurizer, compositions.slice(0, 2000)); // warm-up
const start = performance.now();
const features = featurizeMany(featurizer, compositions);
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ value: seconds, n: compositions.length, dim: featurizer.dim, checksum: features[features.length - 1] }));
