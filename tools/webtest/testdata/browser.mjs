// The web page's end-to-end test, run by browser_test.go: headless Chromium
// (Debian's, driven by playwright-core) against two real `svgai serve`s,
// one with the plugin and a trained model, one without a predictor.
// Usage: node browser.mjs CONFIG.json. It prints one JSON object of what it
// measured and saved, and exits 1 after the first failed check. Any console
// error, uncaught exception, unexpected API error or request leaving
// 127.0.0.1 fails it.

import {chromium} from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// cfg: {chromium, url, urlNoPlugin, logos: [paths], icons: [paths], notImage, truncated, shots, out}
const result = {firstSVG: [], shots: []};
const problems = [];
const check = (ok, what) => { if (!ok) throw new Error(`check failed: ${what}`); };

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'svgai-chromium-'));
const ctx = await chromium.launchPersistentContext(userData, {
  executablePath: cfg.chromium, headless: true, acceptsDownloads: true, colorScheme: 'light',
  viewport: {width: 1366, height: 768}, permissions: ['clipboard-read', 'clipboard-write'],
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
await ctx.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.hostname === '127.0.0.1') return route.continue();
  problems.push(`request left 127.0.0.1: ${url}`);
  return route.abort();
});

// Every SVG /v1/convert returned, by its parameters' JSON.
const svgs = new Map();

// API errors the current step provokes on purpose: "STATUS /v1/path".
let expected = new Set();
const expect = (...errors) => { expected = new Set(errors); };

try {
  await withPage(cfg.url, withPredictor);
  await withPage(cfg.urlNoPlugin, withoutPredictor);
} catch (err) {
  problems.push(err.stack ?? String(err));
} finally {
  await ctx.close();
  fs.rmSync(userData, {recursive: true, force: true});
}
result.problems = problems;
console.log(JSON.stringify(result, null, 1));
process.exit(problems.length ? 1 : 0);

async function withPage(url, steps) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', async (r) => {
    const {pathname} = new URL(r.url());
    if (r.status() >= 400 && !expected.has(`${r.status()} ${pathname}`)) problems.push(`unexpected ${r.status()} from ${pathname}`);
    if (r.ok() && pathname === '/v1/convert') {
      const body = await r.json();
      svgs.set(JSON.stringify(body.params), body.svg);
    }
  });
  page.on('console', (m) => {
    // Chrome logs every error response as a console error: those the step expects are fine.
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())?.[1];
    const where = m.location().url ? new URL(m.location().url).pathname : '';
    if (m.type() === 'error' && !(status && expected.has(`${status} ${where}`))) problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  await page.goto(url);
  await steps(page);
  await page.close();
}

