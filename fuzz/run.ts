// One entry point for both fuzz targets (fuzz/formula.ts and fuzz/cif.ts): runs TOTAL inputs split
// evenly between them, in batches with consecutive seeds so one failure does not end the run, and
// prints one summary: inputs, exceptions, slowest input (ms), rejections without a position.
// Failing inputs are written to fuzz/regressions/ as found-*.json so test/fuzz.regressions.test.ts
// keeps them fixed once reviewed and committed.
//   npm run fuzz                               (1,000,000 inputs)
//   npx tsx fuzz/run.ts 200000 7               (TOTAL, SEED)
//   npx tsx fuzz/run.ts 1000000 7 --max-seconds 3600
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { fuzzFormula, seedFormulas } from './formula';
import { fuzzCif, sampleTexts } from './cif';

const BATCH = 10_000;
export const REGRESSIONS_DIR = path.join(__dirname, 'regressions');

export type FailureKind = 'exception' | 'no-position' | 'slow' | 'other';

export interface TargetSummary {
  target: 'formula' | 'cif';
  inputs: number;
  exceptions: number;
  rejectionsWithoutPosition: number;
  slowInputs: number;
  otherFailures: number;
  slowestInputMs: number;
  seconds: number;
  savedFailures: string[];
}

function emptySummary(target: TargetSummary['target']): TargetSummary {
  return { target, inputs: 0, exceptions: 0, rejectionsWithoutPosition: 0, slowInputs: 0, otherFailures: 0, slowestInputMs: 0, seconds: 0, savedFailures: [] };
}

/** Sorts a failure message of either target into the categories the summary counts. */
export function classifyFailure(reason: string): FailureKind {
  if (/rejection without a valid position|beyond (the last )?line|negative or fractional position|range ends before|empty message/.test(reason)) return 'no-position';
  if (/^took |\d ms for /.test(reason)) return 'slow';
  if (/^threw|Error|exception/i.test(reason)) return 'exception';
  return 'other';
}

function count(summary: TargetSummary, kind: FailureKind): void {
  if (kind === 'exception') summary.exceptions++;
  else if (kind === 'no-position') summary.rejectionsWithoutPosition++;
  else if (kind === 'slow') summary.slowInputs++;
  else summary.otherFailures++;
}

/** Saves a failing input as a corpus entry; JSON keeps lone surrogates and NULs exact. */
function saveFailure(target: 'formula' | 'cif', seed: number, index: number, input: string, reason: string): string {
  fs.mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const file = path.join(REGRESSIONS_DIR, `found-${target}-${seed}-${index}.json`);
  const note = `found by npm run fuzz (seed ${seed}): ${reason.split('\n')[0].slice(0, 200)}`;
  fs.writeFileSync(file, JSON.stringify({ target, note, expect: 'any', input }, null, 1) + '\n');
  return file;
}

/** fast-check's counterexample is the last "Counterexample: [...]" JSON in its message. */
function counterexampleOf(message: string): string | undefined {
  const match = /Counterexample: (\[[\s\S]*?\])\n/.exec(message);
  if (!match) return undefined;
  try {
    const value = JSON.parse(match[1]) as unknown;
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  } catch {
    return undefined;
  }
}

