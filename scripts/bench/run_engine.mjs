// Benchmarks of the Run page's engine against the provider simulator, in Debian's Chromium
// driven by playwright-core (the end-to-end harness's server, simulator and browser):
//
//   1. throughput: the 30-item sample with k = 11 (990 calls: generate and two judges per
//      sample) at 100 ms simulated latency and 6 calls at a time; wall time from the click on
//      "Start" to data-run-status="finished", against the ideal calls x latency / concurrency;
//      each engine run is paired with two floors measured in plain JavaScript in the same browser
//      at the same moment (the machine is shared, so absolute times drift): the same number of
//      requests, 6 at a time, with only fetch; and with fetch plus one IndexedDB write per
//      answer (what the engine's resume guarantee costs at the least);
//   2. responsiveness during those runs: the longest main-thread task, from a PerformanceObserver
//      for `longtask` injected before the app starts;
//   3. memory after a 2,000 x 5 run (30,000 calls, no latency) of the real dataset: the JS heap
//      (CDP Performance.getMetrics, JSHeapUsedSize) and the WebAssembly memory, before and after.
//
// Usage: node scripts/bench/run_engine.mjs [--runs N] [--skip-memory]
// Needs dist/ (trunk build --release --offline) and target/release/bsa-sim; scripts/bench/run_engine.sh
// builds both first. The real dataset is read from ../shared/bsa/dataset.csv (step 3 is skipped
// without it).
import os from 'node:os';
import { launchBrowser, sharedFile, startSimulator, startStaticServer } from '../../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 0) || 3;
const skipMemory = args.includes('--skip-memory');

const SIM_DEFAULTS = { latency_ms: 0, jitter_ms: 0, rate_429: 0, rate_500: 0, rate_hang: 0, rate_malformed: 0, rate_cutoff: 0, rate_drop: 0, api_key: '' };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Installed before the app: long tasks and the wasm memory become readable from the page. */
function instrument() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  // The Run page is the full app's (loaded by the shell): its memory is the one that grows.
  addEventListener('BsaFullAppStarted', (event) => { window.__wasm = event.detail.wasm; });
}

async function openRunPage(browser, appUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.addInitScript(instrument);
  await page.goto(`${appUrl}#/run`);
  await page.waitForSelector('[data-app-ready]');
  await page.waitForFunction(() => document.querySelector('.runs-list')?.dataset.store === 'ready');
  return { context, page };
}

async function configure(page, simUrl, { k, concurrency }) {
  for (const [id, value] of [['run-model-base-url', simUrl], ['run-judge-base-url', simUrl], ['run-k', k],
    ['run-concurrency', concurrency], ['run-timeout', 60]]) {
    await page.fill(`#${id}`, String(value));
  }
  await page.waitForFunction(() => document.querySelector('#run-start')?.dataset.ready === 'true');
}

/** Starts the configured run; resolves with its id and the wall time to "finished" in ms. */
async function timeRun(page, timeout) {
  const before = await page.$$eval('.run-row', (rows) => rows.map((row) => row.dataset.runId));
  const started = Date.now();
  await page.click('#run-start');
  const id = await (await page.waitForFunction(
    (known) => [...document.querySelectorAll('.run-row')].map((row) => row.dataset.runId).find((runId) => !known.includes(runId)),
    before,
  )).jsonValue();
  await page.waitForFunction(
    (runId) => document.querySelector(`.run-row[data-run-id="${runId}"]`)?.dataset.runStatus === 'finished',
    id, { timeout, polling: 50 },
  );
  const wall = Date.now() - started;
  const calls = Number(await page.getAttribute(`.run-row[data-run-id="${id}"]`, 'data-total'));
  return { id, wall, calls };
}

/** Plain-JavaScript floor: `calls` POSTs to the simulator, `concurrency` at a time, each body
 *  read; with `persist`, each answer is also written to IndexedDB (relaxed durability) before
 *  that worker sends its next request. Returns the wall time in ms. */
async function floor(page, simUrl, calls, concurrency, persist) {
  return page.evaluate(async ([url, calls, concurrency, persist]) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('bench-floor', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('calls');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    let next = 0;
    const tag = Math.random().toString(36).slice(2);
    const started = performance.now();
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bsa-call': `floor-${tag}/i${i}/0/generate` },
          body: JSON.stringify({ model: 'sim-reasoner', messages: [{ role: 'user', content: `question ${i}` }] }),
        });
        const text = await response.text();
        if (persist) {
          await new Promise((resolve, reject) => {
            const tx = db.transaction(['calls'], 'readwrite', { durability: 'relaxed' });
            tx.objectStore('calls').put(text, [tag, i]);
            tx.oncomplete = resolve;
            tx.onerror = () => reject(tx.error);
          });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    db.close();
    return performance.now() - started;
  }, [simUrl, calls, concurrency, persist]);
}

