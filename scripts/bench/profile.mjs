// Where the web app's time goes: Chromium's sampling profiler (CDP `Profiler`) around one step of
// scripts/bench/browser.mjs, with self time summed per function and per crate.
//
//   node scripts/bench/profile.mjs --dist DIR [--step dataset|results] [--load cold|warm]
//                                  [--top 30] [--interval 50] [--js-flags "V8 FLAGS"]
//                                  [--inclusive NAME,NAME] [--within NAME]
//
// DIR must hold a build whose wasm keeps its function names, i.e. one not run through wasm-opt:
// scripts/bench/profile-build.sh makes one in target/profile-dist. `--load warm` profiles the
// sixth load of the dataset (or the second import of the results) in the same page, `cold` the
// first. Needs ../shared/bsa/dataset.csv (and, for results, the judged CSV that browser.mjs
// writes into target/bench/).
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ROOT, sharedFile, startStaticServer } from '../../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const DIST = path.resolve(ROOT, option('--dist', 'target/profile-dist'));
const STEP = option('--step', 'dataset');
const LOAD = option('--load', 'warm');
const TOP = Number(option('--top', '30'));
const INTERVAL = Number(option('--interval', '50'));
const JS_FLAGS = option('--js-flags', '');
const JUDGED = path.join(ROOT, 'target/bench/judged-23x2000x5.csv');
// Also print the total time under functions whose names contain these (comma-separated).
const INCLUSIVE = option('--inclusive', '').split(',').filter(Boolean);
// Also print the self time of functions called under the function whose name contains this.
const WITHIN = option('--within', '');

const datasetFile = sharedFile('dataset.csv');
if (!datasetFile) {
  console.log('skipped: ../shared/bsa/dataset.csv is absent');
  process.exit(0);
}
if (STEP === 'results' && !existsSync(JUDGED)) throw new Error(`${JUDGED} is missing: run scripts/bench/browser.mjs once`);

/** A function's name without the Rust hash suffix (`::h0123abcd...`). */
const clean = (name) => name.replace(/::h[0-9a-f]{16}$/, '') || '(anonymous)';

/** The crate (or the engine's own bucket) a function belongs to, for the per-crate totals. */
function crateOf(name, url) {
  if (name === '(program)' || name === '(idle)' || name === '(garbage collector)') return name;
  if (!url.includes('.wasm') && !name.includes('::')) return url ? 'JavaScript' : '(engine)';
  const impl = name.match(/^<([a-z_][a-z0-9_]*)::/);
  const plain = name.match(/^([a-z_][a-z0-9_]*)::/);
  return (impl ?? plain)?.[1] ?? 'wasm (other)';
}

const flags = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
if (JS_FLAGS) flags.push(`--js-flags=${JS_FLAGS}`);
const server = await startStaticServer(DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: flags });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${server.url}#/dataset`);
  await page.waitForSelector('[data-app-ready]');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL });

  const loadDataset = async (count) => {
    await page.setInputFiles('#dataset-file', datasetFile);
    await page.waitForFunction((c) => performance.getEntriesByName('bsa-dataset-read', 'measure').length >= c, count);
  };
  const importResults = async (count) => {
    await page.setInputFiles('#results-file', JUDGED);
    if (count > 1) await page.locator('.conflict-replace').click();
    await page.waitForFunction((c) => performance.getEntriesByName('bsa-results-read', 'measure').length >= c, count);
  };

  let profiled;
  if (STEP === 'dataset') {
    const loads = LOAD === 'cold' ? 1 : 6;
    for (let load = 1; load < loads; load += 1) await loadDataset(load);
    await cdp.send('Profiler.start');
    await loadDataset(loads);
    profiled = `dataset load ${loads} (${LOAD})`;
  } else {
    await loadDataset(1);
    await page.evaluate(() => { window.location.hash = '/results'; });
    await page.waitForSelector('#results-file');
    const imports = LOAD === 'cold' ? 1 : 2;
    if (imports > 1) {
      await importResults(1);
      await page.waitForSelector('.score-timing[data-intervals="done"]', { timeout: 120000 });
    }
    await cdp.send('Profiler.start');
    await importResults(imports);
    profiled = `results import ${imports} (${LOAD}), up to the end of reading`;
  }
  const { profile } = await cdp.send('Profiler.stop');
  const measured = await page.evaluate(() => performance.getEntriesByType('measure').slice(-6).map((e) => `${e.name} ${e.duration.toFixed(1)} ms`));

  // Self time per node: the profile's samples, each weighted by the time to the next sample.
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const byFunction = new Map();
  const byCrate = new Map();
  let total = 0;
  for (const [id, millis] of self) {
    const { functionName, url } = byId.get(id).callFrame;
    const name = clean(functionName || '(anonymous)');
    if (name === '(idle)') continue;
    total += millis;
    byFunction.set(name, (byFunction.get(name) ?? 0) + millis);
    const crate = crateOf(name, url);
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + millis);
  }
  const show = (map, limit) => [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)
    .map(([name, millis]) => `  ${millis.toFixed(1).padStart(7)} ms ${((100 * millis) / total).toFixed(1).padStart(5)} %  ${name}`).join('\n');
  console.log(`Profile of the ${profiled}; ${total.toFixed(1)} ms busy, sampled every ${INTERVAL} us`);
  console.log(`User Timing: ${measured.join(', ')}`);
  console.log(`\nBy crate:\n${show(byCrate, 15)}`);
  console.log(`\nTop ${TOP} functions by self time:\n${show(byFunction, TOP)}`);
  if (INCLUSIVE.length) {
    // Self time of every node under (and including) the outermost node whose name matches.
    const children = new Map(profile.nodes.map((node) => [node.id, node.children ?? []]));
    const subtree = (id) => (self.get(id) ?? 0) + children.get(id).reduce((sum, child) => sum + subtree(child), 0);
    const under = new Map();
    const walk = (id, inside) => {
      const name = clean(byId.get(id).callFrame.functionName || '');
      const match = inside ? null : INCLUSIVE.find((pattern) => name.includes(pattern));
      if (match) under.set(match, (under.get(match) ?? 0) + subtree(id));
      for (const child of children.get(id)) walk(child, inside || Boolean(match));
    };
    walk(profile.nodes[0].id, false);
    console.log(`\nTotal time under:\n${show(under, INCLUSIVE.length)}`);
  }
  if (WITHIN) {
    const within = new Map();
    const walk = (id, inside) => {
      const name = clean(byId.get(id).callFrame.functionName || '');
      const now = inside || name.includes(WITHIN);
      if (now) within.set(name, (within.get(name) ?? 0) + (self.get(id) ?? 0));
      for (const child of byId.get(id).children ?? []) walk(child, now);
    };
    walk(profile.nodes[0].id, false);
    console.log(`\nSelf time under ${WITHIN}:\n${show(within, TOP)}`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
