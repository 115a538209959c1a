// Ours for `parse-formula`: parseFormula over the benchmark's formulas, formulas/s (after a warm-up pass).
import fs from 'node:fs';
import { parseFormula } from '../../src/core/chem/formula';

const formulas = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim());
for (const f of formulas.slice(0, 5000)) parseFormula(f); // JIT warm-up
const start = performance.now();
let parsed = 0;
for (const f of formulas) if (parseFormula(f).ok) parsed++;
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ value: formulas.length / seconds, parsed, n: formulas.length }));
