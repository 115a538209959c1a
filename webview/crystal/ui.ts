// Small DOM helpers shared by the crystal, gallery and predictions panels. Text always goes in
// through textContent, never innerHTML, so workspace content cannot inject markup.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function select(label: string, options: string[], value: string, onChange: (value: string) => void): HTMLLabelElement {
  const wrapper = el('label', {}, label);
  const box = el('select', { 'aria-label': label });
  for (const o of options) box.appendChild(el('option', { value: o }, o));
  box.value = value;
  box.addEventListener('change', () => onChange(box.value));
  wrapper.appendChild(box);
  return wrapper;
}

export function button(text: string, ariaLabel: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', 'aria-label': ariaLabel }, text);
  b.addEventListener('click', onClick);
  return b;
}
