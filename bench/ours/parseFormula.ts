// Ours for `parse-formula`: parseFormula over the benchmark's formulas, formulas/s. As in the
// reference (bench/reference/parse_formula_pymatgen.py): the first whole pass is timed on its own
// (`firstPass`: cold, V8 still compiling), then whole passes run untimed for WARM_UP_SECONDS and
// timed for MEASURE_SECONDS; value = formulas / elapsed over the timed passes.
import fs from 'node:fs';
import { parseFormula } from '../../src/core/chem/formula';

const WARM_UP_SECONDS = 1;
const MEASURE_SECONDS = 2;

const formulas = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());

/** Whole passes until `seconds` have gone by: [passes, wall seconds, CPU seconds, parsed per pass]. */
function passesFor(seconds: number): [number, number, number, number] {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let passes = 0;
  let parsed = 0;
  do {
    parsed = 0;
    for (const f of formulas) if (parseFormula(f).ok) parsed++;
    passes++;
  } while (performance.now() - start < seconds * 1000);
  const cpu = process.cpuUsage(cpuStart);
  return [passes, (performance.now() - start) / 1000, (cpu.user + cpu.system) / 1e6, parsed];
}

const [, firstSeconds] = passesFor(0);
passesFor(WARM_UP_SECONDS);
const [passes, seconds, cpuSeconds, parsed] = passesFor(MEASURE_SECONDS);
const n = formulas.length;
console.log(JSON.stringify({ value: (n * passes) / seconds, perCpuSecond: (n * passes) / cpuSeconds, firstPass: n / firstSeconds, passes, parsed, n }));
