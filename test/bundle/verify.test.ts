import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry, Har } from 'har-format';
import { extract } from 'tar';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { worstOf, type Status } from '../../lib/report/model.ts';
import type { ResultSummary } from '../../lib/report/summary-json.ts';
import { escapeAttribute } from '../../lib/report/xml.ts';
import { changeByte, cli, copyOf, filesUnder, reseal, runAgainstMock, type MockRun } from './helpers.ts';

// A real run against the mock, its bundle, and verify on it as a certifier runs it: intact, then
// with one byte changed in each kind of file, then with changes a forger re-sealed (digests
// recomputed) so that only the consistency of outcomes and evidence can tell.
let mock: MockRun;
let latest: string;

const PRODUCT = { CONFORMANCE_PRODUCT: 'Example Platform 9', CONFORMANCE_VENDOR: 'Example Corp' };

beforeAll(async () => {
  mock = await runAgainstMock(PRODUCT);
  latest = join(mock.reportDir, 'latest');
}, 600_000);

afterAll(async () => {
  await mock?.close();
});

async function verify(path: string): Promise<{ code: number | null; line: string }> {
  const run = await cli(['verify', path], mock.env);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(run.stderr).toBe('');
  return { code: run.code, line: lines[0] ?? '' };
}

type Result = { -readonly [K in keyof ResultSummary]: ResultSummary[K] };

interface Summary {
  verdict: string;
  totals: { tests: Record<string, number> };
  results: Result[];
  behaviours: { id: string; status: Status; tests: { name: string; status: Status }[] }[];
}

const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const writeJson = (path: string, value: unknown): void =>
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** An exchange of a passed check whose body the check judged whole against a list schema. */
function judgedEntry(dir: string): { har: Har; index: number; entry: Entry } {
  const har = read<Har>(join(dir, 'exchanges.har'));
  const summary = read<Summary>(join(dir, 'summary.json'));
  const passed = new Set(summary.results.filter((r) => r.status === 'passed').map((r) => r.key));
  const index = har.log.entries.findIndex(
    (e) =>
      String(e['_schema']).startsWith('os-interface/list') &&
      e['_schemaIgnored'] === undefined &&
      passed.has(String(e['_check'])) &&
      (e.response.content.text ?? '').includes('"mac_addr":"'),
  );
  const entry = har.log.entries[index];
  if (entry === undefined) throw new Error('no list answer with an interface among the passed checks');
  return { har, index, entry };
}

/** The body with one character of its first MAC address made a letter no MAC address holds. */
function badMac(entry: Entry): string {
  const text = entry.response.content.text ?? '';
  const at = text.indexOf('"mac_addr":"') + '"mac_addr":"'.length;
  return `${text.slice(0, at)}z${text.slice(at + 1)}`;
}

