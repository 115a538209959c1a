// Ours for `parse-cif`: readCif (lex, parse, diagnostics, symmetry expansion to structures) over
// the given files, MB/s — the same work pymatgen's CifParser.get_structures does.
import fs from 'node:fs';
import { readCif } from '../../src/core/cif';

const texts = process.argv.slice(2).map((f) => fs.readFileSync(f, 'utf8'));
const bytes = process.argv.slice(2).reduce((s, f) => s + fs.statSync(f).size, 0);
for (let i = 0; i < 3; i++) for (const t of texts) readCif(t); // JIT warm-up
// Repeat to get a measurable interval on 140 kB of samples.
const rounds = 20;
const start = performance.now();
let blocks = 0;
for (let r = 0; r < rounds; r++) for (const t of texts) blocks += readCif(t).blocks.length;
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ value: (bytes * rounds) / 1e6 / seconds, blocks: blocks / rounds, files: texts.length }));
