// Predictions panel webview: a sortable table (click a header; again to reverse) with uncertainty
// and the reason for rows without a prediction; Export CSV asks the host to save the table.
import '../crystal/style.css';
import { connectToHost } from '../shared/vscodeApi';
import { isPredictionsState, sortRows, validateHostToPredictions, type HostToPredictions, type PredictionRow, type PredictionTable, type PredictionsState, type PredictionsToHost, type SortKey } from '../../src/extension/webviews/predictions/protocol';
import { button, el } from '../crystal/ui';

const host = connectToHost<PredictionsToHost, HostToPredictions, PredictionsState>({ validate: validateHostToPredictions, validateState: isPredictionsState });
let state: PredictionsState = host.getState() ?? { sortKey: 'index', descending: false };
let table: PredictionTable | undefined;

const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Predictions' });
const summary = el('span', { 'aria-live': 'polite' });
toolbar.append(button('Export CSV', 'Export the predictions as CSV', () => host.post({ type: 'export' })), summary);
const info = el('div', { class: 'info' });
const body = el('div', { class: 'view', role: 'region', 'aria-label': 'Prediction table' });
body.style.overflow = 'auto';
document.body.append(toolbar, info, body);

function plusMinus(value: number | undefined, sd: number | undefined): string {
  if (value === undefined) return '';
  return sd !== undefined ? `${value.toFixed(2)} ± ${sd.toFixed(2)}` : value.toFixed(2);
}

function render(): void {
  if (!table) return;
  const predicted = table.rows.filter((r) => r.bandGap !== undefined).length;
  summary.textContent = `${predicted} of ${table.rows.length} predicted`;
  info.textContent = `Model: ${table.model}`;
  const columns: [SortKey | undefined, string, (r: PredictionRow) => string, boolean][] = [
    ['index', '#', (r) => String(r.index), true],
    ['formula', 'formula', (r) => r.formula, false],
    ['bandGap', `band gap (${table.bandGapUnit})`, (r) => plusMinus(r.bandGap, r.bandGapUncertainty), true],
    ['formationEnergy', `formation energy (${table.formationEnergyUnit})`, (r) => plusMinus(r.formationEnergy, r.formationEnergyUncertainty), true],
    ['source', 'source', (r) => r.source, false],
    [undefined, 'why not predicted', (r) => r.reason ?? '', false],
  ];
  const grid = el('table', { class: 'list', role: 'grid', 'aria-label': table.title });
  const head = el('tr');
  for (const [key, label] of columns) {
    const arrow = key === state.sortKey ? (state.descending ? ' ▼' : ' ▲') : '';
    const th = el('th', { scope: 'col', tabindex: key ? '0' : '-1', 'aria-sort': key === state.sortKey ? (state.descending ? 'descending' : 'ascending') : 'none' }, label + arrow);
    if (key) {
      const sort = () => {
        state = { sortKey: key, descending: state.sortKey === key ? !state.descending : false };
        host.setState(state);
        render();
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') sort();
      });
    }
    head.appendChild(th);
  }
  grid.appendChild(head);
  for (const row of sortRows(table.rows, state.sortKey, state.descending)) {
    const tr = el('tr', { 'data-index': String(row.index) });
    for (const [, , value, numeric] of columns) tr.appendChild(el('td', numeric ? { class: 'num' } : {}, value(row)));
    tr.addEventListener('dblclick', () => host.post({ type: 'reveal', index: row.index }));
    grid.appendChild(tr);
  }
  body.replaceChildren(grid);
}

host.onMessage((msg) => {
  table = msg.data;
  render();
});
host.post({ type: 'ready' });
