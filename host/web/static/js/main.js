// svgai's web page: images in, the predicted trade-off, the real SVG,
// comparison and export. It talks to `svgai serve`'s REST API only.

import * as api from './api.js';
import {byId, debounce, tabs} from './dom.js';
import {createPlot} from './plot.js';
import {createCompare} from './compare.js';
import {createManual} from './manual.js';
import {pickForTarget} from './pick.js';
import {createQueue} from './queue.js';
import {createResults} from './results.js';
import {initTheme} from './theme.js';
import {Item} from './work.js';

initTheme(byId('theme'));
const spec = await api.parameters().catch((err) => {
  byId('server').textContent = `The server did not describe VTracer's parameters: ${err.message}`;
  throw err;
});
showServer();

const target = byId('target');
const targetValue = byId('target-value');
const DESCRIBE_PLOT = byId('plot-caption').textContent;
let shownPlot = null; // the item whose plot the caption describes
const compare = createCompare();
const results = createResults(spec);
const plot = createPlot(byId('plot'), (text) => { byId('plot-caption').textContent = text; }, (point) => {
  const it = queue.selected;
  if (it) it.convert(point.params, {point, reachable: point.confident_ssim >= it.target});
});
const reconvert = debounce(() => {
  const it = queue.selected;
  if (!it || it.mode !== 'manual') return render(it);
  const {preset, params} = manual.values();
  it.convert(params, {preset}).then((r) => {
    if (!r && it.requestError) manual.showError(it.requestError);
    if (r) it.predict(r.params).then(() => render(it)); // the predicted column, when a predictor serves
  });
}, 300);
const manual = createManual(spec, () => { reconvert(); busy(queue.selected); });
const queue = createQueue(onSelect);
const selectMode = tabs(byId('mode-tabs'), (tab) => {
  const it = queue.selected;
  if (!it) return;
  if (tab.dataset.mode === 'manual') {
    it.mode = 'manual';
    manual.set(it.result?.params ?? spec.defaults, it.preset);
  } else {
    it.toTarget();
  }
});

const retarget = debounce((it) => {
  if (it.status !== 'error') it.toTarget();
  else render(it);
}, 200);
wireInput();
target.addEventListener('input', () => {
  const it = queue.selected;
  targetValue.value = Number(target.value).toFixed(3);
  if (!it) return;
  it.target = Number(target.value);
  retarget(it);
  if (it.front) render(it, pickForTarget(it.front.points, it.target).point); // the ring moves at once
  else busy(it);
});

/** Marks the work area busy (aria-busy) while a change waits or a request runs. */
function busy(it) {
  const waiting = retarget.pending() || reconvert.pending() || ['queued', 'predicting', 'converting', 'optimizing'].includes(it?.status);
  byId('work').setAttribute('aria-busy', waiting);
}

/** Adds files to the queue and selects the first of them. */
function add(files, how) {
  const added = [...files].map((file) => {
    const it = new Item(file, Number(target.value), (item) => { queue.update(item); if (item === queue.selected) render(item); });
    performance.mark(`svgai:drop:${it.id}`, {detail: how});
    return it;
  });
  for (const it of added) queue.add(it);
  if (added.length) queue.select(added[0]);
}

function onSelect(it) {
  target.value = it?.target ?? target.value;
  targetValue.value = Number(target.value).toFixed(3);
  if (it) {
    selectMode(byId(it.mode === 'manual' ? 'tab-manual' : 'tab-target'), false);
    if (it.mode === 'manual' && it.result) manual.set(it.result.params, it.preset);
  }
  render(it);
}

/** Shows the selected item; point, when given, is the one the slider is about to convert. */
function render(it, point = it?.point) {
  byId('work').classList.toggle('empty', !it);
  byId('work').classList.toggle('failed', !!it?.error && !it.result);
  busy(it);
  byId('work-h').textContent = it ? it.name : 'No image yet';
  const imageError = byId('image-error');
  imageError.hidden = !it?.error || !!it.result;
  if (it?.error) imageError.textContent = `This image cannot be converted: ${it.error.message} (${it.error.code}, HTTP ${it.error.status})`;
  renderPlot(it, point);
  results.render(it);
  const size = it?.result?.width ? it.result : it?.front; // an optimize response has no size
  compare.show(it?.result ? {originalURL: it.originalURL, svgURL: it.svgURL, width: size?.width, height: size?.height} : null)
    .then(() => measure(it));
}

function renderPlot(it, point) {
  const missing = byId('plot-missing'), pick = byId('pick');
  const untrained = it?.front?.model?.untrained;
  missing.hidden = !it?.frontError && !untrained;
  byId('plot-figure').hidden = !it?.front;
  if (it?.frontError) {
    missing.textContent = `No predicted plot (${it.frontError.code}): ${it.frontError.message}. ` +
      'Without it, the classic search looks for the target with real conversions only.';
  } else if (untrained) {
    missing.textContent = "The predictor's model is untrained: the plot's predictions mean nothing.";
  }
  if (it !== shownPlot) byId('plot-caption').textContent = DESCRIBE_PLOT;
  shownPlot = it;
  pick.textContent = '';
  if (!it?.front) return plot.clear();
  plot.draw(it.front, {target: it.target, picked: point, real: point === it.point && it.result?.ssim !== undefined ? it.result : null});
  if (it.mode === 'target' && point) {
    pick.textContent = it.reachable
      ? `Picked the smallest predicted SVG whose SSIM reaches ${it.target.toFixed(3)} with ${Math.round(it.front.min_confidence * 100)}% confidence.`
      : `No parameter set is predicted to reach ${it.target.toFixed(3)}; showing the one predicted most faithful.`;
  }
}

/** Measures, once per image, the time from its drop to its first SVG on screen. */
function measure(it) {
  if (!it?.svgURL || it.measured) return;
  it.measured = true;
  requestAnimationFrame(() => {
    const m = performance.measure('svgai:drop-to-first-svg', {start: `svgai:drop:${it.id}`, detail: {image: it.name}});
    results.timing(it, m.duration);
  });
}

function wireInput() {
  const drop = byId('drop'), files = byId('files');
  files.addEventListener('change', () => { add([...files.files], 'chooser'); files.value = ''; });
  for (const el of [drop, document.body]) {
    el.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    el.addEventListener('dragleave', () => drop.classList.remove('over'));
    el.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      drop.classList.remove('over');
      add([...e.dataTransfer.files], 'drop');
    });
  }
}

async function showServer() {
  const el = byId('server');
  try {
    const h = await api.health();
    const pred = h.plugin.state === 'serving' || h.plugin.state === 'starting'
      ? `predictor ${h.plugin.state}`
      : `predictor off (${h.plugin.reason ?? h.plugin.state}): no predicted plots`;
    el.textContent = `${h.tracer.version}; ${pred}; ${spec.candidates} candidate parameter sets`;
  } catch (err) {
    el.textContent = `Cannot reach svgai serve: ${err.message}`;
  }
}
