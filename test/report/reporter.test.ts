import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256 } from '../../lib/report/summary-json.ts';
import { FIXTURE_PASSWORD, FIXTURE_TOKEN, runFixtures, validateJunit } from './helpers.ts';

// The reporter on a fixture run with one test of each outcome, against the JUnit schema and
// the summary's promised fields.
let dir: string;
let junit: string;
let summary: Record<string, unknown>;
let html: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nova-conformance-report-'));
  await runFixtures(dir);
  junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  html = readFileSync(join(dir, 'summary.html'), 'utf8');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The XML of one testcase, from its opening tag to its closing tag. */
function testcase(id: string): string {
  const match = new RegExp(`<testcase name="${id} [\\s\\S]*?</testcase>`).exec(junit);
  if (match === null) throw new Error(`no testcase ${id} in junit.xml`);
  return match[0];
}

describe('junit.xml', () => {
  test('validates against the Jenkins JUnit schema kept in test/report/junit.xsd', async () => {
    const result = await validateJunit(junit);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('has a testsuite per scenario and a testcase per test, named and classed by behaviour ID', () => {
    expect([...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      'errors',
      'list',
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

  test('a failure says what was expected and what came, with the redacted exchanges in system-out', () => {
    const xml = testcase('LIST-02');
    expect(xml).toMatch(
      /<failure message="Expected status 200 at \$\.interfaceAttachments\. \| GET [^"]* answered 404/,
    );
    expect(xml).toMatch(/<system-out>[\s\S]*GET http:\/\/127\.0\.0\.1\/compute[\s\S]*<\/system-out>/);
    expect(xml).toContain('X-Auth-Token: &lt;redacted&gt;');
  });

  test('a skip carries its reason, escaped', () => {
    expect(testcase('LIST-05')).toContain(
      '<skipped message="needs a server without ports &lt;&amp;&gt; &quot;quoted&quot;"/>',
    );
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
  test('names the target, the tool, the times and the configuration without secrets', () => {
    expect(summary['target']).toEqual({
      kind: 'mock',
      computeEndpoint: 'http://127.0.0.1:9/compute/v2.1',
      authUrl: 'http://127.0.0.1:9/identity/v3',
      region: 'FixtureRegion',
      novaMicroversions: { min: '2.1', max: '2.93' },
    });
    expect(summary['tool']).toMatchObject({ name: 'nova-conformance', version: expect.any(String) });
    expect((summary['tool'] as Record<string, unknown>)['gitCommit']).toMatch(/^[0-9a-f]{40}/);
    expect(Date.parse(summary['startedAt'] as string)).toBeLessThanOrEqual(
      Date.parse(summary['endedAt'] as string),
    );
    expect(JSON.stringify(summary['configuration'])).toContain('fixture-user');
    expect(summary['runId']).toBe('20260101-fixture');
  });

  test('gives each behaviour its status, duration and reason, with a distinct known-defect status', () => {
    const behaviours = summary['behaviours'] as {
      id: string;
      status: string;
      reason?: string;
      durationMs: number;
    }[];
    const status = Object.fromEntries(behaviours.map((b) => [b.id, b.status]));
    expect(status).toEqual({
      'LIST-01': 'passed',
      'LIST-02': 'failed',
      'LIST-05': 'skipped',
      'NOTFOUND-03': 'known-upstream-defect',
      'VALIDATE-03': 'passed',
    });
    expect(behaviours.find((b) => b.id === 'LIST-05')?.reason).toBe(
      'needs a server without ports <&> "quoted"',
    );
    expect(behaviours.find((b) => b.id === 'LIST-02')?.reason).toMatch(/^Expected status 200/);
    expect(behaviours.every((b) => typeof b.durationMs === 'number')).toBe(true);
    expect(summary['verdict']).toBe('FAILED');
    expect(summary['totals']).toMatchObject({
      behaviours: { total: 5, passed: 2, failed: 1, skipped: 1, knownUpstreamDefects: 1 },
    });
  });

  test('holds the SHA-256 of junit.xml as written', () => {
    expect(summary['junit']).toEqual({ file: 'junit.xml', sha256: sha256(junit) });
  });
});

test('no report file holds the password or the token, even where a test printed them', () => {
  for (const text of [junit, JSON.stringify(summary), html]) {
    expect(text).not.toContain(FIXTURE_PASSWORD);
    expect(text).not.toContain(FIXTURE_TOKEN);
  }
  // The fixture did print them: the reporter, not luck, kept them out.
  expect(testcase('LIST-02')).toContain('&gt; password=&lt;redacted&gt;');
});