async function withPredictor(page) {
  await page.waitForFunction(() => /predictor serving/.test(document.getElementById('server').textContent));
  await labelled(page);

  // Drop 256 px logos, one at a time (synthetic drop events), and time the first SVG of each.
  const fronts = [];
  for (const logo of cfg.logos) {
    const front = page.waitForResponse((r) => r.url().endsWith('/v1/frontier'));
    await drop(page, logo);
    fronts.push(await (await front).json());
    await idle(page, '#queue .entry:last-child');
    const n = fronts.length;
    await page.waitForFunction((n) => performance.getEntriesByName('svgai:drop-to-first-svg').length === n, n);
    const m = await page.evaluate(() => {
      const e = performance.getEntriesByName('svgai:drop-to-first-svg').at(-1);
      return {duration: e.duration, image: e.detail.image};
    });
    check(m.duration > 0 && m.image === path.basename(logo), `a drop-to-first-svg measure for the logo (got ${JSON.stringify(m)})`);
    result.firstSVG.push({image: path.basename(logo), ms: m.duration, ...await requestTimes(page)});
  }
  await page.click('#queue .entry:first-child .pick-image');
  await idle(page);
  const front = fronts[0];
  check(front.points.length >= 2, `a front of several points (got ${front.points.length})`);
  check(await page.locator('#plot .pt').count() === front.points.length, 'one mark per point of the front');
  await checkShown(page, pick(front, 0.95), 'the point picked for the default target 0.95');
  await focusOrder(page);

  // The slider: the smallest point whose confident_ssim reaches the target.
  await page.focus('#target');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
  await idle(page);
  check(await page.inputValue('#target') === '0.9', 'the slider moved to 0.9 by keyboard');
  await checkShown(page, pick(front, 0.9), 'the point picked for 0.9');
  await shot(page, 'trade-off');

  // Points: a click converts one; so does the keyboard (End, Enter).
  await page.click('#pt-0 .hit');
  await idle(page);
  await checkShown(page, front.points[0], 'the clicked point');
  await page.focus('#plot');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await idle(page);
  await checkShown(page, front.points.at(-1), 'the point chosen by keyboard');
  await page.focus('#target');
  await page.keyboard.press('ArrowRight'); // back to the target's pick
  await idle(page);

  // Compare: side by side (zoomed to pixels), swipe, difference.
  await page.focus('#side-panel .viewport');
  for (let i = 0; i < 3; i++) await page.keyboard.press('+');
  const zoom = await page.textContent('#zoom-level');
  check(parseFloat(zoom) >= 8, `zoomed in 8× by keyboard (got ${zoom})`);
  await shot(page, 'side-by-side-zoomed');
  await page.click('#zoom-fit');
  await page.click('[data-view=swipe]');
  await page.focus('#swipe');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await shot(page, 'swipe');
  await page.click('[data-view=diff]');
  await page.waitForFunction(() => /^Mean absolute difference/.test(document.getElementById('diff-stats').textContent));
  await shot(page, 'difference');
  await page.click('[data-view=side]');

  // Manual mode: a preset and a parameter re-convert; a bad value shows the API's message beside it.
  await page.click('#tab-manual');
  await page.selectOption('#preset', 'poster');
  await idle(page);
  check(JSON.parse(await page.inputValue('#params-json')).color_precision === 8, 'the poster preset converted');
  await page.fill('#p-filter_speckle', '8');
  await idle(page);
  const manual = JSON.parse(await page.inputValue('#params-json'));
  check(manual.filter_speckle === 8 && manual.color_precision === 8, 'filter_speckle 8 over poster converted');
  check((await page.inputValue('#command')).includes('--preset poster --set filter_speckle=8'), 'the command line names the preset and the change');
  await shot(page, 'manual');
  expect('400 /v1/convert');
  await page.fill('#p-filter_speckle', '99');
  await idle(page);
  const msg = await page.textContent('#p-filter_speckle-error');
  check(msg.includes('params.filter_speckle = 99 out of range (allowed: 1 to 16)'), `the API's validation message beside the field (got ${msg})`);
  check(await page.getAttribute('#p-filter_speckle', 'aria-invalid') === 'true', 'the field marked invalid');
  await shot(page, 'manual-invalid');
  expect();
  await page.fill('#p-filter_speckle', '8');
  await idle(page);

  // Take it away: the download is the SVG shown; the clipboard too; the command line for the Go test to run.
  // The SVG shown: the server's for the parameters shown (the page's CSP keeps even the test from reading blob: URLs).
  const shown = svgs.get(await page.inputValue('#params-json').then((j) => JSON.stringify(JSON.parse(j))));
  check(shown && await page.evaluate(() => document.querySelector('#side-panel img.svg').naturalWidth > 0), 'an SVG shown');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  result.download = path.join(cfg.out, download.suggestedFilename());
  await download.saveAs(result.download);
  check(fs.readFileSync(result.download, 'utf8') === shown, 'the downloaded file is the SVG shown');
  await page.click('#copy-svg');
  await page.waitForFunction(() => document.getElementById('copied').textContent !== '');
  check(await page.evaluate(() => navigator.clipboard.readText()) === shown, 'the clipboard holds the SVG shown');
  result.image = path.basename(cfg.logos[0]);
  result.command = await page.inputValue('#command');
  result.paramsJSON = JSON.parse(await page.inputValue('#params-json'));

  // A batch through the file chooser, then the ZIP of every SVG.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('label[for=files]')]);
  await chooser.setFiles(cfg.icons);
  await page.waitForFunction((n) => document.querySelectorAll('#queue .entry.done').length === n, cfg.logos.length + cfg.icons.length);
  const [zip] = await Promise.all([page.waitForEvent('download'), page.click('#zip')]);
  result.zip = path.join(cfg.out, zip.suggestedFilename());
  await zip.saveAs(result.zip);
  result.zipSVGs = await page.evaluate(() => document.querySelectorAll('#queue .entry.done').length);

  // Not an image, and a truncated PNG, dropped together: the API's messages next to them.
  expect('415 /v1/frontier', '422 /v1/frontier');
  await drop(page, [cfg.notImage, cfg.truncated]);
  await page.waitForFunction(() => document.querySelectorAll('#queue .entry.error').length === 2);
  const errors = await page.locator('#queue .entry.error .status').allTextContents();
  check(/not a PNG or JPEG image/.test(errors[0]) && /truncated|corrupt/i.test(errors[1]), `the queue shows why (got ${errors})`);
  await page.click('#queue .entry.error .pick-image >> nth=0');
  check(await page.isVisible('#image-error') && /not_an_image, HTTP 415/.test(await page.textContent('#image-error')),
    'the work area shows the error with its code');
  await shot(page, 'error');
  expect();

  // Dark theme, by the toggle (system → light → dark).
  await page.click('#queue .entry:first-child .pick-image');
  await page.click('#tab-target');
  await idle(page);
  await page.click('#theme');
  await page.click('#theme');
  check(await page.getAttribute('html', 'data-theme') === 'dark', 'the toggle chose dark');
  await shot(page, 'dark');
  await page.click('#theme');
}

