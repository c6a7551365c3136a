// gen.mjs regenerates the rasterizer's reference fixtures:
//   vtracer/ICON--SET.svg  VTracer output for a real icon (testdata/icons) under a named parameter set;
//                          twemoji-1f680-256 is that emoji upscaled to 256 px (the benchmark input)
//   resvg/NAME.png         resvg's render of every vtracer/*.svg and handmade/*.svg at its native size
//   resvg-exact/NAME.png   the same painted with exact coverage: each path rendered alone by resvg at
//                          16x zoom, box-filtered to native size, and composited source-over in order
// Run from the repository root after `make setup`:
//   (mkdir -p .cache/resvg && cd .cache/resvg && npm install @resvg/resvg-js@2.6.2 pngjs@7.0.0)
//   node host/svgrender/testdata/gen.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.cwd();
const here = path.join(root, 'host/svgrender/testdata');
const require = createRequire(path.join(root, '.cache/resvg/'));
const { Resvg } = require('@resvg/resvg-js');
const { PNG } = require('pngjs');
const pkg = path.join(root, '.cache/npm/vtracer-wasm/package');
const { initSync, to_svg } = await import(path.join(pkg, 'vtracer.js'));
initSync({ module: fs.readFileSync(path.join(pkg, 'vtracer.wasm')) });

// User-level parameter sets (DESIGN.md: VTracer defaults and presets).
const base = { colormode: 'color', hierarchical: 'stacked', mode: 'spline', speckle: 4, precision: 6,
  layer: 16, corner: 60, length: 4, iterations: 10, splice: 45, pathPrecision: 2 };
const sets = {
  default: {},
  binary: { colormode: 'binary' },
  polygon: { mode: 'polygon' },
  pixel: { mode: 'none' },
  cutout: { hierarchical: 'cutout' },
  poster: { precision: 8 },
  photo: { speckle: 10, precision: 8, layer: 48, corner: 180 },
};
const fixtures = {
  'twemoji-1f600': ['default', 'binary', 'cutout', 'polygon'],
  'twemoji-1f680': ['default', 'pixel', 'photo'],
  'twemoji-1f34e': ['poster', 'cutout'],
  'twemoji-2764-fe0f': ['polygon'],
  'tabler-home': ['default'],
  'tabler-heart-filled': ['default'],
  'flag-gb': ['default', 'polygon'],
  'flag-jp': ['pixel'],
  'flag-br': ['default', 'cutout', 'binary'],
};

// internal converts user-level parameters to the wasm module's internal config
// (DESIGN.md: bits lost, speckle area, radians, "pixel" for mode none).
function internal(p) {
  const rad = (d) => (d * Math.PI) / 180;
  return {
    binary: p.colormode === 'binary', mode: p.mode === 'none' ? 'pixel' : p.mode, hierarchical: p.hierarchical,
    filterSpeckle: p.speckle * p.speckle, colorPrecision: 8 - p.precision, layerDifference: p.layer,
    cornerThreshold: rad(p.corner), lengthThreshold: p.length, maxIterations: p.iterations,
    spliceThreshold: rad(p.splice), pathPrecision: p.pathPrecision,
  };
}

// upscale resamples an RGBA image bilinearly (pixel centres aligned) so that the
// benchmark has a 256 px trace with the detail of a real emoji.
function upscale(img, size) {
  const out = new Uint8Array(size * size * 4);
  const s = img.width / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const fx = Math.min(Math.max((x + 0.5) * s - 0.5, 0), img.width - 1);
      const fy = Math.min(Math.max((y + 0.5) * s - 0.5, 0), img.height - 1);
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, img.width - 1), y1 = Math.min(y0 + 1, img.height - 1);
      const tx = fx - x0, ty = fy - y0;
      for (let c = 0; c < 4; c++) {
        const at = (xx, yy) => img.data[(yy * img.width + xx) * 4 + c];
        const top = at(x0, y0) * (1 - tx) + at(x1, y0) * tx;
        const bot = at(x0, y1) * (1 - tx) + at(x1, y1) * tx;
        out[(y * size + x) * 4 + c] = Math.round(top * (1 - ty) + bot * ty);
      }
    }
  }
  return { width: size, height: size, data: out };
}

function trace(img, set) {
  return to_svg(new Uint8Array(img.data), img.width, img.height, internal({ ...base, ...sets[set] }));
}

for (const [icon, names] of Object.entries(fixtures)) {
  const png = PNG.sync.read(fs.readFileSync(path.join(root, 'testdata/icons', icon + '.png')));
  for (const name of names) {
    fs.writeFileSync(path.join(here, 'vtracer', `${icon}--${name}.svg`), trace(png, name));
  }
}
{
  const png = PNG.sync.read(fs.readFileSync(path.join(root, 'testdata/icons/twemoji-1f680.png')));
  fs.writeFileSync(path.join(here, 'vtracer', 'twemoji-1f680-256--default.svg'), trace(upscale(png, 256), 'default'));
}

// resvg anti-aliases with 4x4 supersampling, so its native-size render is
// off by up to 1/8 of coverage at edges. Rendering each path alone at
// 16x zoom and box-filtering it down gives that path's coverage to within
// 1/256; compositing the layers in order then gives what an exact-coverage
// renderer paints, seams between abutting paths included.
const zoom = 16;

function render(svg, z) {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: z }, shapeRendering: 2, font: { loadSystemFonts: false } }).render();
}

// onlyPath hides every <path> but the k-th (visibility keeps groups, transforms and styles in place).
function onlyPath(svg, k) {
  let i = 0;
  return svg.replace(/<path\b/g, (m) => (i++ === k ? m : '<path visibility="hidden"'));
}

function exact(svg) {
  const n = (svg.match(/<path\b/g) || []).length;
  let w = 0, h = 0, acc = null;
  for (let k = 0; k < n; k++) {
    const img = render(onlyPath(svg, k), zoom);
    w = Math.round(img.width / zoom); h = Math.round(img.height / zoom);
    acc ??= new Float64Array(w * h * 4);
    const px = img.pixels; // premultiplied RGBA
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = [0, 0, 0, 0];
        for (let j = 0; j < zoom; j++) {
          let o = ((y * zoom + j) * img.width + x * zoom) * 4;
          for (let i = 0; i < zoom; i++, o += 4) {
            s[0] += px[o]; s[1] += px[o + 1]; s[2] += px[o + 2]; s[3] += px[o + 3];
          }
        }
        const a = s[3] / (255 * zoom * zoom);
        const o = (y * w + x) * 4;
        for (let c = 0; c < 3; c++) acc[o + c] = s[c] / (255 * zoom * zoom) + acc[o + c] * (1 - a);
        acc[o + 3] = a + acc[o + 3] * (1 - a);
      }
    }
  }
  const out = new PNG({ width: w, height: h });
  for (let o = 0; o < acc.length; o += 4) {
    const a = acc[o + 3];
    out.data[o + 3] = Math.round(a * 255);
    for (let c = 0; c < 3; c++) out.data[o + c] = a > 0 ? Math.min(255, Math.round((acc[o + c] / a) * 255)) : 0;
  }
  return PNG.sync.write(out);
}

for (const dir of ['vtracer', 'handmade']) {
  for (const f of fs.readdirSync(path.join(here, dir)).filter((f) => f.endsWith('.svg')).sort()) {
    const svg = fs.readFileSync(path.join(here, dir, f), 'utf8');
    const name = f.replace(/\.svg$/, '.png');
    fs.writeFileSync(path.join(here, 'resvg', name), render(svg, 1).asPng());
    fs.writeFileSync(path.join(here, 'resvg-exact', name), exact(svg));
  }
}
