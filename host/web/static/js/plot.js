// The predicted quality-versus-size front of one image, drawn as SVG:
// predicted SSIM against predicted SVG size (log scale), each point with
// its central interval in both directions, the target as a line, the point
// picked for it ringed, and the real conversion beside its prediction.
// Points are a listbox: click one, or focus the plot, move with the arrow
// keys and press Enter, to convert it.

import {s, bytes, ssim} from './dom.js';
import {ssimInterval, sizeInterval} from './pick.js';

const W = 560, H = 300, M = {l: 50, r: 14, t: 26, b: 38};
const MODES = ['spline', 'polygon', 'none'];

/** A plot in svg (an <svg> element); describe receives the active point's description. */
export function createPlot(svg, describe, onPick) {
  let points = [], active = -1, last = null;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'listbox');
  svg.setAttribute('tabindex', '0');

  const activate = (i) => {
    active = Math.max(0, Math.min(points.length - 1, i));
    if (last) draw(last.front, last.view);
    describe(points.length ? label(points[active], active, points.length, last.front.min_confidence) : '');
  };
  svg.addEventListener('keydown', (e) => {
    if (!points.length) return;
    const to = {ArrowRight: active + 1, ArrowUp: active + 1, ArrowLeft: active - 1, ArrowDown: active - 1,
      Home: 0, End: points.length - 1}[e.key];
    if (to !== undefined) activate(to);
    else if (e.key === 'Enter' || e.key === ' ') onPick(points[Math.max(active, 0)]);
    else return;
    e.preventDefault();
  });
  // Keyboard focus only: redrawing under a mouse press would lose its click.
  svg.addEventListener('focus', () => { if (active < 0 && points.length && svg.matches(':focus-visible')) activate(0); });

  /** Draws front (a /v1/frontier response) with view {target, picked, real}. */
  function draw(front, view) {
    last = {front, view};
    points = front.points;
    const ivs = points.map((p) => ({y: ssimInterval(p), x: sizeInterval(p, front.min_confidence)}));
    const xs = ivs.flatMap((iv) => iv.x).concat(view.real ? [view.real.svg_bytes] : []);
    const ys = ivs.flatMap((iv) => iv.y).concat([view.target], view.real ? [view.real.ssim] : []);
    const x = logScale(Math.min(...xs) / 1.15, Math.max(...xs) * 1.15, M.l, W - M.r);
    const y = linScale(Math.max(0, Math.min(...ys) - 0.01), Math.min(1, Math.max(...ys) + 0.01), H - M.b, M.t);
    svg.replaceChildren(
      s('title', {}, 'Predicted SSIM against predicted SVG size'),
      axes(x, y),
      s('polyline', {class: 'front', points: points.map((p) => `${x(p.svg_bytes)},${y(p.ssim)}`).join(' ')}),
      s('line', {class: 'target', x1: M.l, x2: W - M.r, y1: y(view.target), y2: y(view.target)}),
      s('text', {class: 'target-label', x: M.l + 4, y: y(view.target) + 13}, `target ${ssim(view.target)}`),
      ...points.map((p, i) => pointMark(p, i, ivs[i], x, y, front.min_confidence, view.picked === p, active === i)),
      view.real && view.picked ? realMark(view.real, view.picked, x, y) : null,
      legend(),
    );
    if (active >= 0 && active < points.length) svg.setAttribute('aria-activedescendant', `pt-${active}`);
    else svg.removeAttribute('aria-activedescendant');
  }

  function pointMark(p, i, iv, x, y, minConf, picked, focused) {
    const cx = x(p.svg_bytes), cy = y(p.ssim);
    return s('g', {id: `pt-${i}`, role: 'option', 'aria-selected': picked, 'aria-label': label(p, i, points.length, minConf),
      class: `pt mode-${MODES.includes(p.params.mode) ? p.params.mode : 'none'}${picked ? ' picked' : ''}${focused ? ' focused' : ''}`,
      onclick: () => { activate(i); onPick(p); },
      onpointerenter: () => describe(label(p, i, points.length, minConf))},
    s('line', {class: 'bar', x1: cx, x2: cx, y1: y(iv.y[0]), y2: y(iv.y[1])}),
    s('line', {class: 'bar', x1: x(iv.x[0]), x2: x(iv.x[1]), y1: cy, y2: cy}),
    s('circle', {class: 'dot', cx, cy, r: picked ? 6 : 4}),
    picked || focused ? s('circle', {class: 'ring', cx, cy, r: 10}) : null,
    s('circle', {class: 'hit', cx, cy, r: 9}));
  }
  const clear = () => {
    points = [];
    active = -1;
    last = null;
    svg.replaceChildren();
  };
  return {draw, clear};
}

