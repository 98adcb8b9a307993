// Benchmarks of the web app in Debian's Chromium (driven by playwright-core, as the end-to-end
// tests are), for the section "The web app in the browser" of BENCHMARKS.md:
//
//   1. shell size: the wasm, js and css that a first visit downloads, raw, gzip (level 9) and
//      brotli (quality 11);
//   2. navigation to interactive: navigation start to the app's first render (the User Timing
//      mark `bsa-ready`), in a new browser context each run (empty HTTP and code caches);
//   3. the 2,000-item dataset: bytes in memory to the indexed dataset (`bsa-dataset-read` and its
//      steps), cold (the first load in a fresh page) and warm (loads 2 to 6 of the same page);
//   4. a 230,000-row judged CSV (23 models x 2,000 items x k = 5) on the Results page: file bytes
//      into WebAssembly (`bsa-file-bytes`), reading (`bsa-results-read`) and scoring (the page's
//      `data-score-ms`), cold and warm (the same file imported again, replacing the models);
//   5. the dashboard for those 23 models: from the scored state to the page painted, timed in
//      the page as the Results route is opened again (hash change to the frame after the DOM is
//      complete).
//
// Usage (after `trunk build --release --offline --dist target/bench-dist`):
//
//   node scripts/bench/browser.mjs [--dist DIR] [--runs N] [--only size,ready,dataset,results]
//                                  [--js-flags "V8 FLAGS"] [--json FILE] [--wait-ms MS]
//
// Every timed figure is the median of N runs (default 5), each in a new browser context, with
// min and max. The real dataset is read from ../shared/bsa/dataset.csv (figures 3 to 5 are
// skipped without it); the judged CSV is written by scripts/bench/make_judged.py into
// target/bench/ when absent. `--js-flags` passes flags to V8 (e.g. `--no-liftoff` to see what
// V8's baseline compiler costs a cold page). `--wait-ms` waits that long after the first render
// before the first dataset load (default 0: at once), as a user who takes a moment to pick the
// file does; the app warms its dataset reader up in idle time meanwhile, and figure 3 says in
// how many runs that warm-up (the mark `bsa-dataset-warm-up`) had finished before the load.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ROOT, sharedFile, startStaticServer } from '../../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}
const DIST = path.resolve(ROOT, option('--dist', 'target/bench-dist'));
const RUNS = Number(option('--runs', '5'));
const ONLY = option('--only', 'size,ready,dataset,results').split(',');
const JS_FLAGS = option('--js-flags', '');
const JSON_OUT = option('--json', '');
const WARM_LOADS = 5;
const WAIT_MS = Number(option('--wait-ms', '0'));
const JUDGED = path.join(ROOT, 'target/bench/judged-23x2000x5.csv');

if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${option('--runs')}`);
if (!existsSync(path.join(DIST, 'index.html'))) {
  throw new Error(`${DIST}/index.html is missing: build first with trunk build --release --offline --dist ${path.relative(ROOT, DIST)}`);
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = (values) => ({
  median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length, values,
});
const ms = (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const rows = [];
/** One line of the final table: a figure's median with min and max. */
function record(figure, what, values, goal = '') {
  const s = summary(values);
  rows.push({ figure, what, ...s, goal });
  console.log(`  ${what}: median ${ms(s.median)} ms (min ${ms(s.min)}, max ${ms(s.max)}, ${s.runs} values)`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// The browser

/** Debian's Chromium with the end-to-end harness's flags, plus any V8 flags asked for. */
function launch() {
  const flags = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (JS_FLAGS) flags.push(`--js-flags=${JS_FLAGS}`);
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: flags });
}

/** A new context (its own empty caches and storage) with the app open at `hash`. */
async function openFresh(browser, appUrl, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(appUrl + (hash ? `#${hash}` : ''));
  await page.waitForSelector('[data-app-ready]', { timeout: 60000 });
  return { context, page, errors };
}

/** Durations of every User Timing measure called `name`, in the order recorded. */
const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);

/** The last measure called `name`, once there are `count` of them. */
async function nthMeasure(page, name, count) {
  await page.waitForFunction(([n, c]) => performance.getEntriesByName(n, 'measure').length >= c, [name, count], { timeout: 120000 });
  const all = await measures(page, name);
  return all[count - 1];
}

// ---------------------------------------------------------------------------------------------
// 1. Shell size

/** The wasm, js and css files under `dir`, with paths relative to it (snippets are in a folder). */
function assetFiles(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(prefix, entry.name);
    if (entry.isDirectory()) return assetFiles(dir, name);
    return /\.(wasm|js|css)$/.test(entry.name) ? [name] : [];
  });
}

