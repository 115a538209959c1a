// `npm run bench`: measures our code and the reference on the same inputs in one sitting,
// alternating ours/reference for several repeats, and writes BENCHMARKS.md (medians, ratios
// ours/reference, min–max, machine cores and load, backend) and bench/results.json.
// Each side runs as its own process and prints one JSON line {"value": number, ...}; process
// start-up is outside the measured region on both sides.
//
//   npm run bench                 all benchmarks
//   npm run bench -- parse-cif    only the named ones
//   npm run bench -- --repeats 5
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchmarks, prepareInputs, type Side } from './suite';

interface Measured {
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  ours: number[];
  reference: number[] | null;
  details: Record<string, unknown>;
  /** Each run's `perCpuSecond`, where a side reports one (the figure per CPU second of its process). */
  oursPerCpu: number[];
  referencePerCpu: number[];
}

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const repeatsArg = args.indexOf('--repeats');
const repeats = repeatsArg >= 0 ? Number(args[repeatsArg + 1]) : 3;
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--repeats');

function runSide(side: Side): { value: number; extra: Record<string, unknown> } {
  const r = spawnSync(side.command, side.args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...side.env }, timeout: 30 * 60_000 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as { value: number } & Record<string, unknown>;
    if (typeof parsed.value !== 'number' || !Number.isFinite(parsed.value)) throw new Error('no value');
    const { value, ...extra } = parsed;
    return { value, extra };
  } catch {
    throw new Error(`${side.command} ${side.args.join(' ')} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

function measure(): Measured[] {
  const inputs = prepareInputs(root);
  const results: Measured[] = [];
  for (const b of benchmarks(inputs)) {
    if (only.length && !only.some((o) => b.name.startsWith(o))) continue;
    process.stderr.write(`bench ${b.name} `);
    const m: Measured = { name: b.name, unit: b.unit, better: b.better, ours: [], reference: b.reference ? [] : null, details: {}, oursPerCpu: [], referencePerCpu: [] };
    try {
      for (let i = 0; i < (b.repeats ?? repeats); i++) {
        const ours = runSide(b.ours);
        m.ours.push(ours.value);
        if (typeof ours.extra.perCpuSecond === 'number') m.oursPerCpu.push(ours.extra.perCpuSecond);
        Object.assign(m.details, ours.extra);
        if (b.reference && m.reference) {
          const ref = runSide(b.reference);
          m.reference.push(ref.value);
          if (typeof ref.extra.perCpuSecond === 'number') m.referencePerCpu.push(ref.extra.perCpuSecond);
          for (const [k, v] of Object.entries(ref.extra)) m.details[`reference.${k}`] = v;
        }
        process.stderr.write('.');
      }
      process.stderr.write(` ours ${fmt(median(m.ours))} ${b.unit}${m.reference ? `, reference ${fmt(median(m.reference))}` : ''}\n`);
      results.push(m);
    } catch (e) {
      process.stderr.write(` FAILED\n${e instanceof Error ? e.message : String(e)}\n`);
      results.push({ ...m, details: { ...m.details, error: e instanceof Error ? e.message.split('\n')[0] : String(e) } });
    }
  }
  return results;
}

/** "per CPU second: ours …, reference …, ratio …" (medians) where both sides report it. */
function perCpuLine(r: Measured): string {
  if (!r.oursPerCpu.length || !r.referencePerCpu.length) return '';
  const ours = median(r.oursPerCpu);
  const reference = median(r.referencePerCpu);
  return ` — per CPU second (medians): ours ${fmt(ours)}, reference ${fmt(reference)}, ratio ${(ours / reference).toFixed(3)}`;
}

function write(results: Measured[], loadBefore: number[]): void {
  const json = results
    .filter((r) => r.ours.length)
    .map((r) => {
      const ours = median(r.ours);
      const reference = r.reference?.length ? median(r.reference) : null;
      return { name: r.name, ours, reference, unit: r.unit, ratio: reference ? ours / reference : null };
    });
  fs.writeFileSync(path.join(root, 'bench', 'results.json'), JSON.stringify(json, null, 2) + '\n');

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const rows = results.map((r) => {
    if (!r.ours.length) return `| ${r.name} | failed: ${String(r.details.error ?? '')} | | | | |`;
    const ours = median(r.ours);
    const ref = r.reference?.length ? median(r.reference) : null;
    const range = (xs: number[]) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
    const ratio = ref ? (ours / ref).toFixed(3) : '—';
    return `| ${r.name} | ${fmt(ours)} (${range(r.ours)}) | ${ref === null ? '—' : `${fmt(ref)} (${range(r.reference ?? [])})`} | ${r.unit} | ${ratio} | ${r.better} |`;
  });
  const notesFile = path.join(root, 'bench', 'NOTES.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
  const md = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()}. Machine: ${os.cpus().length} × ${cpu}, ` +
      `load average (1 / 5 / 15 min) before the run ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}, ` +
      `after it ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}, Node ${process.version}. ` +
      `Each figure is the median of ${repeats} alternating runs (ours, reference, ours, …) with min–max in brackets. ` +
      '`ratio` is ours / reference in the unit shown; `better` says which direction is good for that unit.',
    '',
    '| benchmark | ours | reference | unit | ratio | better |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Details',
    '',
    'What each side printed beside its value in its last run (`reference.` for the reference), and, where both sides report it, the medians per CPU second of the process.',
    '',
    ...results.map((r) => `- **${r.name}**: ${Object.entries(r.details).map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : String(v)}`).join('; ') || '—'}${perCpuLine(r)}`),
    '',
    notes,
  ].join('\n');
  fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), md);
  process.stderr.write('wrote BENCHMARKS.md and bench/results.json\n');
}

const loadBefore = os.loadavg();
write(measure(), loadBefore);
