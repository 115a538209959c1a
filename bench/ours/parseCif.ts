// Ours for `parse-cif`: MB/s over the given files. `structures` = readCif (lex, parse,
// diagnostics, symmetry expansion to structures: the work pymatgen's CifParser.get_structures
// does); `syntax` = parseCif (lex, parse, syntax diagnostics: the work gemmi's cif.read does).
// Both this script and the reference (bench/reference/parse_cif_reference.py) read the files
// into memory first, pass over them until WARM_UP_SECONDS have gone by (V8 needs ~20 passes over
// the 140 kB of samples before its optimising compiler has every hot function), then repeat whole
// passes until MEASURE_SECONDS have gone by and report bytes / elapsed. The first pass (cold: the
// JIT still interpreting, as the first parse after the extension starts) is reported beside it.
// Usage: parseCif.ts structures|syntax FILE...
import fs from 'node:fs';
import { parseCif, readCif } from '../../src/core/cif';

const WARM_UP_SECONDS = 1;
const MEASURE_SECONDS = 2;

const [mode, ...files] = process.argv.slice(2);
const read = mode === 'syntax' ? (t: string) => parseCif(t).blocks.length : (t: string) => readCif(t).blocks.length;
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const megabytes = files.reduce((s, f) => s + fs.statSync(f).size, 0) / 1e6;

/** Whole passes over the files until `seconds` have gone by: [passes, wall seconds, CPU seconds, blocks per pass]. */
function passesFor(seconds: number, atLeast = 1): [number, number, number, number] {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let passes = 0;
  let blocks = 0;
  while (passes < atLeast || performance.now() - start < seconds * 1000) {
    blocks = 0;
    for (const t of texts) blocks += read(t);
    passes++;
  }
  const cpu = process.cpuUsage(cpuStart);
  return [passes, (performance.now() - start) / 1000, (cpu.user + cpu.system) / 1e6, blocks];
}

const [, firstPassSeconds] = passesFor(0);
passesFor(WARM_UP_SECONDS);
const [passes, seconds, cpuSeconds, blocks] = passesFor(MEASURE_SECONDS);
console.log(JSON.stringify({
  value: (megabytes * passes) / seconds,
  perCpuSecond: (megabytes * passes) / cpuSeconds,
  firstPass: megabytes / firstPassSeconds,
  passes,
  blocks,
  files: texts.length,
  mode,
}));