async function memory(page, cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? null);
  return { heapMB: heap / 1e6, wasmMB: wasm === null ? null : wasm / 1e6 };
}

const server = await startStaticServer();
const sim = await startSimulator();
const browser = await launchBrowser();
const report = { machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 1e9).toFixed(1)} GB, ${os.platform()} ${os.release()}`, chromium: browser.version() };
try {
  // 1 + 2: throughput and long tasks.
  const latency = 100;
  const concurrency = 6;
  await sim.config({ ...SIM_DEFAULTS, latency_ms: latency });
  const throughput = [];
  for (let i = 0; i < runs; i += 1) {
    await sim.reset();
    const { context, page } = await openRunPage(browser, server.url);
    await configure(page, sim.url, { k: 11, concurrency });
    await page.evaluate(() => { window.__longTasks = []; });
    const run = await timeRun(page, 600000);
    const counts = await sim.counts();
    const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
    const ideal = (run.calls * latency) / concurrency;
    const fetchOnly = await floor(page, sim.url, run.calls, concurrency, false);
    const fetchStore = await floor(page, sim.url, run.calls, concurrency, true);
    throughput.push({
      ...run, sent: counts.totals.received, ideal, efficiency: ideal / run.wall, longestTaskMs: longest,
      floorFetchMs: fetchOnly, floorFetchStoreMs: fetchStore,
    });
    console.error(`throughput run ${i + 1}: ${run.calls} calls in ${run.wall} ms (ideal ${ideal} ms, ${(100 * ideal / run.wall).toFixed(1)} %), `
      + `longest task ${longest.toFixed(0)} ms; floors: fetch ${fetchOnly.toFixed(0)} ms (${(100 * ideal / fetchOnly).toFixed(1)} %), `
      + `fetch + IndexedDB ${fetchStore.toFixed(0)} ms (${(100 * ideal / fetchStore).toFixed(1)} %)`);
    await context.close();
  }
  report.throughput = {
    calls: throughput[0].calls,
    latency_ms: latency,
    concurrency,
    ideal_ms: throughput[0].ideal,
    median_wall_ms: median(throughput.map((r) => r.wall)),
    median_efficiency: median(throughput.map((r) => r.efficiency)),
    median_longest_task_ms: median(throughput.map((r) => r.longestTaskMs)),
    median_floor_fetch_ms: median(throughput.map((r) => r.floorFetchMs)),
    median_floor_fetch_store_ms: median(throughput.map((r) => r.floorFetchStoreMs)),
    runs: throughput,
  };

  // 3: memory after the full benchmark, k = 5.
  const dataset = sharedFile('dataset.csv');
  if (skipMemory || !dataset) {
    report.memory = skipMemory ? 'skipped (--skip-memory)' : 'skipped: ../shared/bsa/dataset.csv is absent';
  } else {
    await sim.config(SIM_DEFAULTS);
    await sim.reset();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(`${server.url}#/dataset`);
    await page.waitForSelector('[data-app-ready]');
    await page.setInputFiles('#dataset-file', dataset);
    await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim() === '2000', null, { timeout: 60000 });
    await page.evaluate(() => { window.location.hash = '/run'; });
    await page.waitForFunction(() => document.querySelector('.runs-list')?.dataset.store === 'ready');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const before = await memory(page, cdp);
    await configure(page, sim.url, { k: 5, concurrency: 6 });
    await page.evaluate(() => { window.__longTasks = []; });
    const run = await timeRun(page, 3600000);
    const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await memory(page, cdp);
    report.memory = { calls: run.calls, wall_ms: run.wall, longest_task_ms: longest, before, after };
    console.error(`memory run: ${run.calls} calls in ${run.wall} ms; heap ${before.heapMB.toFixed(1)} -> ${after.heapMB.toFixed(1)} MB, wasm ${before.wasmMB} -> ${after.wasmMB} MB`);
    await context.close();
  }
} finally {
  await sim.config(SIM_DEFAULTS).catch(() => {});
  await browser.close();
  await sim.close();
  await server.close();
}
console.log(JSON.stringify(report, null, 2));
