import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openrcOf } from '../../lib/harness/target.ts';
import { startMock } from '../../lib/mock/start.ts';
import { mutantByName } from '../../lib/mutants/catalogue.ts';
import { startProxy } from '../../lib/mutants/proxy.ts';
import { cli, type Cli } from './helpers.ts';

// An honest failing run must verify as intact and consistent too: failed checks with their
// evidence, bodies that fail their schemas in failed checks, blocked checks. The deviation proxy
// puts one mutant (upper-case MAC addresses) in front of the mock.
let scratch: string;
let run: Cli;
let verify: Cli;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const mock = await startMock({
    port: 0,
    delays: { build: 50, detach: 30, portActive: 30, taskState: 200 },
  });
  stops.push(() => mock.stop());
  const proxy = await startProxy({
    upstreamAuthUrl: mock.authUrl,
    mutant: mutantByName('list-mac-uppercase'),
  });
  stops.push(() => proxy.stop());
  scratch = mkdtempSync(join(tmpdir(), 'nova-conformance-failing-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NO_COLOR: '1',
    NOVA_CONFORMANCE_LOCK_DIR: join(scratch, 'locks'),
    ...openrcOf({ authUrl: proxy.authUrl, users: mock.users }),
    CONFORMANCE_POLL_INTERVAL: '0.02',
    CONFORMANCE_WAIT_TIMEOUT: '20',
    CONFORMANCE_REPORT_DIR: join(scratch, 'reports'),
  };
  run = await cli(['run'], env);
  verify = await cli(['verify', join(scratch, 'reports', 'latest')], env);
}, 600_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('a failing run verifies as intact and consistent, its verdict FAILED', () => {
  expect(run.code).toBe(1);
  expect(verify.stdout).toMatch(/^verify: .*: intact and consistent \(FAILED, \d+ results, /);
  expect(verify.stdout.trim().split('\n')).toHaveLength(1);
  expect(verify.code).toBe(0);
});

test('the failures it checked came with their exchanges (else verify would have judged nothing)', () => {
  const summary = JSON.parse(readFileSync(join(scratch, 'reports', 'latest', 'summary.json'), 'utf8')) as {
    results: { status: string; failedExchange?: unknown }[];
  };
  const failed = summary.results.filter((r) => r.status === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.filter((r) => r.failedExchange !== undefined).length).toBeGreaterThan(0);
});