describe('a fresh bundle of a real run', () => {
  test('the run passed and wrote its run directory with the five files', () => {
    expect(mock.run.code).toBe(0);
    expect(
      filesUnder(latest)
        .map((p) => p.slice(latest.length + 1))
        .sort(),
    ).toEqual(['exchanges.har', 'junit.xml', 'manifest.json', 'summary.html', 'summary.json']);
  });

  test('verify says it is intact and consistent, exit 0', async () => {
    const { code, line } = await verify(latest);
    expect(line).toMatch(
      /^verify: .*: intact and consistent \(PASSED, \d+ results, \d+ exchanges, \d+ bodies re-validated/,
    );
    expect(code).toBe(0);
  });

  test('the product described by the user is in summary.json and the manifest', () => {
    const product = { name: 'Example Platform 9', vendor: 'Example Corp' };
    expect(read<{ product: unknown }>(join(latest, 'summary.json')).product).toEqual(product);
    expect(read<{ product: unknown }>(join(latest, 'manifest.json')).product).toEqual(product);
  });

  test('every exchange names its check, and validated bodies their schema', () => {
    const har = read<Har>(join(latest, 'exchanges.har'));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(100);
    expect(har.log.entries.every((e) => typeof e['_check'] === 'string' && e.comment !== undefined)).toBe(
      true,
    );
    expect(har.log.entries.filter((e) => typeof e['_schema'] === 'string').length).toBeGreaterThan(50);
  });

  test('bundle packs it as a .tar.gz that unpacks to the same bytes and verifies', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nova-conformance-tgz-')), 'run.tar.gz');
    const packed = await cli(['bundle', '-o', out], mock.env);
    expect(packed.code).toBe(0);
    const into = mkdtempSync(join(tmpdir(), 'nova-conformance-untar-'));
    await extract({ file: out, cwd: into });
    const runId = read<{ runId: string }>(join(latest, 'manifest.json')).runId;
    for (const name of ['junit.xml', 'summary.json', 'summary.html', 'exchanges.har', 'manifest.json'])
      expect(readFileSync(join(into, runId, name)).equals(readFileSync(join(latest, name))), name).toBe(true);
    const { code, line } = await verify(out);
    expect(line).toContain('intact and consistent');
    expect(code).toBe(0);
  });

  test('no password, token or application-credential secret appears in the bundle or the journal', async () => {
    const secrets = [
      ...Object.values(mock.app.users).map((user) => user.password),
      mock.app.applicationCredential.secret,
      ...mock.app.state.tokens.keys(),
    ].filter((s) => s.length > 0);
    expect(mock.app.state.tokens.size).toBeGreaterThan(0);
    const found = filesUnder(mock.reportDir).flatMap((path) => {
      const text = readFileSync(path, 'latin1');
      return secrets
        .filter((secret) => text.includes(secret))
        .map((secret) => `${path}: ${secret.slice(0, 6)}...`);
    });
    expect(found).toEqual([]);
  });
});

describe('one byte changed', () => {
  test('in junit.xml: exit 1, one line naming junit.xml', async () => {
    const dir = copyOf(latest);
    const text = readFileSync(join(dir, 'junit.xml'), 'utf8');
    changeByte(
      join(dir, 'junit.xml'),
      text.indexOf('status" value="passed"') + 'status" value="'.length,
      'q',
    );
    const { code, line } = await verify(dir);
    expect(line).toMatch(/^verify: .*: junit\.xml: was altered/);
    expect(code).toBe(1);
  });

  test('in a recorded body of exchanges.har: exit 1, one line naming exchanges.har', async () => {
    const dir = copyOf(latest);
    const { har, index, entry } = judgedEntry(dir);
    const before = readFileSync(join(dir, 'exchanges.har'));
    (har.log.entries[index] as Entry).response.content.text = badMac(entry);
    writeJson(join(dir, 'exchanges.har'), har);
    const after = readFileSync(join(dir, 'exchanges.har'));
    expect(after.length).toBe(before.length);
    expect([...after].filter((b, i) => b !== before[i])).toHaveLength(1);
    const { code, line } = await verify(dir);
    expect(line).toMatch(/^verify: .*: exchanges\.har: was altered/);
    expect(code).toBe(1);
  });

  test('in manifest.json: exit 1, one line naming manifest.json', async () => {
    const dir = copyOf(latest);
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    changeByte(
      join(dir, 'manifest.json'),
      text.indexOf('Example Platform 9') + 'Example Platform '.length,
      '8',
    );
    const { code, line } = await verify(dir);
    expect(line).toMatch(/^verify: .*: manifest\.json: was altered/);
    expect(code).toBe(1);
  });
});

