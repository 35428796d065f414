/**
 * The report in real headless Chromium (Debian's chromium, driven by playwright-core): no console
 * error, no request but the file itself, sorting by click and by keyboard, every chart and image
 * drawn with a size. The screenshot is kept as an artifact in $REPORT_ARTIFACTS (default: the OS
 * temp folder's gen-eval-report-artifacts/).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFakeResult, writeFakeRun } from '../src/fake-runs.test-helper.js';
import { renderReport } from '../src/html-report.js';
import { loadInputs } from '../src/load.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.REPORT_ARTIFACTS ?? join(tmpdir(), 'gen-eval-report-artifacts');
// Only a developer machine without chromium may skip; in CI a missing browser is a failure.
const skip = !existsSync(CHROMIUM) && !process.env.CI;
if (skip) console.warn(`report browser test skipped: ${CHROMIUM} is missing (apt-get install chromium; CI never skips)`);

describe.skipIf(skip)('report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  let url: string;

  beforeAll(async () => {
    // Listed out of order on purpose, so that any sort visibly moves rows.
    const runs = [
      writeFakeRun(join(dir, 'runs', 'gan-ring-easy-seed0'), { model: 'gan', modes: [0, 1, 2, 3] }),
      writeFakeRun(join(dir, 'runs', 'wgan-gp-ring-easy-seed0'), { model: 'wgan-gp', modes: [0, 1, 2, 3, 4, 5, 6, 7] }),
      writeFakeRun(join(dir, 'runs', 'ddpm-ring-easy-seed1'), { model: 'ddpm', seed: 1, modes: [0, 1, 2, 3, 4, 5], pngs: 8 }),
    ];
    // A run with a baseline: its chart is layered (lines, a dashed reference rule and its label).
    const config = join(runs[1]!, 'config.json');
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), baselines: { fixed: { label: 'a fixed method', metrics: { mmd: 0.01 } } } }));
    const result = writeFakeResult(join(dir, 'eval.json'), { fid: 14.2 });
    const { entries } = await loadInputs([...runs, result]);
    const { html } = await renderReport(entries, { title: 'browser test report' });
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const column = (name: string) => page.$$eval('#comparison-table thead th', (ths, n) => ths.findIndex((th) => th.textContent!.replace(/[↑↓]/g, '').trim() === n), name);
  const cells = (col: number) => page.$$eval('#comparison-table tbody tr', (trs, c) => trs.map((tr) => tr.children[c]!.getAttribute('data-sort') ?? ''), col);
  const labels = () => page.$$eval('#comparison-table tbody tr th', (ths) => ths.map((th) => th.getAttribute('data-sort')));

  it('loads with no console error and no request but the file itself', async () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('sorts the table when a header is clicked (best first, then reversed)', async () => {
    const before = await labels();
    const col = await column('modes covered');
    expect(col).toBeGreaterThan(0);
    await page.click(`#comparison-table thead th:nth-child(${col + 1}) button`);
    const values = (await cells(col)).filter((v) => v !== '').map(Number);
    expect(values).toEqual([...values].sort((a, b) => b - a)); // higher is better: descending first
    expect(await labels()).not.toEqual(before);
    expect(await page.getAttribute(`#comparison-table thead th:nth-child(${col + 1})`, 'aria-sort')).toBe('descending');
    await page.click(`#comparison-table thead th:nth-child(${col + 1}) button`);
    const again = (await cells(col)).filter((v) => v !== '').map(Number);
    expect(again).toEqual([...again].sort((a, b) => a - b));
    // The result file has no modes_covered: it stays last both ways.
    expect((await cells(col)).at(-1)).toBe('');
  });

  it('sorts by keyboard: Enter and Space on a focused header', async () => {
    const header = page.locator('#comparison-table thead th:first-child button');
    await header.focus();
    await page.keyboard.press('Enter');
    const asc = await labels();
    expect(asc).toEqual([...asc].sort((a, b) => a!.localeCompare(b)));
    expect(await page.getAttribute('#comparison-table thead th:first-child', 'aria-sort')).toBe('ascending');
    await page.keyboard.press('Space');
    expect(await labels()).toEqual([...asc].reverse());
    expect(await page.getAttribute('#comparison-table thead th:first-child', 'aria-sort')).toBe('descending');
  });

  it('draws every chart and image with a non-zero size', async () => {
    const charts = page.locator('svg[role=img]');
    const images = page.locator('img');
    expect(await charts.count()).toBe(5 + 2 + 3 * 2); // 5 quality metrics, 2 losses, scatter + histogram per run
    expect(await images.count()).toBe(8);
    for (const loc of [...(await charts.all()), ...(await images.all())]) {
      const box = await loc.boundingBox();
      expect(box, await loc.evaluate((e) => e.outerHTML.slice(0, 120))).not.toBeNull();
      expect(box!.width).toBeGreaterThan(0);
      expect(box!.height).toBeGreaterThan(0);
    }
    // Images actually decoded (a broken data: URL has a box but no pixels).
    const decoded = await images.evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0));
    expect(decoded).toBe(true);
  });

  it('offers both CSV files as data: downloads', async () => {
    const links = await page.$$eval('a[download]', (as) => as.map((a) => [a.getAttribute('download'), a.getAttribute('href')]));
    expect(links.map((l) => l[0])).toEqual(['comparison.csv', 'metrics-rows.csv']);
    for (const [, href] of links) expect(href).toMatch(/^data:text\/csv;charset=utf-8;base64,/);
    const table = Buffer.from(links[0]![1]!.split(',')[1], 'base64').toString();
    expect(table.split('\n')[0]).toMatch(/^run,kind,path,model,data,steps,wall_seconds,backend,/);
  });

  it('saves a full-page screenshot as an artifact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    console.info(`report screenshot: ${shot}`);
  });
});
