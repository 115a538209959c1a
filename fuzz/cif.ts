// Mutation fuzzing of the CIF core, seeded from the shared sample files: every mutated input must
// be read without an exception, in under 100 ms, and every diagnostic must point inside the text.
//   npx tsx fuzz/cif.ts [ITERATIONS] [SEED]        (npm run fuzz:cif runs 1,000,000)
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveDataDir } from '../src/core/data/dataDir';
import { readCif, type CifDiagnostic } from '../src/core/cif/index';
import { computeLineStarts } from '../src/core/cif/lexer';

export const TIME_LIMIT_MS = 100;

export interface FuzzReport {
  iterations: number;
  seed: number;
  failures: { iteration: number; reason: string; input: string }[];
  slowestMs: number;
}

/** Small deterministic PRNG (mulberry32) so a failing seed reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ["'", '"', ';', '\n;', '\n', '\r\n', '\r', '#', '_', 'data_', 'data_x\n', 'loop_\n', 'save_a\n', 'save_', 'global_', 'stop_', '?', '.', '(', ')', '(3', ' ', '\t', 'é', '\u000b', '\u0000', 'x,y,z', "'-x+1/2,y,-z'", '1e999', '-0', 'NaN', '_atom_site_fract_x', '_cell_length_a 0', '_symmetry_space_group_name_H-M', "'R -3 c'", '#\\#CIF_2.0\n'];

/** One random edit of the text: insert, delete, replace, duplicate, swap lines or truncate. */
export function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  switch (Math.floor(random() * 7)) {
    case 0:
      return text.slice(0, at) + pick(FRAGMENTS) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 40));
    case 2:
      return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(at + 1);
    case 3: {
      const len = Math.floor(random() * 200);
      return text.slice(0, at) + text.slice(at, at + len) + text.slice(at);
    }
    case 4: {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, at);
    default: {
      // Replace a number with an extreme or special value.
      return text.replace(/\d+\.\d+/, pick(['?', '.', '0', '-1', '1e308', '0.5(', '99999']));
    }
  }
}

/** Why a diagnostic's range is invalid for this text, or undefined when it is fine. */
export function badRange(d: CifDiagnostic, lineStarts: number[], text: string): string | undefined {
  const { start, end } = d.range;
  const lineLength = (line: number): number => {
    const from = lineStarts[line];
    const to = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
    return text.slice(from, to).replace(/\r?\n$|\r$/, '').length;
  };
  for (const p of [start, end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return `negative or fractional position in ${d.code}`;
    if (p.line >= lineStarts.length) return `${d.code}: line ${p.line} beyond the last line ${lineStarts.length - 1}`;
    if (p.character > lineLength(p.line)) return `${d.code}: character ${p.character} beyond line ${p.line} (length ${lineLength(p.line)})`;
  }
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return `${d.code}: range ends before it starts`;
  if (!d.message) return `${d.code}: empty message`;
  return undefined;
}

/**
 * Reads one input and returns a failure reason, or undefined. Time is CPU time of this process, so
 * other jobs on a shared machine do not count against the 100 ms limit.
 */
export function checkInput(text: string): { reason?: string; ms: number } {
  const t0 = process.cpuUsage();
  const elapsed = (): number => {
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / 1000;
  };
  let diagnostics: CifDiagnostic[];
  try {
    diagnostics = readCif(text, { fileName: 'fuzz.cif' }).diagnostics;
  } catch (error) {
    return { reason: `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, ms: elapsed() };
  }
  const ms = elapsed();
  const lineStarts = computeLineStarts(text);
  for (const d of diagnostics) {
    const bad = badRange(d, lineStarts, text);
    if (bad) return { reason: bad, ms };
  }
  return { reason: ms > TIME_LIMIT_MS ? `took ${ms.toFixed(1)} ms` : undefined, ms };
}

export function sampleTexts(): string[] {
  const dir = path.join(resolveDataDir().path, 'cif-samples');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.cif')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

export function fuzzCif(iterations: number, seed = 1, seeds: string[] = sampleTexts()): FuzzReport {
  const random = prng(seed);
  const report: FuzzReport = { iterations, seed, failures: [], slowestMs: 0 };
  for (const text of seeds) checkInput(text); // warm up the JIT before timing
  for (let i = 0; i < iterations; i++) {
    let input = seeds[Math.floor(random() * seeds.length)];
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e++) input = mutate(input, random);
    const { reason, ms } = checkInput(input);
    if (ms > report.slowestMs) report.slowestMs = ms;
    if (reason && (!reason.startsWith('took') || checkInput(input).ms > TIME_LIMIT_MS)) {
      // A slow run is retried once, so a garbage-collection pause is not reported as a failure.
      report.failures.push({ iteration: i, reason, input });
      if (report.failures.length >= 10) break;
    }
  }
  return report;
}

if (require.main === module) {
  const iterations = Number(process.argv[2] ?? 10000);
  const seed = Number(process.argv[3] ?? Date.now() % 100000);
  const t0 = performance.now();
  const report = fuzzCif(iterations, seed);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`fuzz:cif seed ${seed}: ${iterations} inputs in ${seconds.toFixed(1)} s, slowest ${report.slowestMs.toFixed(1)} ms, ${report.failures.length} failures`);
  for (const f of report.failures) {
    const file = path.join(process.cwd(), `fuzz-cif-failure-${seed}-${f.iteration}.cif`);
    fs.writeFileSync(file, f.input);
    console.log(`  iteration ${f.iteration}: ${f.reason.split('\n')[0]} (input saved to ${file})`);
  }
  process.exitCode = report.failures.length ? 1 : 0;
}
