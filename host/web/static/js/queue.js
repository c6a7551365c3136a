// The queue of images: one entry per image with its status (or the API's
// error), selection, removal, the worker that processes new images one at
// a time, and the ZIP of every SVG.

import {h, byId, bytes, ssim} from './dom.js';
import {download, svgName, zipSVGs} from './export.js';

const STATUS = {queued: 'Waiting', predicting: 'Predicting…', converting: 'Converting…', optimizing: 'Optimizing…'};

/** The queue in #queue; onSelect(item or null) runs when the selection changes. */
export function createQueue(onSelect) {
  const list = byId('queue'), zipButton = byId('zip');
  const items = [], entries = new Map();
  let selected = null, running = false;

  zipButton.onclick = () => {
    const done = items.filter((it) => it.result);
    download('svgai-svgs.zip', zipSVGs(done.map((it) => ({name: svgName(it.name), svg: it.result.svg}))));
  };

  function select(it) {
    selected = it;
    for (const [item, li] of entries) li.toggleAttribute('aria-current', item === it);
    onSelect(it);
  }

  function add(it) {
    items.push(it);
    const status = h('span', {class: 'status'});
    const li = h('li', {class: 'entry'},
      h('button', {type: 'button', class: 'pick-image', onclick: () => select(it)},
        h('img', {src: it.originalURL, alt: '', class: 'thumb', onerror: (e) => e.target.classList.add('broken')}), h('span', {class: 'name'}, it.name), status),
      h('button', {type: 'button', class: 'remove quiet', 'aria-label': `Remove ${it.name}`, onclick: () => remove(it)}, '×'));
    li.status = status;
    entries.set(it, li);
    list.append(li);
    update(it);
    run();
  }

  function remove(it) {
    const i = items.indexOf(it);
    items.splice(i, 1);
    entries.get(it).remove();
    entries.delete(it);
    it.dispose();
    if (selected === it) select(items[Math.min(i, items.length - 1)] ?? null);
    update();
  }

  /** Redraws an item's entry (and the ZIP button). */
  function update(it) {
    zipButton.disabled = !items.some((x) => x.result);
    const li = entries.get(it);
    if (!li) return;
    li.className = `entry ${it.status}`;
    li.status.textContent = it.status === 'error' ? it.error.message
      : it.result && it.status === 'done' ? `SSIM ${ssim(it.result.ssim ?? it.result.achieved_ssim)} · ${bytes(it.result.svg_bytes)}`
        : STATUS[it.status];
  }

  /** Processes new images one at a time, in order. */
  async function run() {
    if (running) return;
    running = true;
    for (let it; (it = items.find((x) => x.status === 'queued'));) await it.start();
    running = false;
  }

  return {add, select, update, get selected() { return selected; }};
}
