// One image's work: its predicted front, the conversions the page asks for
// (each cached by its parameters), or, without a predictor, the classic
// optimizer. Each Item calls its onchange after every step.

import * as api from './api.js';
import {pickForTarget, paramsKey} from './pick.js';

let nextID = 1;

/** An image in the queue and everything the page learned about it. */
export class Item {
  constructor(file, target, onchange) {
    this.id = nextID++;
    this.file = file;
    this.originalURL = URL.createObjectURL(file);
    this.target = target; // the target SSIM the slider set for it
    this.mode = 'target'; // or 'manual'
    this.status = 'queued'; // predicting, converting, optimizing, done, error
    this.error = null; // an ApiError about the image: nothing works on it
    this.front = null; // the /v1/frontier response
    this.frontError = null; // why there is no front (an ApiError)
    this.point = null; // the front's point behind the shown result
    this.reachable = true; // whether the point was picked for a target it reaches
    this.preset = ''; // the preset of a manual conversion
    this.result = null; // the shown /v1/convert or /v1/optimize response
    this.svgURL = null; // the shown SVG as a blob: URL
    this.requestError = null; // the last request's error, when an earlier result stays shown
    this.cache = new Map(); // paramsKey, or "optimize TARGET" → {result, svgURL}
    this.predictions = new Map(); // paramsKey → the /v1/predict prediction (undefined: asked; null: failed)
    this.measured = false; // whether its first SVG on screen was timed (main.js)
    this.firstSVGms = null; // that time from the drop, milliseconds
    this.onchange = onchange;
    this.controller = null;
  }

  get name() { return this.file.name; }

  /** Predicts the front (or learns why not), then converts the point for the target. */
  async start() {
    this.set({status: 'predicting'});
    try {
      this.front = await api.frontier(this.file);
    } catch (err) {
      if (err.aboutImage) return this.set({status: 'error', error: err});
      this.frontError = err;
    }
    return this.toTarget();
  }

  /** Converts what the target asks for: the front's pick, or the classic optimizer's choice. */
  async toTarget() {
    this.mode = 'target';
    if (!this.front) return this.optimize();
    const {point, reachable} = pickForTarget(this.front.points, this.target);
    return this.convert(point.params, {point, reachable});
  }

  /** Converts params (from point, or the manual controls with preset); resolves to the result or null. */
  async convert(params, {point = null, reachable = true, preset = ''} = {}) {
    const key = paramsKey(params);
    const hit = this.cache.get(key);
    if (hit) {
      this.abort();
      return this.show(hit, {point, reachable, preset});
    }
    const signal = this.begin('converting');
    try {
      const entry = this.keep(key, await api.convert(this.file, {params}, signal));
      return this.show(entry, {point, reachable, preset});
    } catch (err) {
      return this.failed(err, signal);
    }
  }

  /** Asks for the prediction of params (manual mode) when a predictor serves this image. */
  async predict(params) {
    const key = paramsKey(params);
    if (!this.front || this.predictions.has(key)) return;
    this.predictions.set(key, undefined);
    const r = await api.predict(this.file, [params]).catch(() => null);
    this.predictions.set(key, r?.predictions[0] ?? null);
  }

  /** The prediction of params, once predict has it (null: none to be had). */
  predicted(params) {
    return this.predictions.get(paramsKey(params));
  }

  /** Runs POST /v1/optimize for the target (no front: no predictor). */
  async optimize() {
    const key = `optimize ${this.target}`;
    if (this.cache.has(key)) {
      this.abort();
      return this.show(this.cache.get(key), {reachable: this.cache.get(key).result.reachable});
    }
    const signal = this.begin('optimizing');
    try {
      const entry = this.keep(key, await api.optimize(this.file, this.target, signal));
      return this.show(entry, {reachable: entry.result.reachable});
    } catch (err) {
      return this.failed(err, signal);
    }
  }

  /** Caches a response under key with its SVG as a blob: URL. */
  keep(key, result) {
    const entry = {result, svgURL: URL.createObjectURL(new Blob([result.svg], {type: 'image/svg+xml'}))};
    this.cache.set(key, entry);
    return entry;
  }

  begin(status) {
    this.abort();
    this.controller = new AbortController();
    this.set({status});
    return this.controller.signal;
  }

  abort() {
    this.controller?.abort();
    this.controller = null;
  }

  show({result, svgURL}, {point = null, reachable = true, preset = ''}) {
    this.set({status: 'done', result, svgURL, point, reachable, preset, requestError: null});
    return result;
  }

  failed(err, signal) {
    if (signal.aborted) return null; // a newer request took over
    // A bad image fails every request; a bad parameter only this one.
    if (err.aboutImage && !this.result) this.set({status: 'error', error: err});
    else this.set({status: this.result ? 'done' : 'error', requestError: err, error: this.result ? null : err});
    return null;
  }

  set(fields) {
    Object.assign(this, fields);
    this.onchange(this);
  }

  /** Frees the blob: URLs. */
  dispose() {
    this.abort();
    URL.revokeObjectURL(this.originalURL);
    for (const {svgURL} of this.cache.values()) URL.revokeObjectURL(svgURL);
  }
}
