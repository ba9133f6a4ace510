import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { totalsOf, type RunReport } from '../../lib/report/model.ts';
import { summaryHtml } from '../../lib/report/summary-html.ts';
import { PROJECT_ROOT, runFixtures } from './helpers.ts';
import { pngFacts } from './png.ts';

// summary.html in headless Chromium from Debian's packages, for three runs: the fixture run with
// one result of each kind, a passing run and a failing run as large as real ones. It renders,
// prints on a few A4 pages, needs no script and asks the network for nothing.
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

const PRODUCT = {
  name: 'Example Compute <Cloud>',
  vendor: 'Example & Co',
  cloudName: 'example-east',
  description: 'OpenStack 2025.1 on the vendor’s own hardware',
};

let dir: string;
let profile: string;
let context: BrowserContext;
const requests: string[] = [];
const html: Record<'mixed' | 'passing' | 'failing' | 'everything' | 'selected', string> = {
  selected: '',
  mixed: '',
  passing: '',
  failing: '',
  everything: '',
};
let pages: Record<Exclude<keyof typeof html, 'selected'>, Page>;
let passing: RunReport;

/** A4 pages of a PDF as Chromium writes it: one page object each, apart from the page tree. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

/** Opens the page the reporter wrote, or (given a model) one rendered from it. */
async function open(name: keyof typeof html, written: string, report?: RunReport): Promise<Page> {
  const file = join(dir, `${name}.html`);
  html[name] = report === undefined ? readFileSync(written, 'utf8') : summaryHtml(report, 'f'.repeat(64));
  writeFileSync(file, html[name]);
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  dir = mkdtempSync(join(tmpdir(), 'nova-conformance-html-'));
  profile = mkdtempSync(join(tmpdir(), 'nova-conformance-chromium-'));
  const mixed = await runFixtures(mkdtempSync(join(dir, 'mixed-')), {
    finish: { cleanup: { removed: ['port p1'], failed: ['port p2: 409 Conflict'] } },
  });
  const passingRun = await runFixtures(mkdtempSync(join(dir, 'passing-')), {
    include: ['passing/*.fixture.ts'],
    finish: { cleanup: { removed: ['port p1', 'server s1'], failed: [] } },
  });
  const failing = await runFixtures(mkdtempSync(join(dir, 'failing-')), {
    include: ['failing/*.fixture.ts'],
    finish: { cleanup: { removed: ['port p1'], failed: [] } },
  });
  passing = { ...passingRun.report, product: PRODUCT };
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: VIEWPORT,
    offline: true,
  });
  // Every request but the pages themselves is recorded and refused.
  const local = (url: string): boolean => url.startsWith(pathToFileURL(dir).href);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    requests.push(url);
    return route.abort();
  });
  context.on('request', (request) => {
    if (!local(request.url()) && !requests.includes(request.url())) requests.push(request.url());
  });
  pages = {
    mixed: await open('mixed', htmlOf(mixed.paths)),
    // The fixture runs describe no product (a run reads it from CONFORMANCE_PRODUCT*): added here.
    passing: await open('passing', htmlOf(passingRun.paths), passing),
    failing: await open('failing', htmlOf(failing.paths)),
    everything: await open('everything', htmlOf(failing.paths), everythingFails(failing.report)),
  };
}, 180_000);

