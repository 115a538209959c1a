// Mutation fuzzing of the formula parser with fast-check, seeded from real data-set formulas
// (including the dirty SuperCon rows). Checks, for every mutated input and every context:
// no exception escapes, no single parse takes over 100 ms, every rejection has a position in
// 1..length+1, and every accepted formula has positive finite amounts.
//   npm run fuzz:formula                 (1,000,000 iterations)
//   npx tsx fuzz/formula.ts 20000 42     (iterations, seed)
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseFormula, type FormulaContext } from '../src/core/chem/formula';
import { parseCsv, readCsv } from '../src/core/data/csv';
import { resolveDataDir } from '../src/core/data/dataDir';

const CONTEXTS: FormulaContext[] = ['free-text', 'cif-sum', 'cif-moiety', 'cif-type'];
const SLOW_MS = 100;

/** Characters and fragments that exercise every branch of the grammar. */
const FRAGMENTS = [
  ...'()[]·⋅•*^+-−., @\'"!=xyδ0123456789₀₂₃⁰²³⁺⁻IVX\t'.split(''),
  'Fe', 'O', 'D', 'T', 'Co', 'co', 'Xx', '(III)', '[2-]', '^3+', ' 1+', ', ', '5(H2 O1)', '·5H2O', '1-x', '+δ', '.5', '0',
];

const BUILT_IN_SEEDS = [
  'Fe2O3', 'Ca3(PO4)2', 'K4[Fe(CN)6]', 'CuSO4·5H2O', 'La1.85Sr0.15CuO4', 'H₂O', 'Fe³⁺', 'SO4^2-', "'C12 H10 N2 O'",
  'C12 H17 N4 O S 1+, C6 H2 N3 O7 1-', 'YBa2Cu3O7-x', 'Ga1Sr2Ca3Cu4O11.', 'Y2C2Br0.5!1.5', 'Fe(III)', 'Y3N@C80',
];

/** The first `perFile` formulas of every composition CSV, plus every dirty row of the SuperCon sets. */
export function seedFormulas(perFile = 300): string[] {
  const seeds = [...BUILT_IN_SEEDS];
  let root: string;
  try {
    root = path.join(resolveDataDir().path, 'composition');
  } catch {
    return seeds;
  }
  if (!fs.existsSync(root)) return seeds;
  for (const folder of fs.readdirSync(root)) {
    const dir = path.join(root, folder);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
      const csvFile = path.join(dir, file);
      // Only the head of the large files: reading 1M rows would dominate short runs.
      const head = fs.readFileSync(csvFile, 'utf8').split('\n').slice(0, perFile + 1).join('\n');
      const formulas = (folder.includes('supercon') ? readCsv(csvFile) : parseCsv(head, csvFile)).records.map((r) => r.values.formula ?? '');
      seeds.push(...formulas.slice(0, perFile), ...formulas.filter((f) => f && !parseFormula(f).ok));
    }
  }
  return seeds;
}

type Mutation = (s: string) => string;

function mutation(): fc.Arbitrary<Mutation> {
  const position = fc.nat();
  const fragment = fc.constantFrom(...FRAGMENTS);
  return fc.oneof(
    fc.tuple(position, fragment).map(([p, f]): Mutation => (s) => s.slice(0, p % (s.length + 1)) + f + s.slice(p % (s.length + 1))),
    position.map((p): Mutation => (s) => (s.length ? s.slice(0, p % s.length) + s.slice((p % s.length) + 1) : s)),
    fc.tuple(position, fragment).map(([p, f]): Mutation => (s) => (s.length ? s.slice(0, p % s.length) + f + s.slice((p % s.length) + 1) : f)),
    fc.integer({ min: 2, max: 400 }).map((n): Mutation => (s) => s.repeat(n).slice(0, 20_000)),
    fc.integer({ min: 1, max: 2000 }).map((n): Mutation => (s) => '('.repeat(n) + s + ')'.repeat(n)),
    fc.string({ unit: 'binary', maxLength: 4 }).map((u): Mutation => (s) => s + u),
  );
}

/**
 * Time of one parse; a slow first measurement (JIT warm-up, GC, a busy shared machine) is
 * repeated and the best of three counts, so only a truly slow input fails.
 */
function slowestOfBest(input: string, context: FormulaContext): number {
  const time = (): number => {
    const started = performance.now();
    parseFormula(input, { context });
    return performance.now() - started;
  };
  const first = time();
  return first <= SLOW_MS ? first : Math.min(first, time(), time());
}

function check(input: string): void {
  for (const context of CONTEXTS) {
    const r = parseFormula(input, { context });
    const elapsed = slowestOfBest(input, context);
    if (elapsed > SLOW_MS) throw new Error(`${context}: ${elapsed.toFixed(1)} ms for ${JSON.stringify(input.slice(0, 200))} (${input.length} chars)`);
    if (!r.ok && !(r.column >= 1 && r.column <= input.length + 1 && r.error)) {
      throw new Error(`${context}: rejection without a valid position: ${JSON.stringify(r)}`);
    }
    if (r.ok && !Object.values(r.elements).every((n) => n > 0 && Number.isFinite(n))) {
      throw new Error(`${context}: bad amounts for ${JSON.stringify(input)}: ${JSON.stringify(r.elements)}`);
    }
  }
}

export interface FuzzSummary {
  iterations: number;
  seed: number;
  seeds: number;
  accepted: number;
  rejected: number;
  seconds: number;
}

/** Runs `iterations` mutated inputs; throws (with fast-check's shrunk counterexample) on the first failure. */
export function fuzzFormula(iterations: number, seed: number, seeds: string[] = seedFormulas()): FuzzSummary {
  const started = performance.now();
  let accepted = 0;
  let rejected = 0;
  const input = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation(), { maxLength: 4 })).map(([s, ms]) => ms.reduce((acc, m) => m(acc), s));
  fc.assert(
    fc.property(input, (s) => {
      check(s);
      if (parseFormula(s).ok) accepted++;
      else rejected++;
    }),
    { numRuns: iterations, seed },
  );
  return { iterations, seed, seeds: seeds.length, accepted, rejected, seconds: (performance.now() - started) / 1000 };
}

if (require.main === module) {
  const iterations = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
  if (!Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(seed)) {
    console.error('usage: tsx fuzz/formula.ts [ITERATIONS] [SEED]');
    process.exit(2);
  }
  try {
    const summary = fuzzFormula(iterations, seed);
    console.log(`fuzz:formula ok: ${summary.iterations} inputs from ${summary.seeds} seed formulas (seed ${summary.seed}), ${summary.accepted} accepted, ${summary.rejected} rejected, ${summary.seconds.toFixed(1)} s`);
  } catch (error) {
    // fast-check's message holds the whole counterexample (up to 20,000 characters): keep it short.
    const cause = error instanceof Error && error.cause instanceof Error ? `${error.cause.message}\n` : '';
    const message = error instanceof Error ? error.message : String(error);
    console.error(`fuzz:formula FAILED (seed ${seed}): ${cause}${message.slice(0, 2000)}`);
    process.exit(1);
  }
}
