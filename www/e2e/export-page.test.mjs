// The export screen: an RFM segment of the Chinese (GBK) sample downloaded from the page in
// every format, split into a zip per store, and as a hashed ad list after its match-key
// report — each file equal to what `audience-lab export` writes for the same rule and columns
// (XLSX and zip entries compared member by member: their timestamps differ).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, foreignRequests, generate, tempDir, loadFiles, resultsDir, BIN } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof start>>} */
let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

/**
 * The CLI's export of `rule`; returns the file's bytes and stdout.
 * @param {string} dir @param {object} rule @param {string[]} flags
 */
function cliExport(dir, rule, flags) {
  const tmp = tempDir();
  writeFileSync(join(tmp, 'rule.json'), JSON.stringify(rule));
  const out = join(tmp, 'out');
  const stdout = execFileSync(BIN, ['export', '--orders', join(dir, 'orders.csv'), '--members', join(dir, 'members.csv'), '--rule', join(tmp, 'rule.json'), ...flags, '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { bytes: readFileSync(out), stdout };
}

/**
 * The entries of a zip (XLSX or split export) by name, read by Python's zipfile (docProps,
 * which carries the creation time, left out).
 * @param {Buffer} bytes
 * @returns {Record<string, string>}
 */
function zipEntries(bytes) {
  const path = join(tempDir(), 'f.zip');
  writeFileSync(path, bytes);
  const py = 'import sys, zipfile, json, base64; z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist() if not n.startswith("docProps/")}))';
  return JSON.parse(execFileSync('python3', ['-c', py, path], { encoding: 'utf8' }));
}

/**
 * Clicks Download and returns the file.
 * @param {import('playwright-core').Page} page
 */
async function download(page) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('audience-lab #download')]);
  return { name: d.suggestedFilename(), bytes: readFileSync(/** @type {string} */ (await d.path())) };
}

test('every format, a split zip and an ad list download from the page as the CLI writes them', async () => {
  const dir = generate({ members: 1200, seed: 19, lang: 'zh' });
  const { page, requests, errors, context } = await openPage(env.browser, env.url, { locale: 'zh-CN' });
  await loadFiles(page, dir);
  await page.click('audience-lab #tab-rfm');
  await page.click('audience-lab #segments tr[data-segment="at_risk"] button');
  await page.waitForSelector('audience-lab .view-builder');
  await page.click('audience-lab details:has(#rule-json) summary');
  const segment = JSON.parse(await page.inputValue('audience-lab #rule-json'));
  await page.click('audience-lab #to-export');
  await page.waitForSelector('audience-lab #download');
  const columns = await page.$$eval('audience-lab #columns input:checked', (i) => i.map((e) => /** @type {HTMLInputElement} */ (e).value));
  assert.ok(columns.includes('segment') && columns.includes('phone'), `default columns ${columns}`);

  for (const [format, ext] of [['csv', 'csv'], ['xlsx', 'xlsx'], ['parquet', 'parquet'], ['arrow', 'arrow'], ['json', 'json'], ['ndjson', 'ndjson']]) {
    await page.selectOption('audience-lab #export-format', format);
    const got = await download(page);
    const want = cliExport(dir, segment, ['--format', format, '--columns', columns.join(',')]).bytes;
    assert.ok(got.name.startsWith('audience-') && got.name.endsWith(`.${ext}`), got.name);
    if (format === 'xlsx') assert.deepEqual(zipEntries(got.bytes), zipEntries(want), 'xlsx sheets');
    else assert.ok(got.bytes.equals(want), `${format}: ${got.bytes.length} vs ${want.length} bytes`);
  }

  await page.selectOption('audience-lab #export-format', 'csv');
  await page.selectOption('audience-lab #export-split', 'store');
  const zip = await download(page);
  assert.ok(zip.name.endsWith('.zip'), zip.name);
  const entries = zipEntries(zip.bytes);
  assert.deepEqual(entries, zipEntries(cliExport(dir, segment, ['--columns', columns.join(','), '--split-by', 'store']).bytes));
  assert.ok(Object.keys(entries).includes('summary.csv') && Object.keys(entries).length > 2, `${Object.keys(entries)}`);
  await page.screenshot({ path: join(resultsDir(), 'zh-export-file.png'), fullPage: true });

  // An ad list: the match report first, then the hashed file.
  await page.check('audience-lab #export-kind-ads');
  await page.selectOption('audience-lab #export-platform', 'google');
  await page.waitForSelector('audience-lab #match-report [data-rows]');
  const cli = cliExport(dir, segment, ['--profile', 'google']);
  const report = JSON.parse(cli.stdout);
  assert.equal(Number(await page.getAttribute('audience-lab #match-report [data-rows]', 'data-rows')), report.rows);
  const shown = await page.$$eval('audience-lab #match-report tr[data-key="phone"] td', (tds) => tds.map((td) => Number((td.textContent ?? '').replace(/[^0-9]/g, ''))));
  assert.deepEqual(shown, [report.phone.present, report.phone.valid, report.phone.alreadyHashed, report.phone.invalid, report.phone.duplicates]);
  await page.screenshot({ path: join(resultsDir(), 'zh-export-ads.png'), fullPage: true });
  const ads = await download(page);
  assert.ok(ads.bytes.equals(cli.bytes), 'google list');
  assert.equal(Number(await page.getAttribute('audience-lab #export-status', 'data-rows')), report.rows);

  assert.deepEqual(foreignRequests(requests, env.url), []);
  assert.deepEqual(errors, []);
  await context.close();
});
