// `parse-cif 5 MB`: the time to produce the diagnostics of a 5 MB CIF, in ms (median of 5 after a
// warm-up). `syntax` = parseCif (what the editor shows first); `full` = readCif (symmetry
// expansion and structure checks too, as the editor's worker does below 10 MB / 200k sites).
// Usage: diagnoseCif.ts syntax|full FILE
import fs from 'node:fs';
import { parseCif, readCif } from '../../src/core/cif';

const [mode, file] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const diagnose = mode === 'syntax' ? (t: string) => parseCif(t).diagnostics.length : (t: string) => readCif(t).diagnostics.length;
diagnose(text);
const times: number[] = [];
let diagnostics = 0;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  diagnostics = diagnose(text);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ value: times[2], bytes: text.length, diagnostics, mode }));
