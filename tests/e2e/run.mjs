// Runs the end-to-end suite: every tests/e2e/*.test.mjs, one test at a time, each in a fresh
// browser context. Usage: node tests/e2e/run.mjs [name-filter]
import { readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { DIST, ARTIFACTS, Skip, startStaticServer, startSimulator, launchBrowser } from './harness.mjs';

const filter = process.argv[2] ?? '';
const here = path.dirname(new URL(import.meta.url).pathname);
if (!existsSync(path.join(DIST, 'index.html'))) {
  console.error(`${DIST}/index.html is missing: run 'trunk build --release --offline' first (scripts/e2e.sh builds its own)`);
  process.exit(1);
}
await mkdir(path.join(ARTIFACTS, 'failures'), { recursive: true });

const files = (await readdir(here)).filter((f) => f.endsWith('.test.mjs')).sort();
const server = await startStaticServer();
const sim = await startSimulator();
const browser = await launchBrowser();
const ctx = { appUrl: server.url, sim, browser };
let passed = 0; let failed = 0; let skipped = 0;
const started = Date.now();
try {
  for (const file of files) {
    const { tests } = await import(path.join(here, file));
    for (const [name, fn] of tests) {
      const full = `${file.replace('.test.mjs', '')} > ${name}`;
      if (filter && !full.includes(filter)) continue;
      const t0 = Date.now();
      try {
        await sim.reset();
        await fn(ctx);
        passed += 1;
        console.log(`  ok    ${full} (${Date.now() - t0} ms)`);
      } catch (error) {
        if (error instanceof Skip) {
          skipped += 1;
          console.log(`  skip  ${full}: ${error.message}`);
        } else {
          failed += 1;
          console.log(`  FAIL  ${full} (${Date.now() - t0} ms)\n        ${String(error.stack ?? error).split('\n').join('\n        ')}`);
        }
      }
    }
  }
} finally {
  await browser.close();
  await sim.close();
  await server.close();
}
console.log(`\nend-to-end: ${passed} passed, ${failed} failed, ${skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${ARTIFACTS}`);
process.exit(failed > 0 ? 1 : 0);
