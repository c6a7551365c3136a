// gen.mjs renders every svg/NAME.svg with resvg-js (resvg compiled natively,
// through Node's N-API: the outside oracle) to resvg-js/NAME.png, at the
// size of ref/NAME.png, fitted as host/resvg's fit.go fits it: resvg's
// fitTo {mode: "width"}, or {mode: "height"} when the SVG is relatively
// taller than the canvas by more than half a pixel, centred on a
// transparent canvas, cropped to it. No fonts are loaded (host/resvg loads
// none), so text renders as nothing in both.
// Run from the repository root after fixtures.sh:
//   (mkdir -p .cache/resvg && cd .cache/resvg && npm install @resvg/resvg-js@2.6.2 pngjs@7.0.0)
//   node host/resvg/testdata/agree/gen.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.cwd();
const here = path.join(root, 'host/resvg/testdata/agree');
const require = createRequire(path.join(root, '.cache/resvg/'));
const { Resvg } = require('@resvg/resvg-js');
const { PNG } = require('pngjs');

const options = (mode, value) => ({ fitTo: { mode, value }, font: { loadSystemFonts: false } });

// render returns the fitted render as a PNG of exactly width×height.
function render(svg, width, height) {
  let r = new Resvg(svg, options('width', width));
  if ((r.height * width) / r.width > height + 0.5) {
    r = new Resvg(svg, options('height', height));
  }
  const img = PNG.sync.read(r.render().asPng());
  if (img.width === width && img.height === height) {
    return PNG.sync.write(img);
  }
  const out = new PNG({ width, height }); // transparent
  const dx = Math.trunc((width - img.width) / 2), dy = Math.trunc((height - img.height) / 2);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const tx = x + dx, ty = y + dy;
      if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
      img.data.copy(out.data, 4 * (ty * width + tx), 4 * (y * img.width + x), 4 * (y * img.width + x + 1));
    }
  }
  return PNG.sync.write(out);
}

fs.mkdirSync(path.join(here, 'resvg-js'), { recursive: true });
const names = fs.readdirSync(path.join(here, 'svg')).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)).sort();
for (const name of names) {
  const ref = PNG.sync.read(fs.readFileSync(path.join(here, 'ref', name + '.png')));
  const svg = fs.readFileSync(path.join(here, 'svg', name + '.svg'));
  fs.writeFileSync(path.join(here, 'resvg-js', name + '.png'), render(svg, ref.width, ref.height));
}
console.log(`gen: ${names.length} renders in ${path.relative(root, path.join(here, 'resvg-js'))}`);
