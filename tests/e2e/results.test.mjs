// The Results, Compare and Leaderboard pages against the release build, with the real dataset
// and judged CSVs generated here (seeded random verdicts), checked against `bsa score`.
import { writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS, ROOT, assert, assertClose, assertEqual, bsa, openApp, screenshot, sharedFile, skip,
} from './harness.mjs';

/** Reads `id` and `dataset_name` of every row of an RFC 4180 CSV (fields may hold newlines). */
function datasetItems(file) {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const header = rows[0];
  const id = header.indexOf('id');
  const scenario = header.indexOf('dataset_name');
  return rows.slice(1).filter((r) => r.length === header.length).map((r) => ({ id: r[id], scenario: r[scenario] }));
}

/** mulberry32: a small seeded generator, so the same seed always writes the same file. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = {
  'Risk Omission': ['True', 'False'],
  'Cognitive Shortcut': ['Fully Covered', 'Partially Covered', 'Not Covered'],
  'Over Sensitivity': ['Precise Coverage', 'Over Sensitive', 'Not Covered'],
};

/** A judged CSV of `models` models on every item, k samples each, per-model rates drawn first. */
function judgedCsv(items, models, k, seed) {
  const random = generator(seed);
  const lines = ['model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge'];
  for (let m = 0; m < models; m += 1) {
    const name = `e2e-model-${String(m + 1).padStart(2, '0')}`;
    const safeRate = 0.55 + 0.4 * random();
    const thinkRate = 0.15 + 0.6 * random();
    for (const item of items) {
      const labels = LABELS[item.scenario];
      for (let s = 0; s < k; s += 1) {
        const safe = random() < safeRate ? 'Safe' : 'Unsafe';
        const think = random() < thinkRate ? labels[0] : labels[1 + Math.floor(random() * (labels.length - 1))];
        lines.push(`${name},${item.id},${item.scenario},${safe},${think}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const number = (text) => Number.parseFloat(String(text).trim());

async function loadRealDataset(page, file) {
  await page.setInputFiles('#dataset-file', file);
  await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim() === '2000', null, { timeout: 30000 });
}

async function goTo(page, hash) {
  await page.evaluate((h) => { window.location.hash = h; }, hash);
  await page.waitForFunction((h) => document.querySelector('.site-nav a[aria-current="page"]')?.getAttribute('href')?.endsWith(h), hash);
}

export const tests = [
  ['imports a generated judged CSV and shows what bsa score prints', async ({ browser, appUrl }) => {
    // The real dataset when it is here (complete results: official mode); else the app's own
    // made-up sample, which the page opens with (30 items: evaluated mode on both sides).
    const realFile = sharedFile('dataset.csv');
    const datasetFile = realFile ?? path.join(ROOT, 'data/sample.csv');
    if (!realFile) console.log('        ../shared/bsa/dataset.csv is absent: judging the sample dataset instead');
    const items = datasetItems(datasetFile);
    assertEqual(items.length, realFile ? 2000 : 30, 'dataset rows read by the test');
    await mkdir(ARTIFACTS, { recursive: true });
    const csvFile = path.join(ARTIFACTS, `results-judged-3x${items.length}x5.csv`);
    await writeFile(csvFile, judgedCsv(items, 3, 5, 20250601));

    const cli = JSON.parse(bsa('score', csvFile, '--format', 'json', '--dataset', datasetFile));
    assertEqual(cli.models.length, 3, 'models scored by bsa');

    const { context, page, pageErrors } = await openApp(browser, appUrl, '/dataset');
    if (realFile) await loadRealDataset(page, datasetFile);
    else await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim().startsWith('30'));
    await goTo(page, '/results');
    await page.setInputFiles('#results-file', csvFile);
    await page.waitForFunction(() => document.querySelectorAll('.models-table tbody tr').length === 3, null, { timeout: 60000 });
    await page.waitForSelector('.score-timing[data-intervals="done"]', { timeout: 60000 });

    for (const model of cli.models) {
      for (const key of ['safe_at_1', 'think_at_1', 'f_score']) {
        const cell = page.locator(`.models-table tr[data-model="${model.model}"] td[data-metric="${key}"] .metric-value`);
        const shown = number(await cell.innerText());
        assertClose(shown, model[key], 0.005, `${model.model} ${key}`);
      }
      // Complete data: official mode on both sides; the sample: evaluated on both sides.
      const expectedMode = realFile ? 'official' : 'evaluated';
      assertEqual(model.mode, expectedMode, `${model.model}: bsa's mode`);
      const mode = (await page.locator(`.models-table tr[data-model="${model.model}"] td.mode`).innerText()).trim();
      assertEqual(mode, expectedMode, `${model.model}: the page's mode`);
    }
    const timing = await page.locator('.score-timing').getAttribute('data-score-ms');
    console.log(`        scored ${3 * 5 * items.length} rows in ${timing} ms on the page`);

    // Categories come from the real dataset: no notice about missing items.
    assert(!(await page.locator('.dataset-match.notice').count()), 'every result item is in the dataset');

    // A click on a category bar filters the item browser to that category.
    const category = 'Rumors';
    const first = cli.models[0];
    const expected = first.categories.primary.find((c) => c.category === category).items;
    await page.locator(`.results-categories .bsa-bar[data-series="think_at_1"][data-category="${category}"]`).dispatchEvent('click');
    await page.waitForFunction((n) => document.querySelector('.results-browser .result-count')?.dataset.matching === String(n), expected);
    const rows = await page.locator('.result-item').evaluateAll((els) => els.map((el) => el.dataset.categories));
    assert(rows.length > 0 && rows.every((c) => c.includes(category)), 'every listed item is in the category');
    assert((await page.locator('.filter-chip[data-chip="category"]').innerText()).includes(category), 'the filter is shown');
    await screenshot(page, 'results-page');

    // Compare: the first model against the others.
    await goTo(page, '/compare');
    await page.waitForSelector('.differences-table td.difference', { timeout: 60000 });
    await page.waitForSelector('.disagreement-table tbody tr', { timeout: 60000 });
    await page.waitForFunction(() => !document.querySelector('.differences-table tr.pending'), null, { timeout: 60000 });
    await screenshot(page, 'compare-page');

    // Leaderboard: the three models inserted and marked.
    await goTo(page, '/leaderboard');
    await page.waitForSelector('.leaderboard-table tr.row-yours');
    assertEqual(await page.locator('.leaderboard-table tr.row-yours').count(), 3, 'your rows');
    await screenshot(page, 'leaderboard-yours');

    // The same page in the dark theme with large type, for a look at readability.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.getByRole('button', { name: 'Large type' }).click();
    await goTo(page, '/results');
    await page.waitForSelector('.models-table tbody tr');
    await screenshot(page, 'results-dark-large');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['scores 230,000 rows (23 models x 2,000 items x 5) and shows every model', async ({ browser, appUrl }) => {
    const datasetFile = sharedFile('dataset.csv');
    if (!datasetFile) skip('../shared/bsa/dataset.csv is absent');
    const items = datasetItems(datasetFile);
    const csvFile = path.join(os.tmpdir(), 'bsa-e2e-judged-23x2000x5.csv');
    await writeFile(csvFile, judgedCsv(items, 23, 5, 7));
    const { context, page, pageErrors } = await openApp(browser, appUrl, '/results');
    await page.setInputFiles('#results-file', csvFile);
    await page.waitForFunction(() => document.querySelectorAll('.models-table tbody tr').length === 23, null, { timeout: 120000 });
    const scoreMs = number(await page.locator('.score-timing').getAttribute('data-score-ms'));
    await page.waitForSelector('.score-timing[data-intervals="done"]', { timeout: 120000 });
    const timing = (await page.locator('.score-timing').innerText()).trim();
    const notice = (await page.locator('.results-import .notice-success').innerText()).trim();
    console.log(`        ${timing}\n        ${notice.split('\n').join(' ')}`);
    // Timing is for BENCHMARKS.md (scripts/bench/browser.mjs), not asserted here; the page
    // reports a time.
    assert(Number.isFinite(scoreMs) && scoreMs >= 0, `the page reports its scoring time: ${scoreMs}`);
    // The dashboard for 23 models is there and every model has its numbers.
    const values = await page.locator('.models-table td[data-metric="f_score"] .metric-value').allInnerTexts();
    assertEqual(values.length, 23, 'an F-score per model');
    assert(values.every((v) => Number.isFinite(number(v))), 'every F-score is a number');
    await screenshot(page, 'results-23-models');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],
];
