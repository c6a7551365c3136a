// oracle.mjs runs vtracer-wasm through the npm package's own JavaScript glue
// (vtracer.js), so that Go tests can compare the wazero host with the
// reference host (V8) byte for byte, and benchmarks can time both.
//
// Usage: node oracle.mjs GLUE.js MODULE.wasm MANIFEST.json
//
// The manifest, written by the Go test:
//   {"warmup": 0, "repeat": 1,
//    "jobs": [{"rgba": "a.rgba", "width": 64, "height": 64,
//              "config": {...}, "out": "a.svg"}]}
// rgba holds width*height*4 bytes of non-premultiplied RGBA; config is the
// module's own configuration object, passed to to_svg as is. Each job's SVG
// (first round only) goes to `out`, or its error to `out + ".err"`.
// stdout gets a JSON summary of the timed rounds:
//   {"conversions": N, "ms_per_conversion": X}
// where time is measured around to_svg only, after `warmup` untimed
// conversions.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const [gluePath, wasmPath, manifestPath] = process.argv.slice(2);
if (!manifestPath) {
  process.stderr.write('usage: node oracle.mjs GLUE.js MODULE.wasm MANIFEST.json\n');
  process.exit(2);
}
const { initSync, to_svg } = await import(pathToFileURL(gluePath).href);

// The module's panic hook reports through console.error; keep the report
// for the error file instead of printing it.
let report = '';
console.error = (...args) => { report = args.map(String).join(' '); };

initSync({ module: fs.readFileSync(wasmPath) });

const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const jobs = manifest.jobs.map((j) => ({ ...j, pixels: new Uint8Array(fs.readFileSync(j.rgba)) }));

function convert(job) {
  report = '';
  try {
    return { svg: to_svg(job.pixels, job.width, job.height, job.config) };
  } catch (e) {
    return { err: `${e}${report ? ': ' + report : ''}` };
  }
}

for (let i = 0; i < (manifest.warmup ?? 0); i++) {
  convert(jobs[i % jobs.length]);
}
let n = 0;
let ms = 0;
for (let r = 0; r < (manifest.repeat ?? 1); r++) {
  for (const job of jobs) {
    const t0 = performance.now();
    const res = convert(job);
    ms += performance.now() - t0;
    n++;
    if (r === 0 && job.out) {
      if (res.err !== undefined) fs.writeFileSync(job.out + '.err', res.err);
      else fs.writeFileSync(job.out, res.svg);
    }
  }
}
process.stdout.write(JSON.stringify({ conversions: n, ms_per_conversion: n ? ms / n : 0 }) + '\n');
