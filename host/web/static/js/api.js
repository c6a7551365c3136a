// The REST API of `svgai serve` (host/api/openapi.json), the page's only
// source of data. Every call resolves to the decoded JSON body or rejects
// with an ApiError carrying the API's {code, message}.

/** An API error: HTTP status, the API's stable code and its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Whether the error is about the image itself (nothing else will work on it). */
  get aboutImage() {
    return [413, 415].includes(this.status) ||
      ['corrupt_image', 'image_too_small', 'conversion_failed', 'missing_image'].includes(this.code);
  }
}

async function call(path, {method = 'GET', body, signal} = {}) {
  let resp;
  try {
    resp = await fetch(path, {method, body, signal, cache: 'no-store'});
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', `the server did not answer (${err.message}); is svgai serve running?`);
  }
  let data;
  try {
    data = await resp.json();
  } catch {
    throw new ApiError(resp.status, 'bad_response', `the server answered ${resp.status} with a body that is not JSON`);
  }
  if (!resp.ok) {
    const e = data.error ?? {};
    throw new ApiError(resp.status, e.code ?? 'unknown', e.message ?? `HTTP ${resp.status}`);
  }
  return data;
}

/** An upload: the image file in part "image", options as JSON in part "options". */
function upload(file, options) {
  const form = new FormData();
  form.append('image', file, file.name);
  if (options) form.append('options', JSON.stringify(options));
  return form;
}

/** GET /v1/parameters: the eleven parameters, defaults and presets. */
export const parameters = () => call('/v1/parameters');

/** GET /v1/health: tracer and predictor state. */
export const health = () => call('/v1/health');

/** POST /v1/frontier: the predicted quality-versus-size front. */
export const frontier = (file, signal) => call('/v1/frontier', {method: 'POST', body: upload(file), signal});

/** POST /v1/predict with parameter sets: a prediction for each. */
export const predict = (file, params, signal) =>
  call('/v1/predict', {method: 'POST', body: upload(file, {params}), signal});

/** POST /v1/convert with {preset?, params}: one real conversion, measured. */
export const convert = (file, options, signal) =>
  call('/v1/convert', {method: 'POST', body: upload(file, options), signal});

/** POST /v1/optimize: parameters for a target SSIM, verified by real conversions. */
export const optimize = (file, targetSSIM, signal) =>
  call('/v1/optimize', {method: 'POST', body: upload(file, {target_ssim: targetSSIM}), signal});
