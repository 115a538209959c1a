// `parse-cif 5 MB`: the time to produce every diagnostic for a 5 MB CIF (what the editor does on
// open), in ms; median of 5 after a warm-up.
import fs from 'node:fs';
import { readCif } from '../../src/core/cif';

const text = fs.readFileSync(process.argv[2], 'utf8');
readCif(text);
const times: number[] = [];
let diagnostics = 0;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  diagnostics = readCif(text).diagnostics.length;
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ value: times[2], bytes: text.length, diagnostics }));
