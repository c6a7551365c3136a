// The difference view: where the SVG, as the browser renders it, differs
// from the original. Both are composited over white first, as svgai's
// metrics compare them (docs/metrics.md).

/** Pixels of img drawn over white at w×h. */
function pixels(img, w, h) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext('2d', {willReadFrequently: true});
  g.fillStyle = '#fff';
  g.fillRect(0, 0, w, h);
  g.drawImage(img, 0, 0, w, h);
  return g.getImageData(0, 0, w, h).data;
}

/**
 * Draws into canvas (resized to w×h) the per-pixel difference of two
 * decoded images: the original faded to a light grey, and over it, in red,
 * each pixel's largest channel difference (full red at 96 of 255 or more).
 * Returns {mean, share}: the mean absolute difference over the RGB
 * channels (0–255) and the share of pixels differing by more than 32 in
 * some channel.
 */
export function drawDifference(canvas, original, svg, w, h) {
  const a = pixels(original, w, h), b = pixels(svg, w, h);
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  const out = g.createImageData(w, h);
  let sum = 0, differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    const dr = Math.abs(a[i] - b[i]), dg = Math.abs(a[i + 1] - b[i + 1]), db = Math.abs(a[i + 2] - b[i + 2]);
    const d = Math.max(dr, dg, db);
    sum += dr + dg + db;
    if (d > 32) differing++;
    const grey = 190 + ((a[i] * 0.299 + a[i + 1] * 0.587 + a[i + 2] * 0.114) * 65) / 255;
    const t = Math.min(1, d / 96);
    out.data[i] = grey + (220 - grey) * t;
    out.data[i + 1] = grey * (1 - t);
    out.data[i + 2] = grey * (1 - t) + 40 * t;
    out.data[i + 3] = 255;
  }
  g.putImageData(out, 0, 0);
  const n = w * h;
  return {mean: sum / (3 * n), share: differing / n};
}
