// Compares builds of the web app by the CPU time the page's renderer spends, which the load of a
// shared machine disturbs far less than wall-clock time (a thread waiting for a CPU accrues no
// CPU time). Used to choose between build settings whose difference is smaller than the noise
// of scripts/bench/browser.mjs's medians.
//
//   node scripts/bench/ab.mjs DIST_A DIST_B [...] [--rounds 3] [--loads 10] [--imports 3]
//
// Each round opens every build in turn (alternating, so that a change of load hits all alike)
// in a fresh browser, loads the 2,000-item dataset once (not counted), then `--loads` times more,
// and imports the 230,000-row judged CSV once (not counted) and `--imports` times more
// (replacing the models). For each build it prints the renderer's CPU time per load and per
// import: the main thread's (what the user waits for) and all threads' (V8's background compiler
// included), from /proc/PID/task/TID/schedstat (nanoseconds on the CPU), plus the wall-clock
// medians of the User Timing measures for comparison. Linux only.
//
//   node scripts/bench/ab.mjs DIST_A DIST_B [...] --first [--pages 5] [--wait-ms 1000] [--rounds 3]
//
// With `--first`, each round instead opens `--pages` fresh pages per build, waits `--wait-ms`
// after the first render, and loads the dataset once: the CPU time of that first load (cold), and
// of the wait before it (the idle-time work after the first render, e.g. the reader's warm-up).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, sharedFile, startStaticServer } from '../../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const ROUNDS = Number(option('--rounds', '3'));
const LOADS = Number(option('--loads', '10'));
const IMPORTS = Number(option('--imports', '3'));
const FIRST = args.includes('--first');
const PAGES = Number(option('--pages', '5'));
const WAIT_MS = Number(option('--wait-ms', '1000'));
const dists = args.filter((arg, i) => !arg.startsWith('--') && (!args[i - 1]?.startsWith('--') || args[i - 1] === '--first')).map((d) => path.resolve(ROOT, d));
const JUDGED = path.join(ROOT, 'target/bench/judged-23x2000x5.csv');
const datasetFile = sharedFile('dataset.csv');
if (dists.length < 1) throw new Error('usage: node scripts/bench/ab.mjs DIST_A DIST_B [...] [--rounds N] [--loads N] [--imports N]');
if (!datasetFile) {
  console.log('skipped: ../shared/bsa/dataset.csv is absent');
  process.exit(0);
}
if (!FIRST && IMPORTS > 0 && !existsSync(JUDGED)) throw new Error(`${JUDGED} is missing: run scripts/bench/browser.mjs once`);

/** Nanoseconds on the CPU of a process's main thread and of all its threads. */
function cpuOf(pid) {
  const read = (file) => { try { return Number(readFileSync(file, 'utf8').split(' ')[0]); } catch { return 0; } };
  let all = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) all += read(`/proc/${pid}/task/${tid}/schedstat`);
  } catch { /* the process is gone */ }
  return { main: read(`/proc/${pid}/task/${pid}/schedstat`), all };
}

