import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT, runFixtures } from './helpers.ts';
import { pngFacts } from './png.ts';

// summary.html in headless Chromium from Debian's packages: it renders, filters, expands its
// evidence when printed, and asks the network for nothing.
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 900 };

let dir: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  dir = mkdtempSync(join(tmpdir(), 'nova-conformance-html-'));
  profile = mkdtempSync(join(tmpdir(), 'nova-conformance-chromium-'));
  await runFixtures(dir);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: VIEWPORT,
    offline: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  const file = pathToFileURL(join(dir, 'summary.html')).href;
  // Every request but the page itself is recorded and refused.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === file) return route.continue();
    requests.push(url);
    return route.abort();
  });
  context.on('request', (request) => {
    if (request.url() !== file && !requests.includes(request.url())) requests.push(request.url());
  });
  await page.goto(file, { waitUntil: 'load' });
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('summary.html in headless Chromium', () => {
  test('shows the verdict, the totals and a row per test, grouped by scenario', async () => {
    await expect(page.locator('#verdict').textContent()).resolves.toBe('FAILED');
    await expect(page.locator('#totals').textContent()).resolves.toContain('1 failed');
    const headings = await page.locator('section.scenario h2').allTextContents();
    expect(headings.map((h) => h.split(' ')[0]).sort()).toEqual(['errors', 'list']);
    expect(await page.locator('tr.test').count()).toBe(5);
  });

  test('filters by status and by text', async () => {
    await page.locator('input[value=passed]').uncheck();
    expect(await page.locator('tr.test:visible').count()).toBe(3);
    await page.locator('input[value=passed]').check();
    await page.locator('#search').fill('NOTFOUND-03');
    expect(await page.locator('tr.test:visible').count()).toBe(1);
    await page.locator('#search').fill('');
    expect(await page.locator('tr.test:visible').count()).toBe(5);
  });

  test('keeps a failure’s evidence in a closed <details> on screen and opens it when printed', async () => {
    const evidence = page.locator('tr[data-status=failed] details pre').first();
    await expect(evidence.isVisible()).resolves.toBe(false);
    await page.locator('tr[data-status=failed] details summary').first().click();
    await expect(evidence.isVisible()).resolves.toBe(true);
    await page.locator('tr[data-status=failed] details summary').first().click();
    await page.emulateMedia({ media: 'print' });
    await expect(evidence.isVisible()).resolves.toBe(true);
    await expect(page.locator('.filters').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('renders a non-blank screenshot of the expected size (reports/summary-screenshot.png)', async () => {
    const png = await page.screenshot({ fullPage: false });
    mkdirSync(join(PROJECT_ROOT, 'reports'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, 'reports', 'summary-screenshot.png'), png);
    const facts = pngFacts(png);
    expect({ width: facts.width, height: facts.height }).toEqual(VIEWPORT);
    // A blank or single-colour page inflates to a handful of byte values; text and badges to many.
    expect(facts.distinctBytes).toBeGreaterThan(64);
  });

  test('makes no network request and names nothing outside the page', () => {
    expect(requests).toEqual([]);
    const html = readFileSync(join(dir, 'summary.html'), 'utf8');
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });
});