afterAll(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

/** The passing run as the model reads when the selection left the validate scenario out. */
function notSelecting(report: RunReport): RunReport {
  const tests = report.tests.map((t) =>
    t.scenario === 'validate'
      ? {
          ...t,
          status: 'not-selected' as const,
          reason: 'not selected (--exclude VALIDATE-* --exclude HEADERS-* --exclude MV-*)',
        }
      : t,
  );
  return { ...report, tests, totals: totalsOf(tests, report.errors) };
}

/** The failing run as if a broken cloud failed every check: each failure three times over. */
function everythingFails(report: RunReport): RunReport {
  const failed = report.tests.filter((t) => t.status === 'failed' && t.kind === 'test');
  const tests = [1, 2, 3].flatMap((copy) =>
    failed.map((t) => ({ ...t, key: `${t.key}#${copy}`, name: `${t.name} (copy ${copy})` })),
  );
  return { ...report, tests, errors: [], totals: totalsOf(tests, []) };
}

function htmlOf(paths: readonly string[]): string {
  const path = paths.find((p) => p.endsWith('summary.html'));
  if (path === undefined) throw new Error('the fixture run wrote no summary.html');
  return path;
}

describe('summary.html of a run with one result of each kind', () => {
  test('reads in order: verdict and product, scenarios, failures, known defects, skips, passes', async () => {
    const page = pages.mixed;
    await expect(page.locator('#verdict').textContent()).resolves.toBe('FAILED');
    const totals = await page.locator('#totals').textContent();
    expect(totals).toContain('5 failed');
    expect(totals).toContain('2 blocked');
    await expect(page.locator('#product').textContent()).resolves.toContain('No product was described');
    const order = await page
      .locator('header, body > section')
      .evaluateAll((nodes) => nodes.map((n) => n.id || n.tagName.toLowerCase()));
    expect(order).toEqual(['header', 'scenarios', 'failures', 'known-upstream-defect', 'skipped', 'passed']);
    // Every result has exactly one row.
    expect(await page.locator('tr.test').count()).toBe(12);
  });

  test('counts per scenario, failing scenarios first, and totals that are the model’s', async () => {
    const page = pages.mixed;
    const rows = await page
      .locator('table.scenarios tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const head = await page.locator('table.scenarios thead th').allTextContents();
    expect(head).toEqual([
      'scenario',
      'results',
      'failed',
      'blocked',
      'known upstream defect',
      'passed',
      'skipped',
      'not selected',
      'errors outside any test',
    ]);
    expect(rows.map((r) => r[0])).toEqual(['prerequisites', 'detach', 'list', 'errors', 'cleanup']);
    expect(rows.find((r) => r[0] === 'detach')).toEqual(['detach', '6', '2', '2', '0', '1', '0', '0', '1']);
    const foot = await page.locator('table.scenarios tfoot th').allTextContents();
    expect(foot).toEqual(['all', '13', '5', '2', '1', '3', '1', '0', '1']);
  });

  test('lists the checks a prerequisite blocked under it, and nowhere else', async () => {
    const page = pages.mixed;
    const prerequisite = page.locator('table.failures > tbody > tr').first();
    await expect(prerequisite.locator('.name').textContent()).resolves.toBe(
      'prerequisite: detach the port attached for the check expected status 202',
    );
    await expect(prerequisite.locator('code').first().textContent()).resolves.toBe(
      'DELETE /servers/{server_id}/os-interface/{port_id}',
    );
    const under = await prerequisite.locator('tr[data-status=blocked] td.id').allTextContents();
    expect(under).toEqual(['DETACH-02', 'DETACH-03']);
    expect(await page.locator('tr[data-status=blocked]').count()).toBe(2);
  });

  test('formats the failing exchange: request line, status, headers that matter, indented JSON, curl', async () => {
    const row = pages.mixed.locator('tr.test', { hasText: 'DETACH-04' });
    await expect(row.locator('.expected').textContent()).resolves.toBe('expected status 202');
    await expect(row.locator('pre.request').textContent()).resolves.toBe(
      'POST http://127.0.0.1:9/compute/v2.1/servers/s1/os-interface\n' +
        'OpenStack-API-Version: compute 2.69\nContent-Type: application/json\n\n' +
        '{"interfaceAttachment": {"port_id": "p1"}}',
    );
    await expect(row.locator('pre.response').textContent()).resolves.toBe(
      '200 OK\ncontent-type: application/json; charset=UTF-8\n\n{"interfaceAttachment": {}}',
    );
    const curl = await row.locator('pre.repro').textContent();
    expect(curl).toMatch(
      /^curl -sS -X POST 'http:\/\/127\.0\.0\.1:9\/compute\/v2\.1\/servers\/s1\/os-interface'/,
    );
    expect(curl).toContain('-H "X-Auth-Token: $OS_TOKEN"');
    // A body that is not JSON stays as it came, its control character shown, not sent.
    const list = pages.mixed.locator('tr.test', { hasText: 'LIST-02' });
    await expect(list.locator('pre.response').textContent()).resolves.toMatch(
      /\n\n\{"itemNotFound": \{"code": 404\}\}\\x01$/,
    );
  });

  test('folds request ids, the full error and every exchange away; marks the failing exchange', async () => {
    const row = pages.mixed.locator('tr.test', { hasText: 'LIST-02' });
    const ids = row.locator('details.ids');
    await expect(ids.locator('summary').textContent()).resolves.toBe('1 request id');
    await expect(ids.locator('code').isVisible()).resolves.toBe(false);
    const more = row.locator('details.more');
    await expect(more.locator('summary').textContent()).resolves.toBe(
      "The full error and the check's 2 exchanges",
    );
    await expect(more.locator('pre.exchange.failing').isVisible()).resolves.toBe(false);
    await more.locator('summary').click();
    await expect(more.locator('pre.exchange.failing').isVisible()).resolves.toBe(true);
    await expect(more.locator('.mark').textContent()).resolves.toBe(
      'exchange 2 of 2 <<< the check failed on this exchange',
    );
    await more.locator('summary').click();
  });

  test('shows passes one line each in a folded section per scenario', async () => {
    const page = pages.mixed;
    const passed = page.locator('#passed details.scenario');
    await expect(passed.locator('> summary').allInnerTexts()).resolves.toEqual([
      'detach: 1 passed',
      'errors: 1 passed',
      'list: 1 passed',
    ]);
    const row = passed.first().locator('tr.test');
    await expect(row.isVisible()).resolves.toBe(false);
    await passed.first().locator('summary').click();
    await expect(row.locator('td.id').textContent()).resolves.toBe('DETACH-06');
    const box = await row.boundingBox();
    expect(box?.height).toBeLessThan(40);
    await passed.first().locator('summary').click();
    await expect(page.locator('#skipped tr.test .reason').textContent()).resolves.toBe(
      '— needs a server without ports <&> "quoted"',
    );
  });

  test('shows checks the selection left out apart from skips: a column and a folded section', async () => {
    const selected = await open('selected', '', notSelecting(passing));
    try {
      await expect(selected.locator('#totals').textContent()).resolves.toContain(
        '3 skipped, 43 not selected',
      );
      const row = await selected.locator('table.scenarios tbody tr', { hasText: 'validate' }).allInnerTexts();
      expect(row[0]?.split('\t')).toEqual(['validate', '43', '0', '0', '0', '0', '0', '43', '0']);
      await expect(selected.locator('#skipped tr.test').count()).resolves.toBe(3);
      const folded = selected.locator('#not-selected details.scenario');
      await expect(folded.locator('> summary').allInnerTexts()).resolves.toEqual([
        'validate: 43 not selected',
      ]);
      await folded.locator('> summary').click();
      await expect(folded.locator('tr.test .reason').first().textContent()).resolves.toBe(
        '— not selected (--exclude VALIDATE-* --exclude HEADERS-* --exclude MV-*)',
      );
    } finally {
      await selected.close();
    }
  });

  test('renders the product when the run describes one', async () => {
    const product = await pages.passing.locator('#product dd').allTextContents();
    expect(product).toEqual([PRODUCT.name, PRODUCT.vendor, PRODUCT.cloudName, PRODUCT.description]);
    await expect(pages.passing.title()).resolves.toBe(`nova-conformance PASSED — ${PRODUCT.name}`);
  });
});

describe('summary.html printed (A4, Chromium)', () => {
  test('a failing run with 40 failures and 30 blocked checks prints on at most 10 pages', async () => {
    const failing = pages.failing;
    await expect(failing.locator('#totals').textContent()).resolves.toMatch(/42 failed, 30 blocked/);
    const pdf = await failing.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const count = pageCount(pdf);
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(10);
  });

  test('a run where every check fails still prints on at most 10 pages', async () => {
    const count = pageCount(await pages.everything.pdf({ format: 'A4' }));
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(10);
  });

  test('a passing run prints on a few pages', async () => {
    const count = pageCount(await pages.passing.pdf({ format: 'A4' }));
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(3);
  });

  test('printed, every failure keeps its exchange and reproduction; long bodies are cut with a note', async () => {
    const failing = pages.failing;
    await failing.emulateMedia({ media: 'print' });
    try {
      const failed = failing.locator('table.failures > tbody > tr[data-status=failed]');
      expect(await failed.count()).toBe(42);
      // The first 36 in full, the root causes among them; the other six on a line each.
      for (const part of ['pre.request', 'pre.response', 'pre.repro'])
        expect(await failing.locator(`table.failures > tbody > tr ${part}:visible`).count()).toBe(36);
      await expect(failed.nth(0).locator('.name').textContent()).resolves.toMatch(/^prerequisite: /);
      await expect(failing.locator('.brief:visible').allTextContents()).resolves.toEqual(
        [15, 16, 17, 18, 19, 20].map(
          (n) => `got GET /compute/v2.1/servers/5a3e00${n}-0000-4000-8000-000000000000/os-interface -> 500`,
        ),
      );
      await expect(failing.locator('#failures p.print-only').textContent()).resolves.toBe(
        'Printed here: the first 36 failures in full, the other 6 on a line each; the report on screen shows them all in full.',
      );
      await expect(failing.locator('.print-cut').first().isVisible()).resolves.toBe(false);
      await expect(failing.locator('.print-note').first().textContent()).resolves.toMatch(
        /^\n?\[… \d+ more lines? cut in print: see the report on screen or junit\.xml\]$/,
      );
      // Folded parts stay folded; a passed scenario prints as one line naming its behaviours.
      await expect(failing.locator('details.more').first().isVisible()).resolves.toBe(false);
      await expect(
        failing.locator('#passed details.scenario summary').first().textContent(),
      ).resolves.toMatch(/^attach: 8 passed — ATTACH-21 ATTACH-22 .* ATTACH-28$/);
    } finally {
      await failing.emulateMedia({ media: 'screen' });
    }
    // On screen the cut part is there, and the note is not.
    await expect(failing.locator('.print-cut').first().isVisible()).resolves.toBe(true);
    await expect(failing.locator('.print-note').first().isVisible()).resolves.toBe(false);
  });

  test('screenshots of all three runs are not blank (reports/summary-*screenshot.png)', async () => {
    mkdirSync(join(PROJECT_ROOT, 'reports'), { recursive: true });
    const names = {
      mixed: 'summary-screenshot.png',
      passing: 'summary-passing-screenshot.png',
      failing: 'summary-failing-screenshot.png',
    };
    for (const [name, file] of Object.entries(names) as [keyof typeof pages, string][]) {
      const png = await pages[name].screenshot({ fullPage: false });
      writeFileSync(join(PROJECT_ROOT, 'reports', file), png);
      const facts = pngFacts(png);
      expect({ width: facts.width, height: facts.height }).toEqual(VIEWPORT);
      // A blank or single-colour page inflates to a handful of byte values; text and badges to many.
      expect(facts.distinctBytes).toBeGreaterThan(64);
    }
  });
});

describe('summary.html on its own', () => {
  test('makes no network request, names nothing outside the page and holds no script', () => {
    expect(requests).toEqual([]);
    for (const text of Object.values(html)) {
      expect(text).not.toMatch(/<(link|img|iframe|object|embed|script)\b|\bsrc=|@import|url\(/i);
      expect(text).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    }
  });
});