/** The real conversion: a diamond, joined to the point it was predicted by. */
function realMark(real, p, x, y) {
  const rx = x(real.svg_bytes), ry = y(real.ssim);
  return s('g', {class: 'real', 'aria-hidden': 'true'},
    s('line', {x1: x(p.svg_bytes), y1: y(p.ssim), x2: rx, y2: ry}),
    s('path', {d: `M${rx} ${ry - 7}l7 7l-7 7l-7 -7z`}));
}

function label(p, i, n, minConf) {
  const [lo, hi] = ssimInterval(p), [blo, bhi] = sizeInterval(p, minConf);
  const pct = Math.round((2 * minConf - 1) * 100);
  return `Point ${i + 1} of ${n}, ${p.params.mode} mode: predicted SSIM ${ssim(p.ssim)} (${pct}%: ${ssim(lo)}–${ssim(hi)}), ` +
    `${bytes(p.svg_bytes)} (${bytes(blo)}–${bytes(bhi)}), ${Math.round(p.paths)} paths`;
}

function axes(x, y) {
  const g = s('g', {class: 'axes', 'aria-hidden': 'true'});
  for (const v of x.ticks()) {
    g.append(s('line', {class: 'grid', x1: x(v), x2: x(v), y1: M.t, y2: H - M.b}),
      s('text', {x: x(v), y: H - M.b + 14, 'text-anchor': 'middle'}, bytes(v)));
  }
  for (const v of y.ticks()) {
    g.append(s('line', {class: 'grid', x1: M.l, x2: W - M.r, y1: y(v), y2: y(v)}),
      s('text', {x: M.l - 5, y: y(v) + 4, 'text-anchor': 'end'}, v.toFixed(y.decimals)));
  }
  g.append(s('text', {class: 'axis-label', x: (M.l + W - M.r) / 2, y: H - 4, 'text-anchor': 'middle'}, 'predicted SVG size (log scale)'),
    s('text', {class: 'axis-label', transform: `translate(12 ${(M.t + H - M.b) / 2}) rotate(-90)`, 'text-anchor': 'middle'}, 'predicted SSIM'));
  return g;
}

function legend() {
  const g = s('g', {class: 'legend', 'aria-hidden': 'true'});
  MODES.forEach((m, i) => {
    const lx = M.l + 6 + i * 104;
    g.append(s('circle', {class: `dot mode-${m}`, cx: lx, cy: 10, r: 4}), s('text', {x: lx + 8, y: 14}, `${m} mode`));
  });
  g.append(s('path', {class: 'real', d: `M${M.l + 318} 4l6 6l-6 6l-6 -6z`}), s('text', {x: M.l + 328, y: 14}, 'real conversion'));
  return g;
}

function logScale(lo, hi, a, b) {
  const f = (v) => a + (Math.log(v / lo) / Math.log(hi / lo)) * (b - a);
  f.ticks = () => {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) if (m * 10 ** e >= lo && m * 10 ** e <= hi) out.push(m * 10 ** e);
    }
    return out;
  };
  return f;
}

function linScale(lo, hi, a, b) {
  const f = (v) => a + ((v - lo) / (hi - lo || 1)) * (b - a);
  const step = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2].find((st) => (hi - lo) / st <= 6) ?? 0.2;
  f.decimals = step < 0.01 ? 3 : 2;
  f.ticks = () => {
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
    return out;
  };
  return f;
}
