// The Run page against the provider simulator: full runs, faults, a reload mid-run, a wrong key,
// and where keys must never end up. Every wait is on a state the page exposes (data-run-status,
// data-done, ...), never a fixed sleep.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, assert, assertClose, assertEqual, bsa, openApp, screenshot, sharedFile, skip } from './harness.mjs';

/** The simulator's settings between tests (the harness resets counts, not the configuration). */
const SIM_DEFAULTS = {
  latency_ms: 0, jitter_ms: 0, rate_429: 0, rate_500: 0, rate_hang: 0, rate_malformed: 0,
  rate_cutoff: 0, rate_drop: 0, api_key: '', reasoning_format: 'mixed', judge_wrap_rate: 0,
  judge_unparsable_rate: 0,
};

const RUN_TIMEOUT = 240000;

/** Types `value` into the field with id `id` (an input event per fill, as a user would). */
async function fill(page, id, value) {
  await page.fill(`#${id}`, String(value));
}

/**
 * Fills the run form: the simulator (default preset) at the harness's address for the model and
 * the judge, k, limits, optional keys. Leaves the default subset (all 30 sample items).
 */
async function configure(page, sim, { k = 2, timeout = 20, concurrency = 6, key = null } = {}) {
  await page.waitForSelector('[data-run-page]');
  await page.waitForFunction(() => document.querySelector('.runs-list')?.dataset.store === 'ready');
  await fill(page, 'run-model-base-url', sim.url);
  await fill(page, 'run-judge-base-url', sim.url);
  await fill(page, 'run-k', k);
  await fill(page, 'run-timeout', timeout);
  await fill(page, 'run-concurrency', concurrency);
  if (key !== null) {
    await fill(page, 'run-model-key', key);
    await fill(page, 'run-judge-key', key);
  }
  await page.waitForFunction(() => document.querySelector('#run-start')?.dataset.ready === 'true');
}

/** Starts the configured run and returns its id (the newest row). */
async function start(page) {
  const before = await page.$$eval('.run-row', (rows) => rows.map((row) => row.dataset.runId));
  await page.click('#run-start');
  const handle = await page.waitForFunction(
    (known) => [...document.querySelectorAll('.run-row')].map((row) => row.dataset.runId).find((id) => !known.includes(id)),
    before,
  );
  return handle.jsonValue();
}

const row = (runId) => `.run-row[data-run-id="${runId}"]`;

async function waitForStatus(page, runId, status, timeout = RUN_TIMEOUT) {
  await page.waitForFunction(
    ([selector, wanted]) => document.querySelector(selector)?.dataset.runStatus === wanted,
    [row(runId), status],
    { timeout },
  );
}

/** Clicks an export button of the open run and returns the downloaded file's text. */
async function download(page, buttonId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#${buttonId}`)]);
  const target = path.join(await mkdtemp(path.join(tmpdir(), 'bsa-run-')), file.suggestedFilename());
  await file.saveAs(target);
  return { path: target, text: await readFile(target, 'utf8') };
}

/** Every value and key of every IndexedDB store of the app, as one string. */
async function dumpIndexedDb(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('bsa-studio');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const out = [];
    for (const name of db.objectStoreNames) {
      const store = db.transaction(name, 'readonly').objectStore(name);
      const read = (request) => new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      out.push(JSON.stringify(await read(store.getAll())), JSON.stringify(await read(store.getAllKeys())));
    }
    db.close();
    return out.join('\n');
  });
}

