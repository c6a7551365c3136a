// Taking a result away: the SVG as a file or on the clipboard, a ZIP of a
// batch, and the parameters as JSON and as the `svgai convert` command
// line that makes the same SVG.

import {zip} from './zip.js';

/** The SVG's file name for an image's: logo.png → logo.svg. */
export const svgName = (imageName) => `${imageName.replace(/\.[^./]*$/, '') || 'image'}.svg`;

/**
 * The `svgai convert` command line (host/cmd/svgai/convert.go's flags)
 * making the same SVG: --preset when one was chosen, then --set for each
 * parameter that differs from the preset (or VTracer's defaults).
 */
export function commandLine(imageName, params, presetName, spec) {
  const base = presetName ? spec.presets.find((p) => p.name === presetName).params : spec.defaults;
  const args = ['svgai', 'convert', quote(imageName), '-o', quote(svgName(imageName))];
  if (presetName) args.push('--preset', presetName);
  for (const p of spec.parameters) {
    if (params[p.name] !== base[p.name]) args.push('--set', `${p.name}=${params[p.name]}`);
  }
  return args.join(' ');
}

/** A word for a POSIX shell: as it is when safe, else in single quotes. */
export function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Saves blob as a download named name. */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The SVG text as a Blob. */
export const svgBlob = (svg) => new Blob([svg], {type: 'image/svg+xml'});

/** A ZIP of [{name, svg}], names made unique (logo.svg, logo-2.svg, …). */
export function zipSVGs(items) {
  const enc = new TextEncoder(), used = new Set();
  return zip(items.map(({name, svg}) => {
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = name.replace(/(\.svg)?$/, `-${n}.svg`);
    used.add(unique);
    return {name: unique, data: enc.encode(svg)};
  }));
}
