// Load figure (issue 8.6): a 1,000,000-row composition CSV through the composition data-set loader
// (CSV parse, formula parse, per-row checks). Prints {"value": s, "peakRssMB": …}. The input
// cycles the real formulas of the shared data sets with synthetic targets, generated into
// bench/.cache/ on first use. Every row is kept (duplicates: 'keep') so every row is fully loaded.
//   npx tsx bench/ours/loadCompositionCsv.ts [ROWS=1000000]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCompositionCsv } from '../../src/core/data/compositionDatasets';
import { readCsv } from '../../src/core/data/csv';
import { resolveDataDir } from '../../src/core/data/dataDir';

const CACHE = path.join(__dirname, '..', '.cache');
const SOURCES = ['gan_train_oqmd/oqmd_formulas.csv', 'mp_e_form_matbench/mp_e_form.csv', 'supercon_stanev2018/supercon.csv'];

export function compositionCsv(rows: number): string {
  const file = path.join(CACHE, `composition-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE, { recursive: true });
  const dataDir = resolveDataDir().path;
  const formulas = SOURCES.flatMap((s) => readCsv(path.join(dataDir, 'composition', s)).records.map((r) => r.values.formula ?? '')).filter(Boolean);
  const lines = ['formula,target'];
  for (let i = 0; i < rows; i++) lines.push(`${formulas[i % formulas.length]},${((i * 7919) % 10007) / 1000}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const file = compositionCsv(rows);
  const rssBeforeMB = process.memoryUsage().rss / 1e6;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const dataset = loadCompositionCsv(file, { targetColumn: 'target', duplicates: 'keep' });
  const seconds = (performance.now() - start) / 1000;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time next to wall time: the shared machine's load inflates the wall clock.
  const cpuSeconds = +((cpu.user + cpu.system) / 1e6).toFixed(2);
  console.log(JSON.stringify({ value: +seconds.toFixed(2), unit: 's', cpuSeconds, peakRssMB: Math.round(peakRssMB), rssBeforeMB: Math.round(rssBeforeMB), rows, records: dataset.records.length, skipped: dataset.skipped.length, fileMB: +(fs.statSync(file).size / 1e6).toFixed(1) }));
}