function shellSize() {
  console.log('\n1. App shell size (the full app, loaded with Run, Results or Compare, apart)');
  const measure = (name) => {
    const bytes = readFileSync(path.join(DIST, name));
    return {
      name,
      raw: bytes.length,
      gzip9: gzipSync(bytes, { level: 9 }).length,
      brotli11: brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const sum = (sizes) => sizes.reduce((acc, s) => ({ raw: acc.raw + s.raw, gzip9: acc.gzip9 + s.gzip9, brotli11: acc.brotli11 + s.brotli11 }),
    { raw: 0, gzip9: 0, brotli11: 0 });
  const files = assetFiles(DIST).map(measure);
  const isFull = (s) => /^bsa-studio-full/.test(s.name);
  const shell = files.filter((s) => !isFull(s));
  const full = files.filter(isFull);
  const total = sum(shell);
  const fullTotal = sum(full);
  for (const s of [...shell, { name: 'shell total', ...total }, ...full, { name: 'full app total', ...fullTotal }]) {
    console.log(`  ${s.name.padEnd(48)} raw ${kb(s.raw).padStart(10)}  gzip -9 ${kb(s.gzip9).padStart(9)}  brotli 11 ${kb(s.brotli11).padStart(9)}`);
  }
  rows.push({ figure: 1, what: 'shell (wasm + js + css), gzip -9', size: total.gzip9, brotli: total.brotli11, raw: total.raw, goal: '<= 350 KB' });
  if (full.length) rows.push({ figure: 1, what: 'full app, loaded on opening Run, Results or Compare (wasm + js), gzip -9', size: fullTotal.gzip9, brotli: fullTotal.brotli11, raw: fullTotal.raw, goal: '' });
  return { files, total, full: fullTotal };
}

// ---------------------------------------------------------------------------------------------
// 2. Navigation to interactive

async function ready(browser, appUrl) {
  console.log('\n2. Navigation start to first render (`bsa-ready`), new context each run');
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { context, page } = await openFresh(browser, appUrl);
    await page.waitForFunction(() => performance.getEntriesByName('bsa-ready').length > 0, null, { timeout: 60000 });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        ready: performance.getEntriesByName('bsa-ready')[0].startTime,
        html: nav.responseEnd,
        wasmFetched: wasm ? wasm.responseEnd : null,
        fcp: fcp ? fcp.startTime : null,
      };
    });
    // Then the Results page: the shell loads the full app, which takes over (empty caches).
    const opened = await page.evaluate(() => { window.location.hash = '#/results'; return performance.now(); });
    const shown = await page.waitForFunction(
      () => document.querySelector('main h1')?.textContent === 'Results' && !document.querySelector('.full-app-loader') && performance.now(),
      null, { timeout: 60000, polling: 'raf' });
    timing.takeOver = (await shown.jsonValue()) - opened;
    runs.push(timing);
    await context.close();
  }
  record(2, 'navigation to first render (bsa-ready)', runs.map((r) => r.ready), '');
  record(2, '  of which: wasm downloaded (responseEnd)', runs.map((r) => r.wasmFetched));
  record(2, 'then Results opened: the full app loaded and shown (first visit)', runs.map((r) => r.takeOver));
  return runs;
}

// ---------------------------------------------------------------------------------------------
// 3. The 2,000-item dataset

const DATASET_STEPS = ['bsa-dataset-parse', 'bsa-dataset-checksum-wait', 'bsa-dataset-index'];

async function loadDataset(page, file, count) {
  await page.setInputFiles('#dataset-file', file);
  const read = await nthMeasure(page, 'bsa-dataset-read', count);
  await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim() === '2000', null, { timeout: 60000 });
  const steps = {};
  for (const step of DATASET_STEPS) {
    const all = await measures(page, step);
    // The sample loaded at start is read synchronously, without these steps.
    steps[step] = all.length ? all[all.length - 1] : null;
  }
  return { read, ...steps };
}

