// Gallery webview: a page of generated structures (file, metrics from summary.csv) beside one
// three.js view of the selected structure. Arrow keys move the selection; page buttons ask the
// host for the next page.
import '../crystal/style.css';
import { connectToHost } from '../shared/vscodeApi';
import { GALLERY_PAGE_SIZE, isGalleryState, validateHostToGallery, type GalleryPage, type GalleryState, type GalleryToHost, type HostToGallery } from '../../src/extension/webviews/gallery/protocol';
import { CrystalRenderer } from '../crystal/renderer';
import { buildScene } from '../crystal/scene';
import { button, el } from '../crystal/ui';

const host = connectToHost<GalleryToHost, HostToGallery, GalleryState>({ validate: validateHostToGallery, validateState: isGalleryState });
let state: GalleryState = host.getState() ?? { page: 0, selected: 0 };
let data: GalleryPage | undefined;

const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Gallery pages' });
const pageLabel = el('span', { 'aria-live': 'polite', class: 'page-label' });
const prev = button('◀ Previous', 'Previous page', () => goTo(state.page - 1));
const next = button('Next ▶', 'Next page', () => goTo(state.page + 1));
const open = button('Open in viewer', 'Open the selected structure in the crystal viewer', () => {
  const item = data?.items[state.selected];
  if (item) host.post({ type: 'open', file: item.file });
});
toolbar.append(prev, pageLabel, next, open);
const message = el('div', { class: 'message hidden', role: 'status' });
const layout = el('div', { class: 'view gallery-layout' });
const listBox = el('div', { class: 'gallery-list' });
const viewBox = el('div', { class: 'view gallery-view' });
const caption = el('div', { class: 'info', 'aria-live': 'polite' });
layout.append(listBox, viewBox);
document.body.append(toolbar, message, caption, layout);
const renderer = new CrystalRenderer(viewBox);

function goTo(page: number): void {
  if (!data || page < 0 || page >= data.pageCount) return;
  state = { page, selected: 0 };
  host.setState(state);
  host.post({ type: 'page', page });
}

function select(index: number): void {
  if (!data || index < 0 || index >= data.items.length) return;
  state = { ...state, selected: index };
  host.setState(state);
  listBox.querySelectorAll('tr[data-index]').forEach((row) => row.classList.toggle('selected', row.getAttribute('data-index') === String(index)));
  const item = data.items[index];
  if (item.model) {
    const scene = buildScene(item.model);
    renderer.show(scene, false);
    renderer.renderNow();
    caption.textContent = `${item.file}: ${item.model.formula}${item.model.spaceGroup ? ` · ${item.model.spaceGroup}` : ''} · ${item.model.atoms.length} sites`;
    document.body.dataset.selected = item.file;
    host.post({ type: 'rendered', file: item.file, atoms: scene.atoms.length });
  } else {
    caption.textContent = `${item.file}: ${item.error ?? 'no structure'}`;
  }
}

function showPage(page: GalleryPage): void {
  data = page;
  pageLabel.textContent = `Page ${page.page + 1} / ${page.pageCount} · ${page.total} structures`;
  prev.disabled = page.page === 0;
  next.disabled = page.page >= page.pageCount - 1;
  message.textContent = page.notes.join('\n');
  message.className = page.notes.length ? 'message warning' : 'message hidden';
  const metricNames = [...new Set(page.items.flatMap((i) => i.metrics.map(([k]) => k)))].slice(0, 6);
  const table = el('table', { class: 'list', role: 'grid', 'aria-label': 'Generated structures' });
  const head = el('tr');
  // Metrics before the formula: a long disordered formula must not push them out of sight.
  for (const h of ['#', 'file', ...metricNames, 'formula']) head.appendChild(el('th', { scope: 'col' }, h));
  table.appendChild(head);
  page.items.forEach((item, i) => {
    const row = el('tr', { 'data-index': String(i), tabindex: '0' });
    row.append(el('td', { class: 'num' }, String(page.page * GALLERY_PAGE_SIZE + i + 1)), el('td', {}, item.file));
    const metrics = new Map(item.metrics);
    for (const name of metricNames) row.appendChild(el('td', { class: 'num' }, metrics.get(name) ?? ''));
    const formula = item.model?.formula ?? '⚠ ' + (item.error ?? '');
    row.appendChild(el('td', { class: 'formula', title: formula }, formula));
    row.addEventListener('click', () => select(i));
    row.addEventListener('dblclick', () => host.post({ type: 'open', file: item.file }));
    table.appendChild(row);
  });
  listBox.replaceChildren(table);
  state = { page: page.page, selected: Math.min(state.selected, Math.max(0, page.items.length - 1)) };
  if (page.items.length === 0) caption.textContent = 'No CIF or POSCAR files in this folder yet.';
  else select(state.selected);
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown') select(state.selected + 1);
  else if (event.key === 'ArrowUp') select(state.selected - 1);
  else if (event.key === 'PageDown' || event.key === 'ArrowRight') goTo(state.page + 1);
  else if (event.key === 'PageUp' || event.key === 'ArrowLeft') goTo(state.page - 1);
  else return;
  event.preventDefault();
});

host.onMessage((msg) => {
  if (msg.type === 'page') showPage(msg.data);
  else {
    message.textContent = msg.message;
    message.className = 'message error';
  }
});

host.post({ type: 'ready' });
if (state.page > 0) host.post({ type: 'page', page: state.page });
