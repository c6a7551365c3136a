// Small DOM and formatting helpers shared by the page's modules.

/**
 * An HTML element: h('button', {type: 'button', onclick: f}, 'Go').
 * Properties starting with "on" are listeners; "class", "for", "aria-*",
 * "data-*", "role" and others with a dash are attributes; the rest are
 * element properties. Children are nodes or text; null is skipped.
 */
export function h(tag, props = {}, ...children) {
  return fill(document.createElement(tag), props, children);
}

/** An SVG element, with the same arguments as h (everything an attribute). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v != null) el.setAttribute(k, v);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

function fill(el, props, children) {
  for (const [k, v] of Object.entries(props)) {
    if (v == null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class' || k === 'for' || k === 'role' || k.includes('-')) el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

/** The element with this id (which the page must have). */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: no element #${id}`);
  return el;
}

/**
 * Wires an ARIA tab list: click or Enter/Space selects a tab; Left/Right,
 * Home and End move between tabs; only the selected tab is in the tab
 * order. onSelect(tab) runs on each selection (not for select(tab, false)).
 * Returns select(tab, notify = true).
 */
export function tabs(list, onSelect) {
  const all = [...list.querySelectorAll('[role=tab]')];
  const select = (tab, notify = true) => {
    for (const t of all) {
      const on = t === tab;
      t.setAttribute('aria-selected', on);
      t.tabIndex = on ? 0 : -1;
      const panel = t.getAttribute('aria-controls');
      if (panel) document.getElementById(panel).hidden = !on;
    }
    if (notify) onSelect(tab);
  };
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) select(tab);
  });
  list.addEventListener('keydown', (e) => {
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    const to = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1}[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const tab = all[(to + all.length) % all.length];
    tab.focus();
    select(tab);
  });
  return select;
}

/** fn, called once calls stop for ms milliseconds; .pending() says whether a call waits. */
export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  d.pending = () => timer !== null;
  return d;
}

/** A byte count for people: 812 B, 3.4 KB, 1.2 MB (1 KB = 1000 B). */
export function bytes(n) {
  if (n < 1000) return `${Math.round(n)} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)} KB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** An SSIM for people: three decimals. */
export const ssim = (x) => x.toFixed(3);
