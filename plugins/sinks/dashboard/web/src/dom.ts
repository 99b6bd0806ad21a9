// A tiny element builder; never sets style attributes (the server's CSP forbids inline styles).
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A card with a heading and room for actions (downloads) beside it; `body` is filled later. */
export function card(title: string, cls = ''): { root: HTMLElement; body: HTMLElement; actions: HTMLElement } {
  const body = h('div', { class: 'card-body' });
  const actions = h('div', { class: 'card-actions' });
  const root = h('section', { class: `card ${cls}` }, h('div', { class: 'card-head' }, h('h2', {}, title), actions), body);
  return { root, body, actions };
}

export function message(text: string, kind: 'info' | 'error' | 'empty' = 'info'): HTMLElement {
  return h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Resolves at the next frame, just before it is painted; at once in a hidden page, which paints none. */
export function nextFrame(): Promise<void> {
  return document.hidden ? Promise.resolve() : new Promise((r) => requestAnimationFrame(() => r()));
}