async function dataset(browser, appUrl, file) {
  console.log(`\n3. Reading and indexing the 2,000-item dataset (cold: first load of a fresh page; warm: ${WARM_LOADS} more loads)`);
  const cold = [];
  const warm = [];
  let warmedUp = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const { context, page, errors } = await openFresh(browser, appUrl, '/dataset');
    if (WAIT_MS > 0) await page.waitForTimeout(WAIT_MS);
    if (await page.evaluate(() => performance.getEntriesByName('bsa-dataset-warm-up', 'mark').length > 0)) warmedUp += 1;
    // The sample at start is read without the measure (before the app exists); loads count from 1.
    const before = (await measures(page, 'bsa-dataset-read')).length;
    cold.push(await loadDataset(page, file, before + 1));
    for (let load = 2; load <= WARM_LOADS + 1; load += 1) warm.push(await loadDataset(page, file, before + load));
    const official = await page.getByText('matches the official dataset').isVisible();
    if (!official) throw new Error('the page did not recognise the official dataset by its checksum');
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    await context.close();
  }
  console.log(`  first load ${WAIT_MS} ms after the first render; reader warm-up finished before it in ${warmedUp} of ${RUNS} runs`);
  record(3, `dataset read + indexed, cold${WAIT_MS > 0 ? ` (${WAIT_MS} ms after first render)` : ''}`, cold.map((r) => r.read), '< 20 ms');
  for (const step of DATASET_STEPS) {
    if (cold.every((r) => r[step] !== null)) record(3, `  cold: ${step.replace('bsa-dataset-', '')}`, cold.map((r) => r[step]));
  }
  record(3, 'dataset read + indexed, warm', warm.map((r) => r.read), '< 20 ms');
  for (const step of DATASET_STEPS) {
    if (warm.every((r) => r[step] !== null)) record(3, `  warm: ${step.replace('bsa-dataset-', '')}`, warm.map((r) => r[step]));
  }
  return { cold, warm };
}

// ---------------------------------------------------------------------------------------------
// 4 and 5. The 230,000-row judged CSV and the 23-model dashboard

function judgedFile(datasetFile) {
  if (!existsSync(JUDGED)) {
    mkdirSync(path.dirname(JUDGED), { recursive: true });
    console.log(`  writing ${path.relative(ROOT, JUDGED)} (make_judged.py --models 23 --k 5 --seed 1)`);
    execFileSync('python3', [path.join(ROOT, 'scripts/bench/make_judged.py'), JUDGED, '--dataset', datasetFile,
      '--models', '23', '--k', '5', '--seed', '1'], { stdio: 'inherit' });
  }
  return JUDGED;
}

/** Imports `file` on the Results page and waits for 23 scored models; returns the timings. */
async function importResults(page, file, count, { replace = false } = {}) {
  const scoredBefore = await page.evaluate(() => document.querySelector('.score-timing')?.dataset.scoreMs ?? null);
  const copiesBefore = (await measures(page, 'bsa-file-bytes')).length;
  await page.setInputFiles('#results-file', file);
  if (replace) {
    await page.locator('.conflict-replace').click({ timeout: 120000 });
  }
  const read = await nthMeasure(page, 'bsa-results-read', count);
  // Builds that copy the whole file into WebAssembly before reading time the copy apart; the
  // piecewise reader copies as it reads, inside `bsa-results-read`.
  const copies = await measures(page, 'bsa-file-bytes');
  const bytes = copies.length > copiesBefore ? copies[copies.length - 1] : 0;
  // The page re-scores after a replacement: wait for the new timing, then for the intervals.
  await page.waitForFunction(([before, again]) => {
    const el = document.querySelector('.score-timing[data-score-ms]');
    return el && document.querySelectorAll('.models-table tbody tr').length === 23 && (!again || el.dataset.scoreMs !== before);
  }, [scoredBefore, replace], { timeout: 120000 });
  await page.waitForSelector('.score-timing[data-intervals="done"]', { timeout: 120000 });
  const score = Number(await page.locator('.score-timing').getAttribute('data-score-ms'));
  return { bytes, read, score };
}

