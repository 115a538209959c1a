// Turns run histories into uPlot's aligned columns. Pure functions (no DOM), tested under node:test.
import type { AlignedData } from 'uplot';
import type { DashboardRecord, DashboardRun } from '../../src/extension/webviews/dashboard/protocol';

export interface ChartSeries {
  runIndex: number;
  metric: string;
  label: string;
  colourIndex: number;
}

export interface ChartGroup {
  id: 'losses' | 'quality';
  title: string;
  series: ChartSeries[];
}

const BOOKKEEPING = new Set(['step', 'epoch', 'time', 'stepsPerSecond']);
/** Critic, generator, gradient penalty, Wasserstein estimate and their held-out versions. */
const LOSS_PATTERN = /loss|wasserstein|penalty/i;
/** More points than a canvas can show; longer histories are thinned evenly (the last point kept). */
export const MAX_POINTS = 4000;

function metricNames(runs: DashboardRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const record of run.records) for (const key of Object.keys(record)) if (!BOOKKEEPING.has(key)) names.add(key);
  return [...names].sort();
}

export function chartGroups(runs: DashboardRun[]): ChartGroup[] {
  const names = metricNames(runs);
  const groups: ChartGroup[] = [
    { id: 'losses', title: 'Losses', series: [] },
    { id: 'quality', title: 'Validity and other metrics', series: [] },
  ];
  runs.forEach((run, runIndex) => {
    names.forEach((metric, metricIndex) => {
      if (!run.records.some((r) => typeof r[metric] === 'number')) return;
      const group = LOSS_PATTERN.test(metric) ? groups[0] : groups[1];
      group.series.push({ runIndex, metric, label: runs.length > 1 ? `${metric} (${run.id})` : metric, colourIndex: metricIndex });
    });
  });
  return groups.filter((g) => g.series.length > 0);
}

function thin(records: DashboardRecord[]): DashboardRecord[] {
  if (records.length <= MAX_POINTS) return records;
  const stride = records.length / MAX_POINTS;
  const kept = Array.from({ length: MAX_POINTS - 1 }, (_, i) => records[Math.floor(i * stride)]);
  kept.push(records[records.length - 1]);
  return kept;
}

/** [steps, series…] with null where a run has no value at a step (several runs share the x axis). */
export function buildChartData(runs: DashboardRun[], group: ChartGroup): AlignedData {
  const thinned = runs.map((run) => thin(run.records));
  const steps = [...new Set(thinned.flatMap((records) => records.map((r) => r.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = group.series.map((series) => {
    const column: (number | null)[] = new Array(steps.length).fill(null);
    for (const record of thinned[series.runIndex]) {
      const value = record[series.metric];
      column[index.get(record.step)!] = typeof value === 'number' && Number.isFinite(value) ? value : null;
    }
    return column;
  });
  return [steps, ...columns] as AlignedData;
}

/** Steps per second: the job's own figure when it reports one, else from the last records' times. */
export function latestSpeed(records: DashboardRecord[]): number | undefined {
  const last = records.at(-1);
  if (!last) return undefined;
  if (typeof last.stepsPerSecond === 'number' && Number.isFinite(last.stepsPerSecond)) return last.stepsPerSecond;
  const earlier = records[Math.max(0, records.length - 20)];
  const seconds = (last.time - earlier.time) / 1000;
  return seconds > 0 && last.step > earlier.step ? (last.step - earlier.step) / seconds : undefined;
}