function runFormula(inputs: number, seed: number, deadline: number, log: (line: string) => void): TargetSummary {
  const summary = emptySummary('formula');
  const seeds = seedFormulas();
  try {
    fuzzFormula(Math.min(500, inputs), seed - 1, seeds); // JIT warm-up, not counted or timed
  } catch {
    // a failure here shows up again in the counted batches
  }
  const started = performance.now();
  let inputStart = 0;
  // Global hooks time every property run (one input through all four contexts).
  fc.configureGlobal({
    beforeEach: () => { inputStart = performance.now(); },
    afterEach: () => { summary.slowestInputMs = Math.max(summary.slowestInputMs, performance.now() - inputStart); },
  });
  try {
    for (let batch = 0; summary.inputs < inputs && performance.now() < deadline; batch++) {
      const n = Math.min(BATCH, inputs - summary.inputs);
      try {
        fuzzFormula(n, seed + batch, seeds);
        summary.inputs += n;
      } catch (error) {
        // fuzzFormula stops at the first failure of a batch: count it and go on with the next seed.
        summary.inputs += n;
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
        const message = error instanceof Error ? error.message : String(error);
        count(summary, classifyFailure(cause || message));
        const input = counterexampleOf(message);
        if (input !== undefined) summary.savedFailures.push(saveFailure('formula', seed + batch, 0, input, cause || message));
        log(`  formula seed ${seed + batch}: ${(cause || message).split('\n')[0].slice(0, 300)}`);
      }
    }
  } finally {
    fc.resetConfigureGlobal();
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

function runCif(inputs: number, seed: number, deadline: number, log: (line: string) => void): TargetSummary {
  const summary = emptySummary('cif');
  const seeds = sampleTexts();
  const started = performance.now();
  for (let batch = 0; summary.inputs < inputs && performance.now() < deadline; batch++) {
    const n = Math.min(BATCH, inputs - summary.inputs);
    const report = fuzzCif(n, seed + batch, seeds);
    summary.inputs += n;
    summary.slowestInputMs = Math.max(summary.slowestInputMs, report.slowestMs);
    for (const failure of report.failures) {
      count(summary, classifyFailure(failure.reason));
      summary.savedFailures.push(saveFailure('cif', seed + batch, failure.iteration, failure.input, failure.reason));
      log(`  cif seed ${seed + batch} input ${failure.iteration}: ${failure.reason.split('\n')[0].slice(0, 300)}`);
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

export interface FuzzRunOptions {
  total: number;
  seed: number;
  maxSeconds?: number;
  log?: (line: string) => void;
}

/** Runs both targets, half of `total` each; stops early (and says so) when maxSeconds pass. */
export function runFuzz(options: FuzzRunOptions): TargetSummary[] {
  const log = options.log ?? ((line: string) => console.log(line));
  const deadlineFor = (share: number): number => (options.maxSeconds ? performance.now() + options.maxSeconds * 1000 * share : Infinity);
  const formulaInputs = Math.ceil(options.total / 2);
  const formula = runFormula(formulaInputs, options.seed, deadlineFor(0.5), log);
  const cif = runCif(options.total - formulaInputs, options.seed, deadlineFor(1), log);
  return [formula, cif];
}

function parseArgs(argv: string[]): FuzzRunOptions {
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--max-seconds');
  const maxIndex = argv.indexOf('--max-seconds');
  const total = Number(positional[0] ?? 1_000_000);
  const seed = Number(positional[1] ?? Date.now() % 100_000);
  const maxSeconds = maxIndex >= 0 ? Number(argv[maxIndex + 1]) : undefined;
  if (!Number.isInteger(total) || total < 2 || !Number.isInteger(seed) || (maxSeconds !== undefined && !(maxSeconds > 0))) {
    console.error('usage: tsx fuzz/run.ts [TOTAL_INPUTS=1000000] [SEED] [--max-seconds S]');
    process.exit(2);
  }
  return { total, seed, maxSeconds };
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  console.log(`fuzz: ${options.total} inputs (half formula, half CIF), seed ${options.seed}${options.maxSeconds ? `, at most ${options.maxSeconds} s` : ''}`);
  const summaries = runFuzz(options);
  let failures = 0;
  for (const s of summaries) {
    failures += s.exceptions + s.rejectionsWithoutPosition + s.slowInputs + s.otherFailures;
    console.log(
      `${s.target.padEnd(8)} inputs ${s.inputs}, exceptions ${s.exceptions}, rejections without a position ${s.rejectionsWithoutPosition}, ` +
        `slow inputs ${s.slowInputs}, other ${s.otherFailures}, slowest input ${s.slowestInputMs.toFixed(1)} ms, ${s.seconds.toFixed(0)} s`,
    );
  }
  const total = summaries.reduce((n, s) => n + s.inputs, 0);
  console.log(JSON.stringify({ inputs: total, failures, summaries: summaries.map(({ savedFailures, ...rest }) => ({ ...rest, savedFailures: savedFailures.length })) }));
  if (total < options.total) console.log(`stopped after ${total} of ${options.total} inputs (--max-seconds)`);
  process.exitCode = failures ? 1 : 0;
}
