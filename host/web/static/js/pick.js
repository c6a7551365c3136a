// Choosing a point of the predicted front (POST /v1/frontier) and the
// uncertainty drawn around each point.

/**
 * The point the optimizer would convert for target: the smallest predicted
 * SVG whose confident_ssim (the SSIM reached with probability
 * min_confidence) reaches the target. Points come sorted by predicted size.
 * When none does, the target is out of reach and, as the optimizer does,
 * the point with the highest predicted SSIM is taken.
 */
export function pickForTarget(points, target) {
  const point = points.find((p) => p.confident_ssim >= target);
  if (point) return {point, reachable: true};
  return {point: points.reduce((a, b) => (b.ssim > a.ssim ? b : a)), reachable: false};
}

/**
 * The central interval of a point's SSIM whose lower end is confident_ssim:
 * the error distribution is symmetric (Student-t or normal around ssim), so
 * it spans [confident_ssim, 2·ssim − confident_ssim] and holds the real SSIM
 * with probability 2·min_confidence − 1.
 */
export function ssimInterval(p) {
  return [p.confident_ssim, 2 * p.ssim - p.confident_ssim];
}

/**
 * The same central interval for the SVG size, whose logarithm is normal
 * around ln(svg_bytes) with standard deviation svg_bytes_log_sigma.
 */
export function sizeInterval(p, minConfidence) {
  const z = normalQuantile(minConfidence) * p.svg_bytes_log_sigma;
  return [p.svg_bytes * Math.exp(-z), p.svg_bytes * Math.exp(z)];
}

/**
 * The standard normal quantile, by P. J. Acklam's rational approximation
 * (relative error below 1.2e-9 over (0, 1)).
 */
export function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** A key naming a parameter set: its canonical JSON (the API's field order). */
export const paramsKey = (params) => JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
