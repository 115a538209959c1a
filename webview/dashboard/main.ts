// The training dashboard page: live loss curves (uPlot) for one run, or several overlaid for a
// comparison, plus the run's configuration, backend and speed. The host owns the history: on
// load the page says `ready` and gets everything back (`init`), then deltas. The last picture is
// kept with setState so a tab brought back to the front redraws at once.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import './style.css';
import { connectToHost } from '../shared/vscodeApi';
import {
  isDashboardState,
  validateHostToDashboard,
  type DashboardRecord,
  type DashboardRun,
  type DashboardState,
  type DashboardToHost,
  type HostToDashboard,
} from '../../src/extension/webviews/dashboard/protocol';
import { chartGroups, buildChartData, latestSpeed, type ChartGroup } from './series';

const channel = connectToHost<DashboardToHost, HostToDashboard, DashboardState>({
  validate: validateHostToDashboard,
  validateState: isDashboardState,
  onInvalid: (error) => channel.post({ type: 'invalid', error }),
});

let runs: DashboardRun[] = channel.getState()?.runs ?? [];
const charts = new Map<ChartGroup['id'], uPlot>();

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function apply(message: HostToDashboard): void {
  if (message.type === 'init') runs = message.runs;
  else if (message.type === 'metrics') {
    const run = runs.find((r) => r.id === message.runId);
    if (run) run.records.push(...message.records);
  } else {
    const run = runs.find((r) => r.id === message.runId);
    if (run) Object.assign(run, { status: message.status, backend: message.backend ?? run.backend, error: message.error });
  }
  channel.setState({ runs });
  render(message.type !== 'init' && message.type !== 'status');
}

function render(onlyData: boolean): void {
  renderHeader();
  renderCharts(onlyData);
  if (!onlyData) renderConfig();
}

function renderHeader(): void {
  const title = runs.length === 1 ? runs[0].id : runs.length ? `Comparing ${runs.length} runs` : 'No run selected';
  byId('title').textContent = title;
  const badges = byId('badges');
  badges.replaceChildren(...runs.map((run) => {
    const badge = document.createElement('vscode-badge');
    badge.textContent = `${runs.length > 1 ? `${run.id}: ` : ''}${run.status}`;
    badge.dataset.status = run.status;
    return badge;
  }));
  const running = runs.find((r) => r.status === 'running');
  const cancel = byId('cancel');
  cancel.hidden = !running;
  cancel.dataset.runId = running?.id ?? '';
  const points = runs.reduce((n, r) => n + r.records.length, 0);
  const last = runs.map((r) => r.records.at(-1)).filter((r): r is DashboardRecord => Boolean(r));
  byId('points').textContent = String(points);
  byId('step').textContent = last.length ? last.map((r) => r.step).join(' / ') : '–';
  byId('backend').textContent = runs.map((r) => r.backend ?? '?').join(' / ') || '–';
  const speeds = runs.map((r) => latestSpeed(r.records));
  byId('speed').textContent = speeds.some((s) => s !== undefined) ? speeds.map((s) => (s === undefined ? '?' : s.toFixed(2))).join(' / ') : '–';
  const errors = runs.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`);
  byId('error').textContent = errors.join('\n');
  byId('error').hidden = errors.length === 0;
  byId('empty').hidden = points > 0;
}

function themeColours(): { fg: string; grid: string; palette: string[] } {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--vscode-foreground', '#ccc'),
    grid: v('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    palette: ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-yellow', '--vscode-charts-purple', '--vscode-charts-orange']
      .map((name, i) => v(name, ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#b180d7', '#d18616'][i])),
  };
}

function renderCharts(onlyData: boolean): void {
  const groups = chartGroups(runs);
  const container = byId('charts');
  const wanted = new Set(groups.map((g) => g.id));
  for (const [id, chart] of charts) {
    if (!wanted.has(id) || !onlyData) {
      chart.destroy();
      charts.delete(id);
      document.getElementById(`chart-${id}`)?.remove();
    }
  }
  for (const group of groups) {
    const data = buildChartData(runs, group);
    const existing = charts.get(group.id);
    if (existing && existing.series.length === data.length) existing.setData(data);
    else {
      existing?.destroy();
      charts.set(group.id, createChart(container, group, data));
    }
  }
}

function createChart(container: HTMLElement, group: ChartGroup, data: uPlot.AlignedData): uPlot {
  let holder = document.getElementById(`chart-${group.id}`);
  if (!holder) {
    holder = document.createElement('div');
    holder.id = `chart-${group.id}`;
    holder.className = 'chart';
    holder.setAttribute('role', 'img');
    holder.setAttribute('aria-label', `${group.title}: ${group.series.map((s) => s.label).join(', ')}`);
    const heading = document.createElement('h2');
    heading.textContent = group.title;
    holder.append(heading);
    container.append(holder);
  }
  const { fg, grid, palette } = themeColours();
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const options: uPlot.Options = {
    width: Math.max(300, container.clientWidth - 8),
    height: 260,
    scales: { x: { time: false } },
    axes: [{ ...axis, label: 'step' }, axis],
    legend: { live: true },
    series: [
      { label: 'step' },
      ...group.series.map((s) => ({
        label: s.label,
        stroke: palette[s.colourIndex % palette.length],
        width: 1.5,
        dash: s.runIndex > 0 ? [6, 4] : undefined,
        spanGaps: true,
      })),
    ],
  };
  return new uPlot(options, data, holder);
}

function renderConfig(): void {
  const table = byId('config');
  const rows: HTMLTableRowElement[] = [];
  for (const run of runs) {
    for (const [key, value] of Object.entries({ kind: run.kind, ...run.config })) {
      const row = document.createElement('tr');
      for (const text of [runs.length > 1 ? `${run.id} · ${key}` : key, String(value)]) {
        const cell = document.createElement('td');
        cell.textContent = text; // textContent only: config values come from the workspace
        row.append(cell);
      }
      rows.push(row);
    }
  }
  table.replaceChildren(...rows);
}

byId('cancel').addEventListener('click', () => {
  const runId = byId('cancel').dataset.runId;
  if (runId) channel.post({ type: 'cancel', runId });
});

// Follow the colour theme without reloading: VS Code swaps the body's class on a theme change.
new MutationObserver(() => render(false)).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => render(false), 150);
});

channel.onMessage(apply);
render(false);
channel.post({ type: 'ready' });