/** The names of the calls IndexedDB holds for `runId` (keys `[run id, call name]`). */
async function storedCallNames(page, runId) {
  return page.evaluate(async (id) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('bsa-studio');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const keys = await new Promise((resolve, reject) => {
      const request = db.transaction('calls', 'readonly').objectStore('calls').getAllKeys(IDBKeyRange.bound([id, ''], [id, []]));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return keys.map((key) => key[1]);
  }, runId);
}

/** The page's headline metric, rounded to 2 decimals as `bsa score` prints it. */
async function pageMetric(page, key) {
  const value = await page.getAttribute(`.run-details [data-metric="${key}"] .tile-number`, 'data-value');
  assert(value !== null, `the page shows ${key}`);
  return Math.round(Number(value) * 100) / 100;
}

function completedCounts(counts) {
  return Object.entries(counts.calls).filter(([tag]) => !tag.startsWith('untagged'));
}

async function withSim(sim, patch, body) {
  await sim.config({ ...SIM_DEFAULTS, ...patch });
  try {
    return await body();
  } finally {
    await sim.config(SIM_DEFAULTS);
  }
}

export const tests = [
  ['a. a full run of the sample with k = 2 finishes and its judged CSV scores as the page shows', async ({ browser, appUrl, sim }) => {
    await withSim(sim, {}, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 2 });
      // 30 items x 2 samples x (generate + 2 judges).
      assertEqual(await page.getAttribute('.estimate-table', 'data-estimate-calls'), '180', 'estimated calls');
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      assertEqual(await page.getAttribute(row(runId), 'data-done'), await page.getAttribute(row(runId), 'data-total'), 'every call finished');
      await page.waitForFunction(() => document.querySelector('.live-metrics')?.dataset.evaluation === 'final');
      const csv = await download(page, 'run-export-csv');
      const scored = JSON.parse(bsa('score', csv.path, '--format', 'json'));
      assertEqual(scored.models.length, 1, 'one model in the export');
      for (const key of ['safe_at_1', 'think_at_1', 'f_score', 'safe_at_k', 'think_at_k']) {
        assertEqual(await pageMetric(page, key), scored.models[0][key], `${key}: page against bsa score`);
      }
      // 60 samples, one CSV row each (plus the header).
      assertEqual(csv.text.trim().split('\n').length, 61, 'judged CSV rows');
      // The live category chart: Think@1 per primary category, as bsa score computes it with
      // the run's items (the sample dataset) for the categories.
      const byCategory = JSON.parse(bsa('score', csv.path, '--format', 'json', '--dataset', path.join(ROOT, 'data/sample.csv')));
      const expected = byCategory.models[0].categories.primary;
      const bars = await page.$$eval('.live-categories .bsa-bar[data-series="think_at_1"]',
        (marks) => marks.map((m) => [m.dataset.category, Number(m.dataset.value)]));
      assertEqual(bars.length, expected.length, 'a Think@1 bar per primary category');
      assertEqual(expected.length, 9, 'the sample covers the 9 categories');
      for (const [category, value] of bars) {
        const cli = expected.find((c) => c.category === category);
        assert(cli, `${category} is a category bsa score reports`);
        assertClose(value, cli.think_at_1, 0.01, `${category}: live chart against bsa score`);
      }
      await screenshot(page, 'run-finished');
      // A click on a category bar opens the run in Results, under its label, with the item
      // browser filtered to that category (the "Open in Results" button takes the same way).
      const [category] = bars[1];
      const cli = expected.find((c) => c.category === category);
      await page.click(`.live-categories .bsa-bar[data-series="think_at_1"][data-category="${category}"]`);
      await page.waitForFunction(() => window.location.hash === '#/results');
      await page.waitForSelector('[data-model="sim-reasoner"]');
      await page.waitForFunction((n) => document.querySelector('.results-browser .result-count')?.dataset.matching === String(n), cli.items);
      assert((await page.locator('.filter-chip[data-chip="category"]').innerText()).includes(category), 'the category filter is shown');
      const listed = await page.$$eval('.result-item', (items) => items.map((item) => item.dataset.categories));
      assert(listed.length > 0 && listed.every((names) => names.split(', ').includes(category)), `only ${category} items: ${listed}`);
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['b. with 429s, 500s, hangs and malformed answers the run completes, nothing judged twice', async ({ browser, appUrl, sim }) => {
    await withSim(sim, { rate_429: 0.2, rate_500: 0.05, rate_hang: 0.02, rate_malformed: 0.02 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 2, timeout: 3 });
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.samples.length, 60, 'every sample is in the run file');
      const seen = new Set();
      for (const sample of file.samples) {
        const key = `${sample.item}/${sample.sample}`;
        assert(!seen.has(key), `${key} appears once`);
        seen.add(key);
        assertEqual(sample.answer_judgement.status, 'verdict', `${key} has an answer verdict`);
        assert(['verdict', 'no_trace'].includes(sample.reasoning_judgement.status), `${key} has a reasoning verdict`);
      }
      const counts = await sim.counts();
      const tagged = completedCounts(counts);
      assert(tagged.length >= 180, `the simulator saw every call (${tagged.length} tags)`);
      const repeated = tagged.filter(([, c]) => c.completed > 1);
      assertEqual(repeated, [], 'no finished call was made again');
      assert(counts.totals.faulted && Object.keys(counts.totals.faulted).length > 0, 'faults did happen');
      const errors = await page.$$eval('.error-table [data-error-kind]', (rows) => rows.map((r) => r.dataset.errorKind));
      assert(errors.includes('RateLimited'), `the page counted the 429s (${errors})`);
      await screenshot(page, 'run-faults');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ...[200, 10].map((latency) => [`c. a reload mid-run (${latency} ms latency) resumes it: at most \`concurrency\` calls repeated, none stored, none lost`, async ({ browser, appUrl, sim }) => {
    await withSim(sim, { latency_ms: latency }, async () => {
      const concurrency = 6;
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 2, concurrency });
      const runId = await start(page);
      const ofRun = (tagged) => tagged.filter(([tag]) => tag.startsWith(`${runId}/`));
      const name = (tag) => tag.slice(runId.length + 1);
      await page.waitForFunction((selector) => Number(document.querySelector(selector)?.dataset.done) >= 40, row(runId));
      // The reload, in two steps: leave the app for a page of the same origin without it (the
      // server's 404), read what IndexedDB holds and what the simulator was asked, then come back.
      await page.goto(new URL('e2e-no-app', appUrl).href);
      const storedAtReload = new Set(await storedCallNames(page, runId));
      const askedAtReload = new Map(ofRun(completedCounts(await sim.counts())).map(([tag, c]) => [tag, c.received]));
      assert(storedAtReload.size >= 40, `calls were stored before the reload (${storedAtReload.size})`);
      const unstored = [...askedAtReload.keys()].filter((tag) => !storedAtReload.has(name(tag)));
      assert(unstored.length > 0, 'calls were sent but not stored when the page went away');
      await page.goto(`${appUrl}#/run`);
      await page.waitForSelector('[data-app-ready]');
      // It resumes by itself (the simulator needs no key) and finishes.
      await waitForStatus(page, runId, 'finished');
      const tagged = ofRun(completedCounts(await sim.counts()));
      // No stored call was sent again.
      for (const [tag, c] of tagged) {
        if (storedAtReload.has(name(tag))) assertEqual(c.received, 1, `${tag}, stored before the reload, asked once`);
      }
      // What was repeated had not been stored: in flight, or answered with its record still
      // being written; a call keeps its place until its record is stored, so together they are
      // at most `concurrency` (the bound), also when answers come fast (10 ms).
      const repeated = tagged.filter(([, c]) => c.completed > 1).map(([tag]) => tag);
      for (const tag of repeated) {
        assert(askedAtReload.has(tag) && !storedAtReload.has(name(tag)), `${tag} repeated, but it was stored`);
      }
      assert(repeated.length <= concurrency, `at most ${concurrency} calls repeated: ${repeated.length} (${repeated.join(', ')})`);
      // No call was lost: every call the simulator answered is stored, and only those, and
      // every sample is in the run file with its verdicts.
      const storedAtEnd = (await storedCallNames(page, runId)).sort();
      const answered = tagged.filter(([, c]) => c.completed >= 1).map(([tag]) => name(tag)).sort();
      assertEqual(storedAtEnd, answered, 'the stored calls are the answered ones');
      for (const tag of unstored) {
        assert(storedAtEnd.includes(name(tag)), `${tag}, unstored at the reload, was sent again and stored`);
      }
      await page.click(`${row(runId)} [data-action="run-open"]`);
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.samples.length, 60, 'every sample is in the run file');
      assert(file.samples.every((s) => s.answer_judgement.status === 'verdict'), 'every sample has its answer verdict');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }]),

  ['d + e. a wrong key stops the run with a plain message; the right one resumes it; no key leaks', async ({ browser, appUrl, sim }) => {
    const right = 'sk-right-e2e-0123456';
    const wrong = 'sk-wrong-e2e-9876543';
    await withSim(sim, { api_key: right }, async () => {
      const { context, page, consoleLines, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 1, key: wrong });
      const runId = await start(page);
      await waitForStatus(page, runId, 'stopped', 60000);
      await page.click(`${row(runId)} [data-action="run-open"]`);
      const message = await page.locator('.run-details .stop-message').innerText();
      assert(message.startsWith('401 from 127.0.0.1: check the key'), `plain message: ${message}`);
      assert(!message.includes(wrong), 'the message does not quote the key');
      await screenshot(page, 'run-stopped-401');
      await page.fill('.run-details [data-key-slot]', right);
      await page.click('#run-resume');
      await waitForStatus(page, runId, 'finished');
      const json = await download(page, 'run-export-json');
      const csv = await download(page, 'run-export-csv');
      const stored = await dumpIndexedDb(page);
      assert(stored.includes(runId), 'the dump holds the run');
      const local = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
      for (const key of [right, wrong]) {
        assert(!stored.includes(key), 'no key in IndexedDB');
        assert(!json.text.includes(key), 'no key in the run file');
        assert(!csv.text.includes(key), 'no key in the judged CSV');
        assert(!page.url().includes(key), 'no key in the URL');
        assert(!consoleLines.some((line) => line.includes(key)), 'no key in the console');
        assert(!local.includes(key), 'no key in localStorage (nothing was to be remembered)');
      }
      const file = JSON.parse(json.text);
      assertEqual(file.samples.length, 30, 'every sample after the resume');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['f. a run that needs a key waits after a reload, "interrupted", and resumes once it is entered', async ({ browser, appUrl, sim }) => {
    const key = 'sk-openai-e2e-000111';
    await withSim(sim, { api_key: key, latency_ms: 100 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await page.waitForFunction(() => document.querySelector('.runs-list')?.dataset.store === 'ready');
      // The OpenAI preset requires a key; pointed at the simulator it speaks the same protocol.
      await page.selectOption('#run-model-preset', 'openai');
      await fill(page, 'run-model-model', 'sim-reasoner');
      await configure(page, sim, { k: 1, key });
      const runId = await start(page);
      await page.waitForFunction((selector) => Number(document.querySelector(selector)?.dataset.done) >= 10, row(runId));
      await page.reload();
      await page.waitForFunction((selector) => document.querySelector(selector)?.dataset.engine === 'needs-keys', row(runId));
      assert((await page.locator(`${row(runId)} .run-status`).innerText()).includes('enter the key to resume'), 'says what is needed');
      await page.click(`${row(runId)} [data-action="run-open"]`);
      const fields = page.locator('.run-details [data-key-slot]');
      for (let i = 0; i < await fields.count(); i += 1) await fields.nth(i).fill(key);
      await page.click('#run-resume');
      await waitForStatus(page, runId, 'finished');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['a second judge grades too, and the page shows the agreement of the two judges', async ({ browser, appUrl, sim }) => {
    await withSim(sim, {}, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await page.check('#run-second-judge');
      await page.waitForSelector('#run-judge2-base-url');
      await fill(page, 'run-judge2-base-url', sim.url);
      await configure(page, sim, { k: 1 });
      // 30 items x (generate + 2 judges + 2 second-judge calls).
      assertEqual(await page.getAttribute('.estimate-table', 'data-estimate-calls'), '150', 'estimated calls');
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      await page.waitForSelector('.agreement [data-agreement="answer"]');
      const n = Number(await page.getAttribute('.agreement [data-agreement="answer"]', 'data-n'));
      assertEqual(n, 30, 'every answer judged by both judges');
      const tagged = completedCounts(await sim.counts());
      assertEqual(tagged.filter(([tag]) => tag.endsWith('/judge2-answer')).length, 30, 'second-judge calls reached the simulator');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assert(file.run.second_judge !== null, 'the run file names the second judge');
      assert(file.samples.every((s) => s.second_answer_judgement?.status === 'verdict'), 'every sample has a second answer verdict');
      await screenshot(page, 'run-agreement');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['batch-runner files of the authors are imported and judged as a run', async ({ browser, appUrl, sim }) => {
    await withSim(sim, {}, async () => {
      const sample = await readFile(path.join(ROOT, 'data/sample.csv'), 'utf8');
      // Ids independently of the app: every record starts a line with its 32-hex id and a comma.
      const ids = sample.split('\n').filter((line) => /^[0-9a-f]{32},/.test(line)).map((line) => line.slice(0, 32));
      assertEqual(ids.length, 30, 'sample ids');
      const dir = await mkdtemp(path.join(tmpdir(), 'bsa-batch-'));
      const files = [];
      for (const pass of [1, 2]) {
        const rows = ids.map((id, i) => {
          // Item 3 has no trace in pass 1 (its reasoning judge is skipped); item 4 failed in pass 2.
          if (pass === 2 && i === 4) return `${id},q,,,failed,0,timeout`;
          const trace = pass === 1 && i === 3 ? '' : `"thinking about ${id}, pass ${pass}"`;
          return `${id},q,"answer ${pass}",${trace},success,12,`;
        });
        const file = path.join(dir, `model_${pass}.csv`);
        await writeFile(file, `\uFEFFid,question,answer,reasoning_content,status,tokens,error\n${rows.join('\n')}\n`);
        files.push(file);
      }
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 1 });
      await page.setInputFiles('#import-files', files);
      await fill(page, 'import-label', 'batch-model');
      await page.click('#import-start');
      await page.waitForSelector('[data-imported="60"]');
      const runId = await page.getAttribute('.run-details', 'data-run-id');
      await waitForStatus(page, runId, 'finished');
      const counts = completedCounts(await sim.counts()).map(([tag]) => tag);
      assert(!counts.some((tag) => tag.endsWith('/generate')), 'no generation was requested');
      // 59 answers judged (one failed in the batch run), 58 traces (one missing).
      assertEqual(counts.filter((tag) => tag.endsWith('/judge-answer')).length, 59, 'answer judge calls');
      assertEqual(counts.filter((tag) => tag.endsWith('/judge-reasoning')).length, 58, 'reasoning judge calls');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.run.model.origin, 'batch_csv', 'the run file says where the answers came from');
      assertEqual(file.samples.length, 60, 'every imported sample');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['a spend cap pauses the run; resuming goes on past it', async ({ browser, appUrl, sim }) => {
    await withSim(sim, {}, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 1, concurrency: 2 });
      for (const role of ['model', 'judge']) {
        await fill(page, `run-${role}-price-in`, '1000');
        await fill(page, `run-${role}-price-out`, '1000');
      }
      await fill(page, 'run-spend-cap', '0.5');
      await page.waitForFunction(() => document.querySelector('#run-start')?.dataset.ready === 'true');
      const runId = await start(page);
      await waitForStatus(page, runId, 'paused', 60000);
      assert((await page.locator(`${row(runId)} .run-status`).innerText()).includes('spend cap reached'), 'says why');
      const done = Number(await page.getAttribute(row(runId), 'data-done'));
      assert(done < 90, `the cap stopped the run early (${done} of 90 calls)`);
      await page.click('#run-resume');
      await waitForStatus(page, runId, 'finished');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['pause holds new calls, resume finishes, cancel stops for good', async ({ browser, appUrl, sim }) => {
    await withSim(sim, { latency_ms: 150 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 1, concurrency: 3 });
      const first = await start(page);
      await page.waitForFunction((selector) => Number(document.querySelector(selector)?.dataset.done) >= 6, row(first));
      await page.click('#run-pause');
      await waitForStatus(page, first, 'paused');
      // In-flight calls finish; then nothing moves.
      await page.waitForFunction(() => document.querySelector('.progress-panel')?.dataset.inFlight === '0');
      const held = await page.getAttribute(row(first), 'data-done');
      const received = (await sim.counts()).totals.received;
      await page.waitForTimeout(600); // a pause is the absence of events: look for a moment
      assertEqual((await sim.counts()).totals.received, received, 'no call sent while paused');
      assertEqual(await page.getAttribute(row(first), 'data-done'), held, 'no progress while paused');
      await page.click('#run-resume');
      await waitForStatus(page, first, 'finished');

      const second = await start(page);
      await page.waitForFunction((selector) => Number(document.querySelector(selector)?.dataset.done) >= 3, row(second));
      await page.click('#run-cancel');
      await waitForStatus(page, second, 'cancelled');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.run.status.state, 'cancelled', 'the run file says cancelled');
      assert(file.samples.length < 30, 'a cancelled run has only the samples it reached');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['the official prompts load from the files of the authors, and a failed download is explained', async ({ browser, appUrl }) => {
    const answer = sharedFile('official-prompts/Safe_Ans_Judge.md');
    const thinking = sharedFile('official-prompts/Thinking_Accuracy_Judge.md');
    const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
    // This machine has no route to GitHub: first the failure a user offline (or behind a CORS
    // refusal) sees, then, with the files served at their public URLs, the real parsing.
    await page.route('https://raw.githubusercontent.com/**', (route) => route.abort('internetdisconnected'));
    await page.click('text=Load the official prompts');
    await page.waitForSelector('.judge-prompts .field-error');
    const message = await page.locator('.judge-prompts .field-error').innerText();
    assert(message.includes('could not be downloaded') && message.includes('CORS'), `explained: ${message}`);
    await page.unroute('https://raw.githubusercontent.com/**');
    if (!answer || !thinking) skip('../shared/bsa/official-prompts is absent');
    await page.route('https://raw.githubusercontent.com/**', async (route) => {
      const url = route.request().url();
      const file = url.endsWith('Safe_Ans_Judge.md') ? answer : url.endsWith('Thinking_Accuracy_Judge.md') ? thinking : null;
      if (!file) return route.abort();
      return route.fulfill({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: await readFile(file, 'utf8') });
    });
    await page.click('text=Load the official prompts');
    await page.waitForSelector('[data-prompts="official"]');
    const template = await page.inputValue('#run-template-answer');
    assert(template.includes('{answer}') && template.includes('{query}'), 'the answer template came from the file');
    await page.waitForFunction(() => document.querySelector('#run-start')?.dataset.ready === 'true');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['streamed answers in the Anthropic format, with thinking and cut-off streams, are read and judged', async ({ browser, appUrl, sim }) => {
    await withSim(sim, { rate_cutoff: 0.1 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await page.waitForSelector('#run-model-wire');
      await page.selectOption('#run-model-wire', 'anthropic');
      await page.selectOption('#run-reasoning', 'budget');
      await fill(page, 'run-reasoning-budget', '2048');
      await fill(page, 'run-max-tokens', '4096');
      await page.check('#run-stream');
      await page.waitForSelector('[data-parameter-report="model"] [data-parameter="stream"][data-outcome="sent"]');
      await configure(page, sim, { k: 1 });
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.samples.length, 30, 'every sample');
      const completed = file.samples.filter((s) => s.generation.status === 'completed');
      assertEqual(completed.length, 30, 'every stream read to the end (cut-off ones retried)');
      const traced = completed.filter((s) => s.generation.reasoning);
      assert(traced.length > 0, 'thinking blocks became reasoning traces');
      assert(traced.every((s) => ['thinking_block', 'redacted_thinking_block'].includes(s.generation.reasoning.source)), 'from thinking blocks');
      const cutoffs = (await sim.counts()).totals.faulted?.cutoff ?? 0;
      assert(cutoffs > 0, 'some streams were cut off');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['a streamed answer shows on the Run page as it arrives, as text, and is the answer stored', async ({ browser, appUrl, sim }) => {
    await withSim(sim, { latency_ms: 50 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await page.check('#run-stream');
      await page.waitForSelector('[data-parameter-report="model"] [data-parameter="stream"][data-outcome="sent"]');
      await configure(page, sim, { k: 1 });
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      // The last generation the page followed, whole and no longer streaming.
      await page.waitForSelector('.live-text[data-streaming="false"]');
      const call = await page.getAttribute('.live-text', 'data-call');
      const [item, sample, stage] = call.split('/');
      assertEqual(stage, 'generate', 'a generation is followed');
      const shown = await page.locator('.live-answer').innerText();
      assertEqual(await page.locator('.live-answer *').count(), 0, 'the answer is text, no element');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      const stored = file.samples.find((s) => s.item === item && String(s.sample) === sample);
      assert(stored, `the followed call ${call} is a sample of the run`);
      assert(shown.trim().length > 0 && shown.includes('[simulated]'), `the simulated answer is shown: ${shown.slice(0, 80)}`);
      assertEqual(shown.trim(), stored.generation.answer.trim(), 'the page showed the answer that was stored');
      const facts = await page.locator('.live-text .hint').innerText();
      assert(facts.startsWith(`${call}: ${[...stored.generation.answer].length} characters of answer`), `the counts: ${facts}`);
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['deleting a run asks first, then removes it and everything stored for it', async ({ browser, appUrl, sim }) => {
    await withSim(sim, {}, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 1 });
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      assert((await dumpIndexedDb(page)).includes(runId), 'stored before');
      await page.click(`${row(runId)} [data-action="run-delete"]`);
      await page.waitForSelector(`${row(runId)} [data-action="run-delete-keep"]`);
      await page.click(`${row(runId)} [data-action="run-delete-keep"]`);
      assert(await page.locator(row(runId)).isVisible(), 'kept when the user changes their mind');
      await page.click(`${row(runId)} [data-action="run-delete"]`);
      await page.click(`${row(runId)} [data-action="run-delete-confirm"]`);
      await page.waitForSelector(row(runId), { state: 'detached' });
      assert(!(await dumpIndexedDb(page)).includes(runId), 'nothing of the run is left in IndexedDB');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],

  ['the parameter report follows the preset and the form refuses bad input', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
    await page.waitForSelector('[data-parameter-report="model"]');
    await page.selectOption('#run-model-preset', 'openai');
    await fill(page, 'run-model-model', 'o3-mini');
    await fill(page, 'run-model-key', 'sk-form-test-0000');
    await fill(page, 'run-temperature', '0.7');
    await page.waitForSelector('[data-parameter-report="model"] [data-parameter="temperature"][data-outcome="dropped"]');
    await fill(page, 'run-k', 'five');
    await page.waitForFunction(() => document.querySelector('#run-start')?.dataset.ready === 'false');
    assert(await page.locator('#run-k-msg .field-error').isVisible(), 'the k field says what is wrong');
    assertEqual(await page.getAttribute('#run-k', 'aria-invalid'), 'true', 'k is marked invalid');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['judge replies without a verdict are asked again at most twice, then recorded as judge errors and counted beside the metrics', async ({ browser, appUrl, sim }) => {
    // The simulator draws which judge calls reply without a verdict, and on how many asks (the
    // first, the first two, or all), per item, sample and judge: the same for every run.
    await withSim(sim, { judge_unparsable_rate: 0.3 }, async () => {
      const { context, page, pageErrors } = await openApp(browser, appUrl, '/run');
      await configure(page, sim, { k: 2 });
      const runId = await start(page);
      await waitForStatus(page, runId, 'finished');
      const file = JSON.parse((await download(page, 'run-export-json')).text);
      assertEqual(file.samples.length, 60, 'every sample is in the run file');
      // The app tags a re-ask `<run>.ask<n>/<call>`; with no transport faults every request is
      // one ask, so the asks of a call add up over its tags.
      const asks = new Map();
      for (const [tag, c] of completedCounts(await sim.counts())) {
        const match = tag.startsWith(runId) && /^(?:\.ask(\d+))?\/(.*\/judge-(?:answer|reasoning))$/.exec(tag.slice(runId.length));
        if (!match) continue;
        const ask = Number(match[1] ?? 1);
        assert(ask <= 3, `${tag}: at most two re-asks`);
        asks.set(match[2], (asks.get(match[2]) ?? 0) + c.received);
      }
      assert(asks.size >= 60, `the simulator saw the judge calls (${asks.size})`);
      const over = [...asks].filter(([, n]) => n > 3);
      assertEqual(over, [], 'no judge call asked more than 3 times (1 + 2 re-asks)');
      const histogram = [0, 0, 0, 0];
      for (const n of asks.values()) histogram[n] += 1;
      assert(histogram[2] > 0 && histogram[3] > 0, `some judge calls were asked 2 or 3 times (${histogram})`);
      const errors = { answer: 0, reasoning: 0 };
      const verdicts = { answer: 0, reasoning: 0 };
      for (const sample of file.samples) {
        for (const [side, stage] of [['answer', 'judge-answer'], ['reasoning', 'judge-reasoning']]) {
          const judgement = sample[`${side}_judgement`];
          const key = `${sample.item}/${sample.sample}/${stage}`;
          if (judgement.status === 'no_trace') {
            assertEqual(side, 'reasoning', `${key}: only a reasoning judgement can lack a trace`);
            continue;
          }
          const n = asks.get(key);
          assert(n !== undefined, `${key} reached the simulator`);
          if (judgement.status === 'judge_error') {
            // Asked three times and never given a verdict: the last reply names none.
            assertEqual(n, 3, `${key}: a judge error after three asks`);
            assert(judgement.reply.startsWith('[simulated]') && !judgement.reply.includes('"verdict"'), `${key}: the last reply has no verdict (${judgement.reply})`);
            assert(judgement.message.includes('judge error'), `${key}: the message says judge error (${judgement.message})`);
            errors[side] += 1;
          } else {
            assertEqual(judgement.status, 'verdict', `${key}: a verdict`);
            assertEqual(judgement.attempts, n, `${key}: the run file counts the asks the simulator saw`);
            assert(typeof judgement.verdict === 'string' && judgement.verdict.length > 0, `${key}: the verdict is a label`);
            verdicts[side] += 1;
          }
        }
      }
      assert(errors.answer + errors.reasoning > 0, `some judge calls never gave a verdict (${JSON.stringify(errors)})`);
      const recovered = [...asks.values()].filter((n) => n > 1).length - errors.answer - errors.reasoning;
      assert(recovered > 0, `some re-asked judge calls gave a verdict (${recovered})`);
      // The Run page counts the unreadable replies and the re-asks.
      const kinds = await page.$$eval('.error-table [data-error-kind]', (rows) => rows.map((r) => r.dataset.errorKind));
      assert(kinds.includes('JudgeUnparsable'), `the page counted replies without a verdict (${kinds})`);
      const retries = await page.locator('.progress-facts [data-retries]').innerText();
      const reasks = [...asks.values()].reduce((sum, n) => sum + n - 1, 0);
      assert(retries.includes(`${reasks} judge re-asks`), `the page counts ${reasks} re-asks: ${retries}`);
      // Beside the Run page's metrics (which leave judge errors out): the same counts as on the
      // Results page (the live metrics follow the run at most once a second).
      const answerLine = `${verdicts.answer} verdicts · 0 unjudged · ${errors.answer} judge errors`;
      await page.waitForFunction((want) => document.querySelector('.live-metrics [data-coverage="answers"]')?.textContent.trim() === want,
        answerLine, { timeout: 10000 }).catch(async () => {
        const shown = await page.locator('.live-metrics [data-coverage="answers"]').innerText().catch(() => '(none)');
        throw new Error(`the Run page's answer counts: ${shown}, expected ${answerLine}`);
      });
      const liveReasoning = (await page.locator('.live-metrics [data-coverage="reasoning"]').innerText()).trim();
      assert(liveReasoning.startsWith(`${verdicts.reasoning} verdicts · 0 unjudged · ${errors.reasoning} judge errors · `), `the Run page's reasoning counts: ${liveReasoning}`);
      await page.click('#run-to-results');
      await page.waitForFunction(() => window.location.hash === '#/results');
      await page.waitForSelector('.results-dashboard [data-coverage="answers"]');
      const answers = (await page.locator('.results-dashboard [data-coverage="answers"]').innerText()).trim();
      assertEqual(answers, `${verdicts.answer} verdicts · 0 unjudged · ${errors.answer} judge errors`, 'answer coverage');
      const reasoning = (await page.locator('.results-dashboard [data-coverage="reasoning"]').innerText()).trim();
      assert(reasoning.startsWith(`${verdicts.reasoning} verdicts · 0 unjudged · ${errors.reasoning} judge errors · `), `reasoning coverage: ${reasoning}`);
      await screenshot(page, 'run-judge-errors');
      assertEqual(pageErrors, [], 'no page errors');
      await context.close();
    });
  }],
];
