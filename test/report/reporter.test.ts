import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Vitest } from 'vitest/node';
import ConformanceReporter from '../../lib/report/reporter.ts';
import { sha256 } from '../../lib/report/summary-json.ts';
import { PREREQUISITE } from './fixtures/evidence.ts';
import {
  FIXTURE_PASSWORD,
  FIXTURE_RUN_ID,
  FIXTURE_TOKEN,
  runFixtures,
  validateJunit,
  type FixtureRun,
} from './helpers.ts';

// The reporter on a fixture run with one result of each kind (passed, failed, skipped, known
// upstream defect, two checks blocked by one prerequisite, an error in a hook, a failed cleanup
// reported through finish()), against the JUnit schema and the summary's promised fields.
const CLEANUP = {
  removed: ['server 6f0c2a7e-0000-4000-8000-00000000000a', 'port p1'],
  failed: ['port 6f0c2a7e-0000-4000-8000-000000000002: 409 Conflict'],
};
let dir: string;
let run: FixtureRun;
let junit: string;
let summary: Record<string, unknown>;
let html: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nova-conformance-report-'));
  run = await runFixtures(dir, { finish: { cleanup: CLEANUP } });
  junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  html = readFileSync(join(dir, 'summary.html'), 'utf8');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The XML of one testcase, from its opening tag to its closing tag. */
