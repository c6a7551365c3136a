// The selected image's result: predicted against real SSIM, size and path
// count, the request errors, and the ways to take the SVG away.

import {byId, bytes, ssim} from './dom.js';
import {ssimInterval, sizeInterval} from './pick.js';
import {commandLine, download, svgBlob, svgName} from './export.js';

/** The results panel; spec is the /v1/parameters response. */
export function createResults(spec) {
  let current = null;
  const cells = Object.fromEntries(['pred-ssim', 'pred-size', 'pred-paths', 'real-ssim', 'real-size', 'real-paths'].map((id) => [id, byId(id)]));
  const copied = byId('copied');

  byId('download').onclick = () => download(svgName(current.name), svgBlob(current.result.svg));
  byId('copy-svg').onclick = async () => {
    try {
      await navigator.clipboard.writeText(current.result.svg);
      copied.textContent = 'SVG copied.';
    } catch (err) {
      copied.textContent = `Could not copy: ${err.message}`;
    }
  };

  function render(it) {
    current = it;
    const r = it?.result;
    byId('download').disabled = byId('copy-svg').disabled = !r;
    copied.textContent = '';
    const p = it?.point && it.mode !== 'manual' && r?.ssim !== undefined ? it.point : null;
    const minConf = it?.front?.min_confidence;
    const m = it?.mode === 'manual' && r ? it.predicted(r.params) : null; // no interval from /v1/predict
    byId('pred-head').textContent = p ? `Predicted (${Math.round((2 * minConf - 1) * 100)}% interval)` : 'Predicted';
    cells['pred-ssim'].textContent = p ? `${ssim(p.ssim)} (${ssimInterval(p).map(ssim).join('–')})`
      : m ? ssim(m.ssim) : r?.predicted_ssim != null ? ssim(r.predicted_ssim) : '—';
    cells['pred-size'].textContent = p ? `${bytes(p.svg_bytes)} (${sizeInterval(p, minConf).map(bytes).join('–')})`
      : m ? bytes(m.svg_bytes) : r?.predicted_svg_bytes != null ? bytes(r.predicted_svg_bytes) : '—';
    cells['pred-paths'].textContent = p ? Math.round(p.paths) : m ? Math.round(m.paths) : '—';
    cells['real-ssim'].textContent = r ? ssim(r.ssim ?? r.achieved_ssim) : it?.status === 'error' ? '—' : '…';
    cells['real-size'].textContent = r ? bytes(r.svg_bytes) : '';
    cells['real-paths'].textContent = r ? r.paths ?? countPaths(r.svg) : '';
    byId('results-caption').textContent = caption(it, p);
    const reqErr = byId('request-error');
    reqErr.hidden = !(it?.requestError && it.result) || it.mode === 'manual'; // manual mode shows it beside the field
    if (!reqErr.hidden) reqErr.textContent = `The last request failed: ${it.requestError.message} (${it.requestError.code}); the previous SVG stays.`;
    byId('params-json').value = r ? JSON.stringify(r.params, null, 1) : '';
    byId('command').value = r ? commandLine(it.name, r.params, it.mode === 'manual' ? it.preset : '', spec) : '';
  }

  function caption(it, p) {
    const r = it?.result;
    if (!r) return it?.status === 'error' ? 'No result' : 'Working…';
    const busy = it.status !== 'done' ? ' (updating…)' : '';
    if (r.achieved_ssim !== undefined) {
      return `Classic search: ${r.conversions} real conversions, target ${r.met_target ? 'met' : 'not met'}${busy}`;
    }
    const timing = it.firstSVGms ? `; first SVG ${Math.round(it.firstSVGms)} ms after the drop` : '';
    return `${p || it.predicted(r.params) ? 'Predicted and real' : 'Real'}: VTracer ${Math.round(r.ms)} ms, scoring ${Math.round(r.metric_ms)} ms${timing}${busy}`;
  }

  /** Records the time from an image's drop to its first SVG on screen. */
  function timing(it, ms) {
    it.firstSVGms = ms;
    if (it === current) byId('results-caption').textContent = caption(it, it.point);
  }

  return {render, timing};
}

/** The <path> elements of an SVG (an optimize response does not count them). */
function countPaths(svg) {
  return new DOMParser().parseFromString(svg, 'image/svg+xml').getElementsByTagName('path').length;
}
