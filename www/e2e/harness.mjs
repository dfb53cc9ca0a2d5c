// Shared pieces of the end-to-end tests: the static server, Debian's Chromium driven by
// playwright-core, the native CLI as the independent side of every comparison, and a small
// RFC 4180 reader (so CSV checks do not go through the engine's own parser).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

export const WWW = fileURLToPath(new URL('..', import.meta.url));
export const ROOT = join(WWW, '..');
export const RESULTS = join(WWW, 'test-results');
export const BIN = process.env.AUDIENCE_LAB_BIN ?? join(ROOT, 'target/debug/audience-lab');

/** Chromium flags for this machine: no sandbox as root, no background network. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts the server and the browser. Every request of every context (pages and workers) is
 * watched: `close()` stops both and throws if any went to another origin than the server's
 * (hosts in `allowHosts` excepted), so no test can pass while something leaves the machine.
 * @param {{ allowHosts?: string[] }} [opts]
 * @returns {Promise<{ url: string, browser: import('playwright-core').Browser, foreign: string[], close: () => Promise<void> }>}
 */
export async function start({ allowHosts = [] } = {}) {
  const { server, url } = await serve({ port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  /** @type {string[]} */
  const foreign = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('request', (req) => {
      const bad = foreignRequests([req.url()], /** @type {string} */ (url));
      foreign.push(...bad.filter((u) => !allowHosts.includes(new URL(u).hostname)));
    });
    return context;
  };
  return {
    url: /** @type {string} */ (url),
    browser,
    foreign,
    close: async () => {
      await browser.close();
      await new Promise((r) => /** @type {import('node:http').Server} */ (server).close(r));
      if (foreign.length) throw new Error(`requests to another origin: ${foreign.join(', ')}`);
    },
  };
}

/**
 * A new page with every request and console error recorded.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {{ locale?: string, init?: () => void }} [opts] the browser's language (the app follows
 *   it); `init` runs in every document of the page before its own scripts
 */
export async function openPage(browser, url, { locale = 'en-US', init } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, locale, viewport: { width: 1280, height: 900 } });
  /** @type {string[]} */
  const requests = [];
  /** @type {string[]} */
  const errors = [];
  // The context sees the page's and the worker's requests.
  context.on('request', (req) => requests.push(req.url()));
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { context, page, requests, errors };
}

/**
 * The requests that went anywhere but `base`'s origin (blob: and data: URLs stay local).
 * @param {string[]} requests
 * @param {string} base
 */
export function foreignRequests(requests, base) {
  const origin = new URL(base).origin;
  return requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin);
}

/**
 * Runs the CLI; returns stdout.
 * @param {string[]} args
 */
export function cli(args) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** @type {string[]} the folders tempDir made, removed when this process exits */
const temporary = [];
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(name = 'al-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), name));
  temporary.push(dir);
  return dir;
}

/**
 * Generates sample exports with the CLI.
 * @param {{ members: number, seed: number, lang?: 'en' | 'zh' }} o
 */
export function generate({ members, seed, lang = 'en' }) {
  const dir = tempDir();
  cli(['gen', '--members', String(members), '--seed', String(seed), '--lang', lang, '--out', dir]);
  return dir;
}

/**
 * Parses RFC 4180 CSV text (quoted fields, doubled quotes, embedded newlines) to rows.
 * @param {string} text
 * @returns {string[][]}
 */
export function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  let row = /** @type {string[]} */ ([]);
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/**
 * Reads a CSV file written by the CLI (no BOM) into header + rows.
 * @param {string} path
 */
export function readCsvFile(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return { header, rows };
}

/**
 * Members per RFM segment according to the CLI (`audience-lab rfm`).
 * @param {string} dir folder with members.csv and orders.csv
 * @param {string[]} [extra] more CLI flags
 */
export function cliSegmentCounts(dir, extra = []) {
  const out = join(tempDir(), 'rfm.csv');
  cli(['rfm', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), ...extra, '--out', out]);
  const { header, rows } = readCsvFile(out);
  const col = header.indexOf('segment');
  /** @type {Record<string, number>} */
  const counts = {};
  for (const r of rows) counts[r[col]] = (counts[r[col]] ?? 0) + 1;
  return { counts, buyers: rows.length };
}

/**
 * The member ids of a rule according to the CLI (`audience-lab segment`).
 * @param {string} dir
 * @param {object} rule SPEC §3 JSON
 */
export function cliSegmentIds(dir, rule) {
  const tmp = tempDir();
  const rulePath = join(tmp, 'rule.json');
  writeFileSync(rulePath, JSON.stringify(rule));
  const out = join(tmp, 'audience.csv');
  cli(['segment', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), '--rule', rulePath, '--out', out]);
  return readCsvFile(out).rows.map((r) => r[0]);
}

/** The screenshot folder, created on demand. */
export function resultsDir() {
  mkdirSync(RESULTS, { recursive: true });
  return RESULTS;
}

/**
 * Calls the JS API of the client the `<audience-lab>` element drives: `lab[method](...args)`.
 * @param {import('playwright-core').Page} page
 * @param {string} method
 * @param {unknown[]} args
 */
export function appLab(page, method, ...args) {
  return elementLab(page, 'audience-lab', method, ...args);
}

/**
 * Calls the JS API of the client that the `<audience-lab>` element matching `selector` drives.
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 * @param {string} method
 * @param {unknown[]} args
 */
export function elementLab(page, selector, method, ...args) {
  return page.evaluate(async ({ selector, method, args }) => {
    const lab = await /** @type {any} */ (document.querySelector(selector)).lab;
    return lab[method](...args);
  }, { selector, method, args });
}

/**
 * Picks the members and orders files through the element's inputs, commits the mapping
 * preview, and waits for both load reports.
 * @param {import('playwright-core').Page} page
 * @param {string} dir
 * @param {string} [element] the selector of the `<audience-lab>` to load into
 */
export async function loadFiles(page, dir, element = 'audience-lab') {
  for (const kind of ['members', 'orders']) {
    await page.setInputFiles(`${element} #file-${kind}`, join(dir, `${kind}.csv`));
    await page.click(`${element} #commit-${kind}`);
    await page.waitForSelector(`${element} #report-${kind} .rows`);
  }
}

/**
 * Installs `globalThis.saveInFrame(blob, name)` in a page: offers a Blob as a download
 * (object URL and a download link) from a fresh, hidden iframe of the page's origin.
 *
 * Why a frame of its own: Blink lets one frame start at most 10 downloads within a second of
 * the first download of a burst (`kBurstDownloadLimit` in `LocalFrame::ShouldThrottleDownload`)
 * and drops the rest without a trace: no download, no `download` event, no console message.
 * A test that downloads more than ten files from one document inside a second loses the
 * eleventh, and whether it does depends on the machine's speed (export.test.mjs downloads 12
 * files in about 1.8 s here; on a faster machine its 11th came within the second). Each
 * download from its own frame has its own budget, however fast the machine.
 * @param {import('playwright-core').Page} page
 */
export function installSaveInFrame(page) {
  return page.evaluate(() => {
    /** @param {Blob} blob @param {string} name */
    const saveInFrame = (blob, name) => {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      document.body.append(frame);
      const doc = /** @type {Document} */ (frame.contentDocument);
      const url = URL.createObjectURL(blob);
      const a = doc.createElement('a');
      a.href = url;
      a.download = name;
      doc.body.append(a);
      a.click();
      setTimeout(() => { frame.remove(); URL.revokeObjectURL(url); }, 10_000);
    };
    Object.assign(globalThis, { saveInFrame });
  });
}
