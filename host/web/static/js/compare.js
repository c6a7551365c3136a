// The comparison of an original and its SVG: side by side, as a swipe
// overlay, or as a difference image, in viewports that share one zoom and
// pan. Zoom goes down to single pixels (64×, the raster drawn pixelated);
// the SVG is drawn at each zoom by the browser, so it stays sharp.
// Mouse: wheel zooms at the pointer, dragging pans (on the swipe line, it
// moves the line). Keyboard, on a focused viewport: + and − zoom, 0 fits,
// 1 is 1:1, the arrow keys pan.

import {byId, tabs} from './dom.js';
import {drawDifference} from './diff.js';

const MAX_ZOOM = 64;

export function createCompare() {
  const root = byId('compare');
  const viewports = [...root.querySelectorAll('.viewport')];
  const originals = [...root.querySelectorAll('img.original')];
  const svgs = [...root.querySelectorAll('img.svg')];
  const swipe = byId('swipe'), swipeView = byId('swipe-view'), diffCanvas = byId('diff'), diffStats = byId('diff-stats');
  const level = byId('zoom-level');
  let shown = null, z = 1, tx = 0, ty = 0, fitted = true, view = 'side', diffFor = null;

  const visible = () => viewports.find((v) => v.offsetParent !== null) ?? viewports[0];
  const apply = () => {
    if (!shown) return;
    for (const st of root.querySelectorAll('.stage')) {
      st.style.width = `${shown.width * z}px`;
      st.style.height = `${shown.height * z}px`;
      st.style.transform = `translate(${tx}px, ${ty}px)`;
    }
    root.classList.toggle('pixels', z > 1);
    level.value = `${z >= 10 ? Math.round(z) : +z.toFixed(2)}×`;
  };
  const fit = () => {
    const v = visible();
    if (!shown || !v.clientWidth) return;
    z = Math.min(MAX_ZOOM, (v.clientWidth - 16) / shown.width, (v.clientHeight - 16) / shown.height);
    tx = (v.clientWidth - shown.width * z) / 2;
    ty = (v.clientHeight - shown.height * z) / 2;
    fitted = true;
    apply();
  };
  /** Zooms by factor f keeping the viewport point (px, py) still (default: the centre). */
  const zoom = (f, px, py) => {
    const v = visible();
    px ??= v.clientWidth / 2;
    py ??= v.clientHeight / 2;
    const nz = Math.min(MAX_ZOOM, Math.max(0.05, z * f));
    tx = px - ((px - tx) * nz) / z;
    ty = py - ((py - ty) * nz) / z;
    z = nz;
    fitted = false;
    apply();
  };
  const pan = (dx, dy) => { tx += dx; ty += dy; fitted = false; apply(); };

  byId('zoom-in').onclick = () => zoom(2);
  byId('zoom-out').onclick = () => zoom(0.5);
  byId('zoom-fit').onclick = fit;
  byId('zoom-1').onclick = () => zoom(1 / z);
  for (const v of viewports) wire(v);
  tabs(byId('compare-tabs'), (tab) => {
    view = tab.dataset.view;
    if (fitted) fit();
    if (view === 'diff') difference();
  });
  swipe.oninput = () => swipeView.style.setProperty('--swipe', `${swipe.value}%`);
  new ResizeObserver(() => { if (fitted) fit(); }).observe(root);

  function wire(v) {
    v.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = v.getBoundingClientRect();
      zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
    }, {passive: false});
    v.addEventListener('pointerdown', (e) => {
      const r = v.getBoundingClientRect();
      const onLine = v === swipeView && Math.abs(e.clientX - r.left - (swipe.value / 100) * r.width) < 10;
      let x = e.clientX, y = e.clientY;
      v.setPointerCapture(e.pointerId);
      const move = (m) => {
        if (onLine) {
          swipe.value = Math.round(((m.clientX - r.left) / r.width) * 100);
          swipe.oninput();
        } else pan(m.clientX - x, m.clientY - y);
        x = m.clientX;
        y = m.clientY;
      };
      v.addEventListener('pointermove', move);
      v.addEventListener('pointerup', () => v.removeEventListener('pointermove', move), {once: true});
    });
    v.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? 100 : 20;
      const act = {'+': () => zoom(2), '=': () => zoom(2), '-': () => zoom(0.5), '0': fit, '1': () => zoom(1 / z),
        ArrowLeft: () => pan(step, 0), ArrowRight: () => pan(-step, 0), ArrowUp: () => pan(0, step), ArrowDown: () => pan(0, -step)}[e.key];
      if (!act) return;
      e.preventDefault();
      act();
    });
  }

  async function difference() {
    if (!shown || diffFor === shown.svgURL) return;
    diffFor = shown.svgURL;
    diffStats.textContent = 'Computing the difference…';
    await Promise.all([originals[0].decode(), svgs[0].decode()]).catch(() => {});
    if (diffFor !== shown?.svgURL) return;
    const {mean, share} = drawDifference(diffCanvas, originals[0], svgs[0], shown.width, shown.height);
    diffStats.textContent = `Mean absolute difference ${mean.toFixed(1)} of 255 per channel; ` +
      `${(share * 100).toFixed(1)}% of pixels differ by more than 32 (as this browser renders the SVG, both over white).`;
  }

  /**
   * Shows {originalURL, svgURL, width, height} (null: nothing; no width:
   * the original's own). Resolves once the SVG is decoded and in place.
   */
  async function show(pair) {
    const newImage = pair?.originalURL !== shown?.originalURL;
    root.classList.toggle('empty', !pair);
    shown = pair;
    if (!pair) return;
    for (const img of originals) setSource(img, pair.originalURL);
    for (const img of svgs) setSource(img, pair.svgURL);
    if (!pair.width) {
      await originals[0].decode().catch(() => {});
      if (shown !== pair) return;
      shown = {...pair, width: originals[0].naturalWidth || 1, height: originals[0].naturalHeight || 1};
    }
    if (newImage) fit(); else apply();
    await svgs[0].decode().catch(() => {});
    if (view === 'diff') difference();
  }

  return {show};
}

function setSource(img, url) {
  if (!url) img.removeAttribute('src');
  else if (img.src !== url) img.src = url;
}
