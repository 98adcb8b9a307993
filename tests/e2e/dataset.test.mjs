// The shell and the Dataset page, against the release build.
import { assert, assertEqual, openApp, screenshot, sharedFile, skip } from './harness.mjs';

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
      await screenshot(page, `page-${name}`);
    }
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
