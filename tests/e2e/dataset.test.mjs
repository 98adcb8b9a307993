// The shell and the Dataset page, against the release build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, assert, assertEqual, openApp, screenshot, sharedFile, skip } from './harness.mjs';

export const tests = [
  ['opens with the made-up sample dataset loaded', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl);
    assert((await page.title()).includes('BSA Studio'), 'title names the app');
    assertEqual((await page.locator('.item-count').innerText()).trim(), '30', 'sample item count');
    assert(await page.locator('.sample-warning').isVisible(), 'the sample is marked as made-up');
    await screenshot(page, 'dataset-sample');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['serves from a sub-path and every page renders', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, `${appUrl}sub/path/`);
    for (const [hash, name] of [['/run', 'run'], ['/results', 'results'], ['/compare', 'compare'], ['/leaderboard', 'leaderboard'], ['/about', 'about']]) {
      await page.evaluate((h) => { window.location.hash = h; }, hash);
      await page.waitForFunction((h) => document.querySelector(`.site-nav a[aria-current="page"]`)?.getAttribute('href')?.endsWith(h), hash);
      // Run, Results and Compare come with the full app, loaded from the sub-path too.
      await page.waitForFunction(() => document.querySelector('main h1') && !document.querySelector('.full-app-loader'), null, { timeout: 30000 });
      await screenshot(page, `page-${name}`);
    }
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['a file dropped on the Dataset page is loaded (drag and drop); a bad one is explained and changes nothing', async ({ browser, appUrl }) => {
    const { context, page, pageErrors } = await openApp(browser, appUrl);
    const sample = readFileSync(path.join(ROOT, 'data/sample.csv'), 'utf8');
    const zone = page.locator('.file-drop').first();
    const drop = async (name, text) => {
      const dataTransfer = await page.evaluateHandle(([n, t]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([t], n, { type: 'text/csv' }));
        return transfer;
      }, [name, text]);
      await zone.dispatchEvent('dragover', { dataTransfer });
      assert(await zone.evaluate((el) => el.classList.contains('dragging')), 'the drop zone shows a file over it');
      await zone.dispatchEvent('drop', { dataTransfer });
    };
    // The sample's first 10 records (records start with their id at the start of a line).
    const starts = [...sample.matchAll(/^[0-9a-f]{32},/gm)].map((m) => m.index);
    await drop('ten.csv', sample.slice(0, starts[10]));
    await page.waitForFunction(() => /^10\b/.test(document.querySelector('.item-count')?.textContent.trim() ?? ''));
    assert(await page.getByText('ten.csv').first().isVisible(), 'the dropped file is named');
    assert(!(await zone.evaluate((el) => el.classList.contains('dragging'))), 'the drop zone is back to normal');

    await drop('broken.csv', 'id,query\n1,only two columns\n');
    await page.waitForSelector('.problem-list li');
    const problem = await page.locator('.problem-list li').first().innerText();
    assert(problem.includes('broken.csv'), `the problem names the file: ${problem}`);
    assert(/^10\b/.test((await page.locator('.item-count').innerText()).trim()), 'the dataset is unchanged');
    assertEqual(pageErrors, [], 'no page errors');
    await context.close();
  }],

  ['loads the real dataset from a file and shows 2,000 items', async ({ browser, appUrl }) => {
    const file = sharedFile('dataset.csv');
    if (!file) skip('../shared/bsa/dataset.csv is absent');
    const { context, page } = await openApp(browser, appUrl);
    await page.setInputFiles('#dataset-file', file);
    await page.waitForFunction(() => document.querySelector('.item-count')?.textContent.trim() === '2000', null, { timeout: 20000 });
    assert(await page.getByText('matches the official dataset').isVisible(), 'checksum recognised');
    await screenshot(page, 'dataset-official');
    await context.close();
  }],
];