async function withoutPredictor(page) {
  await page.waitForFunction(() => /predictor off/.test(document.getElementById('server').textContent));
  expect('503 /v1/frontier');
  await drop(page, cfg.logos[0]);
  await idle(page);
  const why = await page.textContent('#plot-missing');
  check(await page.isVisible('#plot-missing') && why.includes('predictor_unavailable') && why.includes('disabled'),
    `the page says why the plot is missing (got ${why})`);
  check(/^0\.\d{3}$/.test(await page.textContent('#real-ssim')), 'a real SSIM from the classic search');
  check(await page.evaluate(() => document.querySelector('#side-panel img.svg').naturalWidth > 0), 'the SVG shown');
  const optimized = page.waitForResponse((r) => r.url().endsWith('/v1/optimize'));
  await page.focus('#target');
  await page.keyboard.press('Home'); // 0.7: the classic search again, for the new target
  const again = await (await optimized).json();
  await idle(page);
  check(again.target_ssim === 0.7 && again.arm === 'classic' && !again.used_plugin, `the classic search for target 0.7 (got ${again.target_ssim}, ${again.arm})`);
  check(JSON.stringify(JSON.parse(await page.inputValue('#params-json'))) === JSON.stringify(again.params), 'its parameters shown');
  await shot(page, 'no-predictor');
  expect();
}

/** Drops the files (a path or paths) on the drop zone with a synthetic drag-and-drop. */
async function drop(page, files) {
  const list = [files].flat().map((f) => ({name: path.basename(f), b64: fs.readFileSync(f).toString('base64')}));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const {name, b64} of list) dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, {type: 'image/png'}));
    const zone = document.getElementById('drop');
    for (const kind of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: dt}));
    }
  }, list);
}

/** Waits until the work area is idle and the entry (default: the selected one) has its SVG on screen. */
async function idle(page, entry = '#queue .entry[aria-current]') {
  await page.waitForTimeout(50);
  await page.waitForFunction((sel) => {
    const e = document.querySelector(sel);
    const img = document.querySelector('#side-panel img.svg');
    return document.getElementById('work').getAttribute('aria-busy') === 'false' && e &&
      /\b(done|error)\b/.test(e.className) && img.complete;
  }, entry);
}

/** The point the optimizer's rule picks for target. */
function pick(front, target) {
  return front.points.find((p) => p.confident_ssim >= target) ?? front.points.reduce((a, b) => (b.ssim > a.ssim ? b : a));
}


async function checkShown(page, point, what) {
  const shown = JSON.parse(await page.inputValue('#params-json'));
  check(JSON.stringify(shown) === JSON.stringify(point.params), `${what}: shown ${JSON.stringify(shown)}, want ${JSON.stringify(point.params)}`);
  check(await page.locator('#plot .pt.picked').count() === 1, `${what}: one point ringed`);
}

/** The durations of the last /v1/frontier and /v1/convert requests (Resource Timing). */
function requestTimes(page) {
  return page.evaluate(() => {
    const last = (p) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith(p)).at(-1)?.duration;
    return {frontierMs: last('/v1/frontier'), convertMs: last('/v1/convert')};
  });
}

/** Tab visits the controls in reading order: header, images, parameters, result, comparison. */
async function focusOrder(page) {
  const want = ['theme', 'files', 'pick-image', 'remove', 'tab-target', 'plot', 'target', 'download', 'copy-svg',
    'side', 'zoom-out', 'zoom-in', 'zoom-fit', 'zoom-1', 'viewport'];
  await page.click('h1'); // moves the start of sequential focus navigation to the top
  const seen = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el.id || el.dataset.view || el.classList[0] || el.tagName.toLowerCase();
    }));
  }
  let at = 0;
  for (const id of seen) if (id === want[at]) at++;
  check(at === want.length, `focus order: want ${want.join(' ')} in order, got ${seen.join(' ')}`);
}

/** Every form control and button has an accessible name. */
async function labelled(page) {
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 80)));
  check(unnamed.length === 0, `unlabelled controls: ${unnamed.join(', ')}`);
}

async function shot(page, name) {
  const file = path.join(cfg.shots, `${name}.png`);
  await page.screenshot({path: file});
  result.shots.push(file);
}
