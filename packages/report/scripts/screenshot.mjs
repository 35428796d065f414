#!/usr/bin/env node
/**
 * Screenshots a report page in headless Chromium (Debian's, driven by playwright-core), for the
 * docs: `node packages/report/scripts/screenshot.mjs report.html docs/report-screenshot.png`.
 * CHROMIUM=/path overrides the browser (default /usr/bin/chromium).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page, out] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: screenshot.mjs REPORT.html OUT.png');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.screenshot({ path: out, fullPage: true });
  console.log(`${out}: screenshot of ${page}`);
} finally {
  await browser.close();
}
