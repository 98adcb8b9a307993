// The app shell and the full app (src/services/full_app.rs): the first download holds only the
// shell; opening Run, Results or Compare loads the full app, which takes over the page with the
// shell's state.
import { writeFile, mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, assert, assertEqual, openApp, screenshot } from './harness.mjs';

// Named with a content hash by the build (scripts/build/hash_full_app.mjs).
const FULL_APP = /bsa-studio-full-[0-9a-f]{16}(_bg\.wasm|\.js)/;

/** A made-up dataset of 60 rows: the sample's rows twice, the copies under new ids (each hex
 * digit of the id complemented). */
async function datasetFile() {
  const text = readFileSync(path.join(ROOT, 'data/sample.csv'), 'utf8').trimEnd();
  const body = text.slice(text.indexOf('\n') + 1);
  const complement = (id) => [...id].map((digit) => (15 - parseInt(digit, 16)).toString(16)).join('');
  // Records start with their id at the start of a line (other lines are inside quoted fields).
  const copies = body.replace(/^[0-9a-f]{32}(?=,)/gm, complement);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bsa-shell-'));
  const file = path.join(dir, 'sixty-items.csv');
  await writeFile(file, `${text}\n${copies}\n`);
  return file;
}

/** Records the requests of `page` whose URL matches `pattern`. */
function requests(page, pattern) {
  const seen = [];
  page.on('request', (request) => { if (pattern.test(request.url())) seen.push(request.url()); });
  return seen;
}

export const tests = [
  ['the Dataset page does not download the full app; Results loads it and keeps the dataset and the filter', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl);
    const full = requests(page, FULL_APP);
    await page.setInputFiles('#dataset-file', await datasetFile());
    await page.waitForFunction(() => /^60\b/.test(document.querySelector('.item-count')?.textContent.trim() ?? ''));
    await page.fill('#filter-search', 'coworker');
    await page.waitForFunction(() => /^\d+ of 60 items/.test(document.querySelector('.result-count')?.textContent.trim() ?? '')
      && !document.querySelector('.result-count').textContent.startsWith('60 of'));
    const count = (await page.locator('.result-count').innerText()).trim();
    const rows = await page.locator('.item-table tbody tr').allInnerTexts();
    assert(rows.length >= 2 && rows.length % 2 === 0 && count.startsWith(`${rows.length} of 60`), `the filter matches sample rows and their copies: ${count}, ${rows.length} rows`);
    await page.click('.site-nav a[href="#/leaderboard"]');
    await page.waitForSelector('table');
    assertEqual(full, [], 'no request for the full app on the Dataset and Leaderboard pages');

    // By keyboard: focus stays on the navigation through the take-over.
    await page.focus('.site-nav a[href="#/results"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Results' && !document.querySelector('.full-app-loader'), null, { timeout: 30000 });
    assert(full.some((url) => url.endsWith('.js')) && full.some((url) => url.endsWith('.wasm')), `the full app was downloaded: ${full}`);
    assertEqual(await page.locator('.full-app-loader').count(), 0, 'the loader is gone');
    await page.waitForFunction(() => document.activeElement?.matches('.site-nav a[href="#/results"]'), null, { timeout: 5000 })
      .catch(() => { throw new Error('focus left the navigation in the take-over'); });

    await page.click('.site-nav a[href="#/dataset"]');
    await page.waitForSelector('.item-count');
    assert(/^60\b/.test((await page.locator('.item-count').innerText()).trim()), 'the loaded file is still the dataset');
    assertEqual(await page.inputValue('#filter-search'), 'coworker', 'the filter is kept');
    assertEqual((await page.locator('.result-count').innerText()).trim(), count, 'the same count');
    assertEqual(await page.locator('.item-table tbody tr').allInnerTexts(), rows, 'the same items are listed');
    assert(await page.getByText('sixty-items.csv').first().isVisible(), 'the file name is shown');
    await screenshot(page, 'shell-after-take-over');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['pointing at a link to a page of the full app starts loading it, without leaving the page', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl);
    const full = requests(page, FULL_APP);
    await page.hover('.site-nav a[href="#/run"]');
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /bsa-studio-full-[0-9a-f]{16}_bg\.wasm$/.test(e.name) && e.responseEnd > 0), null, { timeout: 30000 });
    assert(full.length >= 2, `the full app was requested: ${full}`);
    assertEqual(await page.locator('main h1').first().innerText(), 'Dataset', 'still on the Dataset page');
    assertEqual(await page.locator('.item-count').count(), 1, 'the shell is still mounted');
    const requested = full.length;
    await page.click('.site-nav a[href="#/run"]');
    await page.waitForFunction(() => !document.querySelector('.full-app-loader') && document.querySelector('.runs-list'), null, { timeout: 30000 });
    assertEqual(full.length, requested, 'opening the page downloaded nothing more');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['after a failed dataset load, opening Results asks first, then goes on with the dataset in use', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl);
    await page.setInputFiles('#dataset-file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('id,query\n1,two columns only\n') });
    await page.waitForSelector('.problem-list li');
    await page.click('.site-nav a[href="#/results"]');
    await page.waitForSelector('.full-app-loader .failed-dataset', { timeout: 30000 });
    const notice = await page.locator('.failed-dataset').innerText();
    assert(notice.includes('broken.csv') && notice.includes('built-in sample'), `the notice names the file and the dataset in use: ${notice}`);
    await page.click('.failed-dataset .go-on');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Results' && !document.querySelector('.full-app-loader'), null, { timeout: 30000 });
    await page.click('.site-nav a[href="#/dataset"]');
    assert(/^30\b/.test((await page.locator('.item-count').innerText()).trim()), 'the sample is still the dataset');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['a page of the full app opened directly loads it, and a failed download can be retried', async ({ browser, appUrl }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.route(FULL_APP, (route) => route.abort('internetdisconnected'));
    await page.goto(`${appUrl}#/compare`);
    await page.waitForSelector('.full-app-loader [role="alert"]', { timeout: 30000 });
    const message = await page.locator('.full-app-loader [role="alert"]').innerText();
    assert(message.includes('could not be loaded') && FULL_APP.test(message), `the error says what failed: ${message}`);
    await screenshot(page, 'shell-full-app-failed');

    // The shell still works meanwhile.
    await page.click('.site-nav a[href="#/dataset"]');
    assertEqual((await page.locator('.item-count').innerText()).trim(), '30', 'the Dataset page still works');
    await page.click('.site-nav a[href="#/compare"]');
    await page.waitForSelector('.full-app-loader [role="alert"]', { timeout: 30000 });
    await page.unroute(FULL_APP);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForSelector('#compare-title', { timeout: 30000 });
    assertEqual(await page.locator('.full-app-loader').count(), 0, 'the loader is gone');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],
];
