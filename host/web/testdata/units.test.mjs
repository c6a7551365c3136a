// Unit tests of the page's pure modules, run with `node --test` by
// web_test.go. The browser test (tools/webtest) covers the rest.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {normalQuantile, pickForTarget, ssimInterval, sizeInterval, paramsKey} from '../static/js/pick.js';
import {crc32, zip} from '../static/js/zip.js';
import {commandLine, quote, svgName, zipSVGs} from '../static/js/export.js';

test('normalQuantile matches tabulated values', () => {
  for (const [p, z] of [[0.5, 0], [0.8, 0.8416212335729143], [0.975, 1.959963984540054], [0.01, -2.326347874040841], [0.999, 3.090232306167813]]) {
    assert.ok(Math.abs(normalQuantile(p) - z) < 1e-8, `z(${p}) = ${normalQuantile(p)}, want ${z}`);
  }
});

const pt = (ssim, confident, bytes) => ({ssim, confident_ssim: confident, svg_bytes: bytes, svg_bytes_log_sigma: 0.1, params: {bytes}});
const front = [pt(0.80, 0.70, 100), pt(0.90, 0.85, 200), pt(0.96, 0.93, 400), pt(0.97, 0.95, 800)];

test('pickForTarget takes the smallest point confidently reaching the target', () => {
  assert.deepEqual(pickForTarget(front, 0.85), {point: front[1], reachable: true});
  assert.deepEqual(pickForTarget(front, 0.86), {point: front[2], reachable: true});
  assert.deepEqual(pickForTarget(front, 0.5), {point: front[0], reachable: true});
});

test('pickForTarget takes the most faithful point when none reaches', () => {
  assert.deepEqual(pickForTarget(front, 0.99), {point: front[3], reachable: false});
});

test('intervals are central around the prediction', () => {
  const [lo, hi] = ssimInterval(front[1]);
  assert.ok(Math.abs(lo - 0.85) < 1e-12 && Math.abs(hi - 0.95) < 1e-12);
  const [blo, bhi] = sizeInterval(front[1], 0.8);
  assert.ok(Math.abs(Math.sqrt(blo * bhi) - 200) < 1e-9 && blo < 200 && bhi > 200);
});

test('paramsKey ignores the order of the keys', () => {
  assert.equal(paramsKey({a: 1, b: 'x'}), paramsKey({b: 'x', a: 1}));
  assert.notEqual(paramsKey({a: 1}), paramsKey({a: 2}));
});

test('crc32 is the IEEE CRC-32', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

test('zip writes stored entries whose directory points at them', async () => {
  const data = [new TextEncoder().encode('<svg/>'), new TextEncoder().encode('second')];
  const buf = new Uint8Array(await zip([{name: 'a.svg', data: data[0]}, {name: 'b é.svg', data: data[1]}], new Date(2026, 0, 2, 3, 4, 6)).arrayBuffer());
  const v = new DataView(buf.buffer);
  const end = buf.length - 22;
  assert.equal(v.getUint32(end, true), 0x06054b50);
  assert.equal(v.getUint16(end + 10, true), 2);
  let at = v.getUint32(end + 16, true);
  for (const d of data) {
    assert.equal(v.getUint32(at, true), 0x02014b50);
    assert.equal(v.getUint16(at + 8, true) & 0x0800, 0x0800, 'UTF-8 names');
    assert.equal(v.getUint32(at + 16, true), crc32(d));
    const local = v.getUint32(at + 42, true);
    assert.equal(v.getUint32(local, true), 0x04034b50);
    const nameLen = v.getUint16(local + 26, true);
    assert.deepEqual(buf.slice(local + 30 + nameLen, local + 30 + nameLen + d.length), d);
    at += 46 + v.getUint16(at + 28, true);
  }
});

test('zipSVGs makes names unique', async () => {
  const blob = zipSVGs([{name: 'a.svg', svg: '1'}, {name: 'a.svg', svg: '2'}, {name: 'a-2.svg', svg: '3'}]);
  const text = new TextDecoder('latin1').decode(await blob.arrayBuffer());
  for (const n of ['a.svg', 'a-2.svg', 'a-2-2.svg']) assert.ok(text.includes(n), n);
});

const spec = {
  parameters: [{name: 'colormode'}, {name: 'filter_speckle'}, {name: 'length_threshold'}],
  defaults: {colormode: 'color', filter_speckle: 4, length_threshold: 4},
  presets: [{name: 'bw', params: {colormode: 'binary', filter_speckle: 4, length_threshold: 4}}],
};

test('commandLine sets what differs from the preset or the defaults', () => {
  assert.equal(commandLine('logo.png', spec.defaults, '', spec), 'svgai convert logo.png -o logo.svg');
  assert.equal(commandLine('logo.png', {...spec.defaults, filter_speckle: 8, length_threshold: 3.5}, '', spec),
    'svgai convert logo.png -o logo.svg --set filter_speckle=8 --set length_threshold=3.5');
  assert.equal(commandLine('my logo.jpeg', {colormode: 'binary', filter_speckle: 2, length_threshold: 4}, 'bw', spec),
    "svgai convert 'my logo.jpeg' -o 'my logo.svg' --preset bw --set filter_speckle=2");
});

test('quote makes words safe for a POSIX shell', () => {
  assert.equal(quote('a-b_c.png'), 'a-b_c.png');
  assert.equal(quote("it's $HOME.png"), "'it'\\''s $HOME.png'");
  assert.equal(svgName('archive.tar.png'), 'archive.tar.svg');
  assert.equal(svgName('.png'), 'image.svg');
});
