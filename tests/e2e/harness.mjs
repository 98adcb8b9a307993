// The end-to-end harness: a static server for dist/, the provider simulator, Debian's Chromium
// driven by playwright-core, and a tiny sequential test runner. Everything runs on 127.0.0.1.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The build under test: scripts/e2e.sh builds one per run; by hand, `trunk build` gives dist/.
export const DIST = process.env.BSA_E2E_DIST ?? path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const SHARED_BSA = path.resolve(ROOT, '../shared/bsa');
export const BSA_CLI = path.join(ROOT, 'target/release/bsa');
const SIM_BIN = path.join(ROOT, 'target/release/bsa-sim');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` at `/` and again under `/sub/path/` (to prove the app works under a sub-path). */
export async function startStaticServer(dir = DIST) {
  const server = createServer(async (req, res) => {
    try {
      let urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (urlPath.startsWith('/sub/path/')) urlPath = urlPath.slice('/sub/path'.length);
      if (urlPath.endsWith('/')) urlPath += 'index.html';
      const file = path.join(dir, path.normalize(urlPath));
      if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, port, close: () => new Promise((r) => server.close(r)) };
}

/** Starts target/release/bsa-sim on a free port; resolves once it prints its address. */
export async function startSimulator(extraArgs = []) {
  if (!existsSync(SIM_BIN)) throw new Error(`${SIM_BIN} is missing: build it with cargo build --release -p bsa-sim`);
  const child = spawn(SIM_BIN, ['--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bsa-sim did not start: ${out}${log}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`bsa-sim exited with ${code}: ${out}${log}`)); });
  });
  const json = async (method, p, body) => {
    const res = await fetch(url + p, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    config: (patch) => (patch ? json('POST', '/sim/config', patch) : json('GET', '/sim/config')),
    counts: () => json('GET', '/sim/counts'),
    reset: () => json('POST', '/sim/reset'),
    close: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
  };
}

/** Debian's Chromium, headless, with the flags this sandbox needs (no background networking). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs `bsa` (release build) and returns stdout. */
export function bsa(...args) {
  return execFileSync(BSA_CLI, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function sharedFile(name) {
  const file = path.join(SHARED_BSA, name);
  return existsSync(file) ? file : null;
}

export class Skip extends Error {}
export const skip = (why) => { throw new Skip(why); };

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
export function assertEqual(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
export function assertClose(actual, expected, tolerance, message) {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${message}: expected ${expected} +/- ${tolerance}, got ${actual}`);
  }
}

/** Opens the app in a fresh context (fresh storage); collects console text and page errors. */
export async function openApp(browser, appUrl, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLines = [];
  const pageErrors = [];
  page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(appUrl + (hash ? `#${hash}` : ''));
  await page.waitForSelector('[data-app-ready]', { timeout: 30000 });
  return { context, page, consoleLines, pageErrors };
}

export async function screenshot(page, name) {
  await mkdir(path.join(ARTIFACTS, 'screenshots'), { recursive: true });
  const file = path.join(ARTIFACTS, 'screenshots', `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export { stat };
