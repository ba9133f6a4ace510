import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMockApp, type MockApp } from '../../lib/mock/app.ts';
import { openrcOf } from '../../lib/harness/target.ts';
import type { Totals } from '../../lib/report/model.ts';
import { sha256 } from '../../lib/report/summary-json.ts';
import { outcomeTotals } from '../../lib/report/totals-lines.ts';
import { runCli } from '../cli/helpers.ts';
import { validateJunit } from './helpers.ts';

// `nova-conformance run` end to end, as a user runs it against a cloud (here the mock, started by
// this test so that it knows every password and every token the cloud handed out), then a search
// of everything the run printed and wrote for those secrets.
let app: MockApp;
let server: Server;
let reportDir: string;
let run: { code: number | null; stdout: string; stderr: string };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  app = createMockApp({ delays: { build: 50, detach: 30, portActive: 30, taskState: 200 } });
  server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const authUrl = `http://127.0.0.1:${port}/identity/v3`;
  reportDir = mkdtempSync(join(tmpdir(), 'nova-conformance-run-'));
  // Only what a user would set: no variable of the parent test run leaks into the child.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NO_COLOR: '1',
    ...openrcOf({ authUrl, users: app.users }),
    CONFORMANCE_POLL_INTERVAL: '0.02',
    CONFORMANCE_WAIT_TIMEOUT: '20',
    CONFORMANCE_REPORT_DIR: reportDir,
  };
  run = await runCli(['run'], env, 300_000);
}, 600_000);

afterAll(async () => {
  app?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(reportDir, { recursive: true, force: true });
});

describe('nova-conformance run against a cloud', () => {
  test('ends with the report files, the verdict, then the totals of summary.json as the very last line', () => {
    expect(run.code, run.stderr).not.toBe(2);
    const summary = JSON.parse(readFileSync(join(reportDir, 'latest', 'summary.json'), 'utf8')) as {
      verdict: string;
      totals: { tests: Totals };
    };
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(outcomeTotals(summary.totals.tests));
    expect(lines.at(-2)).toBe(`Verdict: ${summary.verdict}`);
    const reports = lines.at(-3) ?? '';
    for (const name of ['junit.xml', 'summary.json', 'summary.html'])
      expect(reports).toContain(join(reportDir, name).split('/').pop());
    expect(reports).toMatch(/^Reports: /);
  });

  test('writes the three reports; junit.xml validates and summary.json holds its hash', async () => {
    const junit = readFileSync(join(reportDir, 'latest', 'junit.xml'), 'utf8');
    const result = await validateJunit(junit);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    const summary = JSON.parse(readFileSync(join(reportDir, 'latest', 'summary.json'), 'utf8')) as {
      junit: { sha256: string };
      target: { kind: string; novaMicroversions: unknown };
      behaviours: unknown[];
    };
    expect(summary.junit.sha256).toBe(sha256(junit));
    expect(summary.target.kind).toBe('cloud');
    expect(summary.target.novaMicroversions).toEqual({ min: '2.1', max: expect.any(String) });
    expect(summary.behaviours.length).toBeGreaterThan(0);
    expect(readFileSync(join(reportDir, 'latest', 'summary.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  test('no password, token or application-credential secret appears in any output', () => {
    const secrets = [
      ...Object.values(app.users).map((user) => user.password),
      app.applicationCredential.secret,
      ...app.state.tokens.keys(),
    ].filter((s) => s.length > 0);
    // The mock did issue tokens to the run (else this search would prove nothing).
    expect(app.state.tokens.size).toBeGreaterThan(0);
    const outputs: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ...filesUnder(reportDir).map((path): [string, string] => [path, readFileSync(path, 'latin1')]),
    ];
    const found = outputs.flatMap(([where, text]) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${where}: ${secret.slice(0, 6)}...`),
    );
    expect(found).toEqual([]);
  });
});