/** Leaves the Results page and comes back; time from the hash change to the painted dashboard. */
async function renderDashboard(page) {
  const expected = await page.evaluate(() => ({
    rows: document.querySelectorAll('.models-table tbody tr').length,
    svgs: document.querySelectorAll('.results-body svg').length,
    nodes: document.querySelectorAll('.results-body *').length,
  }));
  await page.evaluate(() => { window.location.hash = '/about'; });
  await page.waitForFunction(() => !document.querySelector('.results-body'));
  return page.evaluate((want) => new Promise((resolve, reject) => {
    const start = performance.now();
    let dom = null;
    const complete = () => document.querySelectorAll('.models-table tbody tr').length === want.rows
      && document.querySelectorAll('.results-body svg').length === want.svgs
      && document.querySelectorAll('.results-body *').length === want.nodes;
    // The DOM is complete when a mutation leaves it so (Yew writes it in one go); the frame that
    // shows it is painted after the next animation frame's callbacks, when a task queued there
    // runs.
    const observer = new MutationObserver(() => {
      if (dom === null && complete()) {
        dom = performance.now() - start;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve({ dom, painted: performance.now() - start, ...want })));
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    setTimeout(() => reject(new Error('the dashboard did not render within 60 s')), 60000);
    window.location.hash = '/results';
  }), expected);
}

async function results(browser, appUrl, datasetFile) {
  const file = judgedFile(datasetFile);
  console.log('\n4. A 230,000-row judged CSV (23 models x 2,000 items x 5) on the Results page, real dataset loaded');
  const cold = [];
  const warm = [];
  const dashboards = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { context, page, errors } = await openFresh(browser, appUrl, '/dataset');
    await page.setInputFiles('#dataset-file', datasetFile);
    await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim() === '2000', null, { timeout: 60000 });
    await page.evaluate(() => { window.location.hash = '/results'; });
    await page.waitForSelector('#results-file');
    cold.push(await importResults(page, file, 1));
    dashboards.push(await renderDashboard(page));
    warm.push(await importResults(page, file, 2, { replace: true }));
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    await context.close();
  }
  for (const [label, runs] of [['cold', cold], ['warm', warm]]) {
    record(4, `reading: file bytes to samples, ${label}`, runs.map((r) => r.bytes + r.read));
    if (runs.some((r) => r.bytes > 0)) record(4, `  of which: whole-file copy into wasm, ${label}`, runs.map((r) => r.bytes));
    record(4, `scoring 23 models, ${label}`, runs.map((r) => r.score), '< 150 ms');
  }
  console.log(`\n5. The dashboard for 23 models (${dashboards[0].svgs} charts, ${dashboards[0].nodes} elements): scored state to painted`);
  record(5, 'dashboard: DOM complete', dashboards.map((r) => r.dom));
  record(5, 'dashboard: painted', dashboards.map((r) => r.painted));
  return { cold, warm, dashboards };
}

// ---------------------------------------------------------------------------------------------

const machine = {
  date: new Date().toISOString().slice(0, 10),
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  load_before: os.loadavg().map((l) => Number(l.toFixed(2))),
  node: process.version,
  js_flags: JS_FLAGS || null,
  wait_ms: WAIT_MS,
  dist: path.relative(ROOT, DIST),
};
console.log(`BSA Studio in the browser: ${machine.date}, ${machine.cpus} x ${machine.cpu}, load ${machine.load_before.join(' ')}`);

const server = await startStaticServer(DIST);
const browser = await launch();
machine.chromium = browser.version();
console.log(`Chromium ${machine.chromium}${JS_FLAGS ? `, V8 flags ${JS_FLAGS}` : ''}; ${RUNS} runs; serving ${machine.dist}`);
const report = { machine };
try {
  if (ONLY.includes('size')) report.size = shellSize();
  if (ONLY.includes('ready')) report.ready = await ready(browser, server.url);
  const datasetFile = sharedFile('dataset.csv');
  if (!datasetFile && (ONLY.includes('dataset') || ONLY.includes('results'))) {
    console.log('\nskipped 3 to 5: ../shared/bsa/dataset.csv is absent');
  } else {
    if (ONLY.includes('dataset')) report.dataset = await dataset(browser, server.url, datasetFile);
    if (ONLY.includes('results')) report.results = await results(browser, server.url, datasetFile);
  }
} finally {
  await browser.close();
  await server.close();
}
machine.load_after = os.loadavg().map((l) => Number(l.toFixed(2)));

console.log(`\nSummary (${machine.date}; ${machine.cpus} x ${machine.cpu}; Chromium ${machine.chromium}; load ${machine.load_before.join(' ')} before, ${machine.load_after.join(' ')} after)`);
console.log('| # | what | median | min | max | goal |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  if (row.size !== undefined) {
    console.log(`| ${row.figure} | ${row.what} | **${kb(row.size)}** (brotli ${kb(row.brotli)}; raw ${kb(row.raw)}) | | | ${row.goal} |`);
  } else {
    console.log(`| ${row.figure} | ${row.what} | ${row.goal ? `**${ms(row.median)} ms**` : `${ms(row.median)} ms`} | ${ms(row.min)} | ${ms(row.max)} | ${row.goal} |`);
  }
}
report.rows = rows;
if (JSON_OUT) {
  writeFileSync(path.resolve(JSON_OUT), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${JSON_OUT}`);
}
