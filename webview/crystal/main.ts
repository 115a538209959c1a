// Crystal viewer webview: receives a parsed structure from the host and draws it with three.js.
// Controls (supercell, bonds, camera presets, block picker, PNG export) live here; their state is
// kept with setState so it survives hide/show.
import './style.css';
import { connectToHost } from '../shared/vscodeApi';
import { isViewerState, validateHostToViewer, type HostToViewer, type ViewerModel, type ViewerState, type ViewerToHost } from '../../src/extension/webviews/crystal/protocol';
import { CrystalRenderer } from './renderer';
import { buildScene } from './scene';
import { button, el, select } from './ui';

const host = connectToHost<ViewerToHost, HostToViewer, ViewerState>({ validate: validateHostToViewer, validateState: isViewerState });
let state: ViewerState = host.getState() ?? { supercell: [1, 1, 1], showBonds: true };
let model: ViewerModel | undefined;

const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Viewer controls' });
const info = el('div', { class: 'info', 'aria-live': 'polite' });
const message = el('div', { class: 'message hidden', role: 'status' });
const view = el('div', { class: 'view' });
const tooltip = el('div', { class: 'tooltip hidden', role: 'tooltip' });
document.body.append(toolbar, info, message, view);
view.appendChild(tooltip);
const renderer = new CrystalRenderer(view);

const blockPicker = el('span');
const axes = ['a', 'b', 'c'] as const;
axes.forEach((axis, i) => {
  toolbar.appendChild(select(`${axis}×`, ['1', '2', '3'], String(state.supercell[i]), (v) => {
    const supercell = [...state.supercell] as ViewerState['supercell'];
    supercell[i] = Number(v);
    update({ ...state, supercell });
  }));
});
const bonds = el('input', { type: 'checkbox', 'aria-label': 'Show bonds' });
bonds.checked = state.showBonds;
bonds.addEventListener('change', () => update({ ...state, showBonds: bonds.checked }));
const bondsLabel = el('label', {}, 'bonds');
bondsLabel.prepend(bonds);
toolbar.append(bondsLabel);
for (const axis of axes) toolbar.appendChild(button(`view ${axis}`, `View along ${axis}`, () => renderer.viewAlong(axis)));
toolbar.appendChild(button('reset', 'Reset camera', () => renderer.viewAlong('default')));
toolbar.appendChild(button('Export PNG', 'Export the view as a PNG image', () => exportPng()));
toolbar.appendChild(blockPicker);

function update(next: ViewerState): void {
  state = next;
  host.setState(state);
  draw(true);
}

function draw(keepCamera: boolean): void {
  if (!model) return;
  const scene = buildScene(model, state.supercell, state.showBonds);
  renderer.show(scene, keepCamera);
  renderer.renderNow();
  document.body.dataset.atoms = String(scene.atoms.length);
  if (scene.bondsSkipped) showMessage(`Bonds hidden: ${scene.atoms.length} atoms is too many to bond interactively; use a smaller supercell.`, 'warning');
  host.post({ type: 'rendered', atoms: scene.atoms.length, bonds: scene.bonds.length });
}

function showMessage(text: string, kind: 'error' | 'warning' | 'none'): void {
  message.textContent = text;
  message.className = kind === 'none' ? 'message hidden' : `message ${kind}`;
}

function showBlocks(names: string[], index: number): void {
  blockPicker.replaceChildren();
  if (names.length > 1) {
    blockPicker.appendChild(select('block', names, names[index], (v) => host.post({ type: 'selectBlock', index: names.indexOf(v) })));
  }
}

function exportPng(): void {
  host.post({ type: 'png', dataUrl: renderer.toPng(2) });
}

host.onMessage((msg) => {
  switch (msg.type) {
    case 'structure': {
      const first = model === undefined || model.title !== msg.model.title;
      model = msg.model;
      const sg = model.spaceGroup ? ` · ${model.spaceGroup}` : '';
      info.textContent = `${model.formula}${sg} · ${model.atoms.length} sites`;
      showBlocks(model.blockNames, model.blockIndex);
      showMessage(model.warnings.join('\n'), model.warnings.length ? 'warning' : 'none');
      draw(!first);
      break;
    }
    case 'error':
      // Keep the last good drawing while the text is being edited into shape.
      showMessage(msg.message, 'error');
      break;
    case 'exportPng':
      exportPng();
      break;
  }
});

view.addEventListener('pointermove', (event) => {
  const picked = renderer.pick(event.clientX, event.clientY);
  if (!picked) {
    tooltip.classList.add('hidden');
    return;
  }
  const { atom } = picked;
  const frac = atom.frac.map((x) => x.toFixed(4)).join(', ');
  const occupancy = atom.occupancy < 1 ? `\noccupancy ${atom.occupancy}` : '';
  tooltip.textContent = `${atom.label} (${atom.element})\nfrac ${frac}${occupancy}`;
  tooltip.style.left = `${picked.x + 12}px`;
  tooltip.style.top = `${picked.y + 12}px`;
  tooltip.classList.remove('hidden');
});
view.addEventListener('pointerleave', () => tooltip.classList.add('hidden'));

host.post({ type: 'ready' });
