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
  await runFixtures(dir, {
    finish: { cleanup: { removed: ['port p1'], failed: ['port p2: 409 Conflict'] } },
  });
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
  test('shows the verdict, the totals and a row per result, the prerequisites first', async () => {
    await expect(page.locator('#verdict').textContent()).resolves.toBe('FAILED');
    const totals = await page.locator('#totals').textContent();
    expect(totals).toContain('5 failed');
    expect(totals).toContain('2 blocked');
    const headings = await page.locator('section.scenario h2').allTextContents();
    const names = headings.map((h) => h.split(' ')[0]);
    // Suite files run in vitest's order; the root causes come first, the cleanup last.
    expect(names[0]).toBe('prerequisites');
    expect(names.at(-1)).toBe('cleanup');
    expect([...names].sort()).toEqual(['cleanup', 'detach', 'errors', 'list', 'prerequisites']);
    expect(await page.locator('tr.test').count()).toBe(12);
  });

  test('links a blocked check to the prerequisite that blocked it', async () => {
    const link = page.locator('tr[data-status=blocked] a').first();
    await expect(link.textContent()).resolves.toBe('prerequisite: detach the port attached for the check');
    await link.click();
    const target = page.locator('tr.test:target');
    await expect(target.locator('td').nth(1).textContent()).resolves.toMatch(
      /^prerequisite: detach the port attached for the check/,
    );
    await expect(target.getAttribute('data-status')).resolves.toBe('failed');
  });

  test('marks the exchange a check failed on', async () => {
    const row = page.locator('tr.test', { hasText: 'LIST-02' });
    // The evidence's exchange, and the same exchange marked in the full log.
    expect(await row.locator('pre.exchange.failing').count()).toBe(2);
    await expect(row.locator('.mark').last().textContent()).resolves.toBe(
      'exchange 2 of 2 <<< the check failed on this exchange',
    );
  });

  test('filters by status and by text', async () => {
    await page.locator('input[value=passed]').uncheck();
    expect(await page.locator('tr.test:visible').count()).toBe(9);
    await page.locator('input[value=passed]').check();
    await page.locator('#search').fill('NOTFOUND-03');
    expect(await page.locator('tr.test:visible').count()).toBe(1);
    await page.locator('#search').fill('');
    await page.locator('input[value=blocked]').uncheck();
    expect(await page.locator('tr.test:visible').count()).toBe(10);
    await page.locator('input[value=blocked]').check();
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