/** Renderer processes of the browser, by CDP. */
async function renderers(browser) {
  const session = await browser.newBrowserCDPSession();
  const { processInfo } = await session.send('SystemInfo.getProcessInfo');
  await session.detach();
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

/** CPU used by the renderers while `work` runs (the busiest renderer is the page's). */
async function cpuDuring(browser, work) {
  const pids = await renderers(browser);
  const before = new Map(pids.map((pid) => [pid, cpuOf(pid)]));
  await work();
  let best = { main: 0, all: 0 };
  for (const pid of pids) {
    const after = cpuOf(pid);
    const used = { main: after.main - before.get(pid).main, all: after.all - before.get(pid).all };
    if (used.all > best.all) best = used;
  }
  return { main: best.main / 1e6, all: best.all / 1e6 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const lastMeasure = (page, name) => page.evaluate((n) => performance.getEntriesByName(n, 'measure').at(-1)?.duration ?? null, name);

const results = new Map(dists.map((d) => [d, { load: [], loadWall: [], import: [], importWall: [], idle: [] }]));
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const dist of dists) {
    if (FIRST) {
      await firstLoads(dist, results.get(dist));
      console.log(`round ${round}: ${path.relative(ROOT, dist)} done`);
      continue;
    }
    const server = await startStaticServer(dist);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
      await page.goto(`${server.url}#/dataset`);
      await page.waitForSelector('[data-app-ready]');
      let loads = 0;
      const load = async () => {
        loads += 1;
        await page.setInputFiles('#dataset-file', datasetFile);
        await page.waitForFunction((c) => performance.getEntriesByName('bsa-dataset-read', 'measure').length >= c, loads);
      };
      await load();
      const entry = results.get(dist);
      const used = await cpuDuring(browser, async () => {
        for (let i = 0; i < LOADS; i += 1) {
          await load();
          entry.loadWall.push(await lastMeasure(page, 'bsa-dataset-read'));
        }
      });
      entry.load.push({ main: used.main / LOADS, all: used.all / LOADS });
      if (IMPORTS > 0) {
        await page.evaluate(() => { window.location.hash = '/results'; });
        await page.waitForSelector('#results-file');
        let imports = 0;
        const importOnce = async () => {
          imports += 1;
          await page.setInputFiles('#results-file', JUDGED);
          if (imports > 1) await page.locator('.conflict-replace').click({ timeout: 120000 });
          await page.waitForFunction((c) => performance.getEntriesByName('bsa-results-read', 'measure').length >= c, imports, { timeout: 120000 });
          await page.waitForSelector('.score-timing[data-intervals="done"]', { timeout: 120000 });
          // The intervals of the previous import may have been "done" already: wait for this one's.
          await page.waitForFunction(() => !document.querySelector('.results-body.stale'), null, { timeout: 120000 });
        };
        await importOnce();
        const usedImports = await cpuDuring(browser, async () => {
          for (let i = 0; i < IMPORTS; i += 1) {
            await importOnce();
            entry.importWall.push(await lastMeasure(page, 'bsa-results-read'));
          }
        });
        entry.import.push({ main: usedImports.main / IMPORTS, all: usedImports.all / IMPORTS });
      }
    } finally {
      await browser.close();
      await server.close();
    }
    console.log(`round ${round}: ${path.relative(ROOT, dist)} done`);
  }
}

/** `--first`: `PAGES` fresh pages, each with one (cold) dataset load `WAIT_MS` after first render. */
async function firstLoads(dist, entry) {
  const server = await startStaticServer(dist);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (let i = 0; i < PAGES; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`${server.url}#/dataset`);
      await page.waitForSelector('[data-app-ready]');
      entry.idle.push(await cpuDuring(browser, () => page.waitForTimeout(WAIT_MS)));
      const before = await page.evaluate(() => performance.getEntriesByName('bsa-dataset-read', 'measure').length);
      entry.load.push(await cpuDuring(browser, async () => {
        await page.setInputFiles('#dataset-file', datasetFile);
        await page.waitForFunction((c) => performance.getEntriesByName('bsa-dataset-read', 'measure').length > c, before);
      }));
      entry.loadWall.push(await lastMeasure(page, 'bsa-dataset-read'));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

console.log(`\nRenderer CPU time per operation (median of ${FIRST ? `${ROUNDS} x ${PAGES} pages` : `${ROUNDS} rounds`}), and wall-clock medians of the measures`);
for (const [dist, r] of results) {
  const main = (list) => median(list.map((x) => x.main)).toFixed(1);
  const all = (list) => median(list.map((x) => x.all)).toFixed(1);
  if (FIRST) {
    console.log(`${path.relative(ROOT, dist).padEnd(36)} first dataset load (${WAIT_MS} ms after first render; ${r.load.length} pages): main ${main(r.load)} ms, all threads ${all(r.load)} ms, bsa-dataset-read ${median(r.loadWall).toFixed(1)} ms; the ${WAIT_MS} ms before it: main ${main(r.idle)} ms, all ${all(r.idle)} ms`);
    continue;
  }
  let line = `${path.relative(ROOT, dist).padEnd(36)} dataset load: main ${main(r.load)} ms, all threads ${all(r.load)} ms, bsa-dataset-read ${median(r.loadWall).toFixed(1)} ms`;
  if (r.import.length) line += `\n${''.padEnd(36)} results import (read + score + intervals + render): main ${main(r.import)} ms, all ${all(r.import)} ms, bsa-results-read ${median(r.importWall).toFixed(1)} ms`;
  console.log(line);
}