describe('changes re-sealed by a forger', () => {
  test('a passed check whose recorded body now fails its schema: names exchanges.har', async () => {
    const dir = copyOf(latest);
    const { har, index, entry } = judgedEntry(dir);
    (har.log.entries[index] as Entry).response.content.text = badMac(entry);
    writeJson(join(dir, 'exchanges.har'), har);
    reseal(dir);
    const { code, line } = await verify(dir);
    expect(line).toMatch(
      new RegExp(
        `^verify: .*: exchanges\\.har: entry ${index + 1} .* has a body that fails os-interface/list-v2\\.\\d+ .*, yet summary\\.json records '.*' passed`,
      ),
    );
    expect(code).toBe(1);
  });

  test('a check recorded as failed on an exchange the HAR does not hold: names summary.json', async () => {
    const dir = copyOf(latest);
    const summary = read<Summary>(join(dir, 'summary.json'));
    const har = read<Har>(join(dir, 'exchanges.har'));
    const first = har.log.entries[0] as Entry;
    const result = summary.results.find((r) => r.key === first['_check']) as Result;
    expect(result.status).toBe('passed');
    // summary.json, all of it consistent with the failure: result, behaviours, totals, verdict.
    Object.assign(result, {
      status: 'failed',
      failedExchangeIndex: 0,
      failedExchange: {
        method: first.request.method,
        url: first.request.url,
        status: 500,
        expected: 'status 200',
      },
    });
    for (const b of summary.behaviours) {
      for (const t of b.tests) if (t.name === result.name) t.status = 'failed';
      b.status = worstOf(b.tests.map((t) => t.status));
    }
    summary.totals.tests['passed'] = (summary.totals.tests['passed'] ?? 0) - 1;
    summary.totals.tests['failed'] = (summary.totals.tests['failed'] ?? 0) + 1;
    summary.verdict = 'FAILED';
    writeJson(join(dir, 'summary.json'), summary);
    // junit.xml says the same: the testcase failed, and the root counts one failure.
    let junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const start = junit.indexOf(`<testcase name="${escapeAttribute(result.name)}"`);
    const end = junit.indexOf('</testcase>', start);
    const testcase = junit
      .slice(start, end)
      .replace('<property name="status" value="passed"/>', '<property name="status" value="failed"/>');
    junit = `${junit.slice(0, start)}${testcase}<failure message="status 200">forged</failure>\n    ${junit.slice(end)}`;
    junit = junit.replace(/(<testsuites[^>]*? failures=")0"/, '$11"');
    writeFileSync(join(dir, 'junit.xml'), junit);
    const manifest = read<{ verdict: string }>(join(dir, 'manifest.json'));
    manifest.verdict = 'FAILED';
    writeJson(join(dir, 'manifest.json'), manifest);
    reseal(dir);
    const { code, line } = await verify(dir);
    expect(line).toMatch(
      /^verify: .*: summary\.json: '.*' failed on .* -> 500, an exchange exchanges\.har does not hold for it$/,
    );
    expect(code).toBe(1);
  });

  test('an outcome changed in summary.json alone: names what no longer adds up', async () => {
    const dir = copyOf(latest);
    const summary = read<Summary>(join(dir, 'summary.json'));
    const result = summary.results.find((r) => r.status === 'passed') as Result;
    result.status = 'skipped';
    writeJson(join(dir, 'summary.json'), summary);
    reseal(dir);
    const { code, line } = await verify(dir);
    expect(line).toMatch(
      /^verify: .*: summary\.json: totals\.tests\.passed is \d+, but its results add up to \d+/,
    );
    expect(code).toBe(1);
  });

  test('a bundle of another suite version: refused in one line, exit 2', async () => {
    const dir = copyOf(latest);
    const manifest = read<{ suite: { version: string } }>(join(dir, 'manifest.json'));
    manifest.suite.version = '99.0.0';
    writeJson(join(dir, 'manifest.json'), manifest);
    reseal(dir);
    const { code, line } = await verify(dir);
    expect(line).toMatch(/made by nova-conformance 99\.0\.0 .*: verify it with nova-conformance 99\.0\.0$/);
    expect(code).toBe(2);
  });

  test('input that is not a bundle: exit 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nova-conformance-junk-')), 'junk.tar.gz');
    writeFileSync(file, 'not a tarball');
    const { code, line } = await verify(file);
    expect(line).toMatch(/cannot be read/);
    expect(code).toBe(2);
  });
});
