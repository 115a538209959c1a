// Ours for `parse-cif`: MB/s over the given files. `structures` = readCif (lex, parse,
// diagnostics, symmetry expansion to structures: the work pymatgen's CifParser.get_structures
// does); `syntax` = parseCif (lex, parse, syntax diagnostics: the work gemmi's cif.read does).
// Usage: parseCif.ts structures|syntax FILE...
import fs from 'node:fs';
import { parseCif, readCif } from '../../src/core/cif';

const [mode, ...files] = process.argv.slice(2);
const read = mode === 'syntax' ? (t: string) => parseCif(t).blocks.length : (t: string) => readCif(t).blocks.length;
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
for (let i = 0; i < 3; i++) for (const t of texts) read(t); // JIT warm-up
// Repeat to get a measurable interval on 140 kB of samples.
const rounds = 20;
const start = performance.now();
let blocks = 0;
for (let r = 0; r < rounds; r++) for (const t of texts) blocks += read(t);
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ value: (bytes * rounds) / 1e6 / seconds, blocks: blocks / rounds, files: texts.length, mode }));
