// Load figure (issue 8.6): a 50 MB CIF through readCif (lex, parse, diagnostics, structure), cold,
// in one process. Prints {"value": ms, "peakRssMB": …}. The input, a P1 cell with ~1.1M atom sites
// on a grid (no two sites at one position), is generated into bench/.cache/ on first use.
//   npx tsx bench/ours/loadCif.ts [SIZE_MB=50]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCif } from '../../src/core/cif';

const CACHE = path.join(__dirname, '..', '.cache');

/** Writes a P1 CIF of about `megabytes` MB with one atom site per line, 1.25 Å apart. */
export function bigCif(megabytes: number): string {
  const file = path.join(CACHE, `big-${megabytes}MB.cif`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  const n = Math.ceil(Math.cbrt((megabytes * 1e6) / 40)); // grid points per axis, enough for every line
  const a = (n * 1.25).toFixed(3);
  const header = ['data_big', `_cell_length_a ${a}`, `_cell_length_b ${a}`, `_cell_length_c ${a}`, '_cell_angle_alpha 90', '_cell_angle_beta 90', '_cell_angle_gamma 90',
    "_symmetry_space_group_name_H-M 'P 1'", 'loop_', '_symmetry_equiv_pos_as_xyz', "'x, y, z'", 'loop_', '_atom_site_label', '_atom_site_type_symbol',
    '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', '_atom_site_occupancy'];
  const chunks: string[] = [header.join('\n') + '\n'];
  let size = chunks[0].length;
  for (let i = 0; size < megabytes * 1e6; i++) {
    const x = (i % n) / n, y = (Math.floor(i / n) % n) / n, z = Math.floor(i / (n * n)) / n;
    const element = i % 3 ? 'O' : 'Nb';
    const line = `${element}${i} ${element} ${x.toFixed(6)} ${y.toFixed(6)} ${z.toFixed(6)} 1.0\n`;
    chunks.push(line);
    size += line.length;
  }
  fs.writeFileSync(file, chunks.join(''));
  return file;
}

if (require.main === module) {
  const megabytes = Number(process.argv[2] ?? 50);
  const file = bigCif(megabytes);
  const text = fs.readFileSync(file, 'utf8');
  const rssBeforeMB = process.memoryUsage().rss / 1e6;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const reading = readCif(text, { fileName: file });
  const ms = performance.now() - start;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time next to wall time: the shared machine's load inflates the wall clock.
  const cpuSeconds = +((cpu.user + cpu.system) / 1e6).toFixed(2);
  const sites = reading.blocks[0]?.structure?.sites.length ?? 0;
  console.log(JSON.stringify({ value: Math.round(ms), unit: 'ms', cpuSeconds, peakRssMB: Math.round(peakRssMB), rssBeforeMB: Math.round(rssBeforeMB), fileMB: +(fs.statSync(file).size / 1e6).toFixed(1), sites, diagnostics: reading.diagnostics.length }));
}