function testcase(name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<testcase name="${escaped}[ "][\\s\\S]*?</testcase>`).exec(junit);
  if (match === null) throw new Error(`no testcase ${name} in junit.xml`);
  return match[0];
}

describe('junit.xml', () => {
  test('validates against the Jenkins JUnit schema kept in test/report/junit.xsd', async () => {
    const result = await validateJunit(junit);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('has a testsuite per scenario, one for the prerequisites and one for the cleanup', () => {
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      'cleanup',
      'detach',
      'errors',
      'list',
      'prerequisites',
    ]);
    expect(junit).toContain('classname="list.LIST-01"');
    expect(junit).toContain('classname="errors.NOTFOUND-03"');
  });

  test('carries behaviour ID, API reference section, microversion and request ids as properties', () => {
    const xml = testcase('LIST-01');
    expect(xml).toContain('<property name="behaviour-id" value="LIST-01"/>');
    expect(xml).toMatch(/<property name="api-reference" value="List Port Interfaces[^"]*"\/>/);
    expect(xml).toContain('<property name="microversion" value="2.1"/>');
    expect(xml).toContain('<property name="request-ids" value="req-11111111-1111-4111-8111-111111111111"/>');
  });

  test('a failure says what was expected and what came; system-out has the log, the failing exchange marked', () => {
    const xml = testcase('LIST-02');
    expect(xml).toMatch(/<failure message="Expected status 200\. \| GET [^"]* answered 404/);
    expect(xml).toMatch(
      /--- exchange 1 of 2\n&gt; GET [^\n]*\/servers\/s1\n[\s\S]*--- exchange 2 of 2 &lt;&lt;&lt; the check failed on this exchange\n&gt; GET [^\n]*\/os-interface\n/,
    );
    expect(xml).toContain('X-Auth-Token: &lt;redacted&gt;');
    // No frame of the harness's assertions unless debug; the suite's own frames stay.
    expect(xml).not.toMatch(/lib[\\/]harness/);
    expect(xml).toMatch(/at .*list\.fixture\.ts:\d+/);
  });

  test('a skip carries its reason in the message and as the text GitLab shows', () => {
    expect(testcase('LIST-05')).toContain(
      '<skipped message="needs a server without ports &lt;&amp;&gt; &quot;quoted&quot;">needs a server without ports &lt;&amp;&gt; "quoted"</skipped>',
    );
  });

  test('a blocked check is skipped, naming the failed prerequisite; the prerequisite fails once', () => {
    for (const name of ['DETACH-02', 'DETACH-03']) {
      const xml = testcase(name);
      expect(xml).toContain(
        `<skipped message="blocked by ${PREREQUISITE}">blocked by ${PREREQUISITE}</skipped>`,
      );
      expect(xml).toContain(`<property name="blocked-by" value="${PREREQUISITE}"/>`);
      expect(xml).not.toContain('<failure');
    }
    const prerequisite = testcase(PREREQUISITE);
    expect(prerequisite).toContain('classname="prerequisites.prerequisite"');
    expect(prerequisite).toContain('<property name="blocked-checks" value="2"/>');
    expect(prerequisite).toMatch(/<failure message="DELETE \/servers\/\{server_id\}[^"]*answered 204/);
    expect(junit.split(`<testcase name="${PREREQUISITE}"`).length - 1).toBe(1);
  });

  test('an error in a hook is an <error> testcase with a stable name (no resource id)', () => {
    const xml = testcase("(outside any test) detach: hooks of 'restores the server'");
    expect(xml).toContain('<error message="restore failed');
  });

  test('a failed cleanup is a failed testcase with a stable name', () => {
    const xml = testcase('cleanup: remove what the run created');
    expect(xml).toMatch(/<failure message="1 resource of the run could not be removed: port /);
    expect(xml).toContain('- port p1');
  });

  test('a known upstream defect is a property and is not a failure', () => {
    const xml = testcase('NOTFOUND-03');
    expect(xml).toContain(
      '<property name="known-upstream-defect" value="Zed answers 500 computeFault instead of 404 itemNotFound"/>',
    );
    expect(xml).not.toContain('<failure');
    expect(xml).not.toContain('<skipped');
  });
});

describe('summary.json', () => {
  test('names the target and the run from the runner, not from the environment', () => {
    expect(summary['target']).toEqual({
      kind: 'mock',
      computeEndpoint: 'http://127.0.0.1:9/compute/v2.1',
      authUrl: 'http://127.0.0.1:9/identity/v3',
      region: 'FixtureRegion',
      novaMicroversions: { min: '2.1', max: '2.93' },
    });
    expect(summary['runId']).toBe(FIXTURE_RUN_ID);
    expect(summary['tool']).toMatchObject({ name: 'nova-conformance', version: expect.any(String) });
    expect((summary['tool'] as Record<string, unknown>)['gitCommit']).toMatch(/^[0-9a-f]{40}/);
    expect(Date.parse(summary['startedAt'] as string)).toBeLessThanOrEqual(
      Date.parse(summary['endedAt'] as string),
    );
    expect(JSON.stringify(summary['configuration'])).toContain('fixture-user');
  });

  test('gives each behaviour its status; an assertion fails the behaviour it names', () => {
    const behaviours = summary['behaviours'] as {
      id: string;
      status: string;
      reason?: string;
      tests: { name: string; status: string; blockedBy?: string }[];
    }[];
    const status = Object.fromEntries(behaviours.map((b) => [b.id, b.status]));
    expect(status).toEqual({
      'DETACH-02': 'blocked',
      'DETACH-03': 'blocked',
      'DETACH-04': 'failed',
      // Stopped by a header assertion: HEADERS-01 fails, DETACH-05 was not checked.
      'DETACH-05': 'blocked',
      'HEADERS-01': 'failed',
      'DETACH-06': 'passed',
      'LIST-01': 'passed',
      'LIST-02': 'failed',
      'LIST-05': 'skipped',
      'NOTFOUND-03': 'known-upstream-defect',
      'VALIDATE-03': 'passed',
    });
    expect(behaviours.find((b) => b.id === 'LIST-05')?.reason).toBe(
      'needs a server without ports <&> "quoted"',
    );
    expect(behaviours.find((b) => b.id === 'DETACH-02')?.tests[0]?.blockedBy).toBe(PREREQUISITE);
    expect(summary['verdict']).toBe('FAILED');
    expect(summary['totals']).toMatchObject({
      behaviours: { total: 11, passed: 3, failed: 3, blocked: 3, skipped: 1, knownUpstreamDefects: 1 },
    });
  });

  test('lists the prerequisite with its step, the exchange that failed and the checks it blocked', () => {
    expect(summary['prerequisites']).toEqual([
      expect.objectContaining({
        name: PREREQUISITE,
        status: 'failed',
        step: 'DELETE /servers/{server_id}/os-interface/{port_id}',
        failedExchange: expect.objectContaining({ method: 'DELETE', status: 204, expected: 'status 202' }),
        blockedChecks: 2,
        blocked: [
          { scenario: 'detach', name: 'DETACH-02 the port is gone from the list' },
          { scenario: 'detach', name: 'DETACH-03 the port is unbound' },
        ],
      }),
    ]);
  });

  test('holds the cleanup as the runner reported it, and the errors outside any test', () => {
    expect(summary['cleanup']).toEqual({ reported: true, ...CLEANUP });
    expect(summary['errors']).toEqual([
      expect.objectContaining({ name: "(outside any test) detach: hooks of 'restores the server'" }),
    ]);
  });

  test('holds the SHA-256 of junit.xml as written', () => {
    expect(summary['junit']).toEqual({ file: 'junit.xml', sha256: sha256(junit) });
  });
});

describe('without finish()', () => {
  let plain: FixtureRun;
  let plainDir: string;
  beforeAll(async () => {
    plainDir = mkdtempSync(join(tmpdir(), 'nova-conformance-report-'));
    plain = await runFixtures(plainDir, { include: ['list.fixture.ts'] });
  }, 120_000);
  afterAll(() => rmSync(plainDir, { recursive: true, force: true }));

  test('writes the reports when the suites end, saying the cleanup was not reported', () => {
    const written = JSON.parse(readFileSync(join(plainDir, 'summary.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written['cleanup']).toEqual({ reported: false });
    expect(plain.report.tests.map((t) => t.kind)).toEqual(['test', 'test', 'test']);
    expect(readFileSync(join(plainDir, 'junit.xml'), 'utf8')).not.toContain('testsuite name="cleanup"');
  });
});

test('no report file and no console line holds the password or the token, even where a test printed them', () => {
  for (const text of [junit, JSON.stringify(summary), html, run.console]) {
    expect(text).not.toContain(FIXTURE_PASSWORD);
    expect(text).not.toContain(FIXTURE_TOKEN);
  }
  // The fixture did print them: the reporter, not luck, kept them out.
  expect(testcase('LIST-02')).toContain('&gt; password=&lt;redacted&gt;');
});

test('finish() after suites stopped before their end still writes an INTERRUPTED report', () => {
  const out = mkdtempSync(join(tmpdir(), 'nova-conformance-report-'));
  try {
    const reporter = new ConformanceReporter({ outputDir: out, env: {}, writeOn: 'finish' });
    // The runner killed the worker: vitest never called onTestRunEnd and has no module left.
    // A stand-in for the two members of Vitest the reporter reads, not the whole class.
    const vitest = { config: { root: out }, state: { getTestModules: () => [] } } as unknown as Vitest;
    reporter.onInit(vitest);
    const { report, paths } = reporter.finish({
      cleanup: { removed: ['port p1'], failed: [] },
      interrupted: true,
    });
    expect(report.verdict).toBe('INTERRUPTED');
    expect(report.endReason).toBe('interrupted');
    expect(report.tests.map((t) => t.name)).toEqual(['cleanup: remove what the run created']);
    expect(paths.map((p) => p.slice(out.length + 1))).toEqual(['junit.xml', 'summary.json', 'summary.html']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({
      verdict: 'INTERRUPTED',
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('finish() when vitest never reported the end, without an interruption, fails the run saying so', () => {
  const out = mkdtempSync(join(tmpdir(), 'nova-conformance-report-'));
  try {
    const reporter = new ConformanceReporter({ outputDir: out, env: {}, writeOn: 'finish' });
    const { report } = reporter.finish({ cleanup: { removed: [], failed: [] } });
    expect(report.verdict).toBe('FAILED');
    expect(report.errors.map((e) => e.message)).toEqual([
      'the suites ended without vitest reporting their end',
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
