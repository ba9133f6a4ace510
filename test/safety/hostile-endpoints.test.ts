import { describe, expect, test } from 'vitest';
import * as s from '../http/servers.ts';
import { cleanEnv, spawnCli, tempDir } from './helpers.ts';

// `nova-conformance run` with OS_AUTH_URL at a hostile endpoint: exit 2 within the configured
// timeout, one readable line on stderr, no stack trace, and nothing else to clean up.

const TIMEOUT_S = 1;
/** Runs `body` with a hostile server that is closed afterwards (per test: the cases run concurrently). */
async function withServer<T>(started: Promise<s.Hostile>, body: (url: string) => Promise<T>): Promise<T> {
  const server = await started;
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}

async function runAgainst(url: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const dir = tempDir('hostile');
  try {
    const started = Date.now();
    const child = spawnCli(['run'], {
      ...cleanEnv(),
      OS_AUTH_URL: `${url}/identity/v3`,
      OS_USERNAME: 'member',
      OS_PASSWORD: 'secret-password',
      OS_PROJECT_NAME: 'demo',
      CONFORMANCE_REQUEST_TIMEOUT: String(TIMEOUT_S),
      CONFORMANCE_MAX_RESPONSE_BYTES: String(1024 * 1024),
      CONFORMANCE_REPORT_DIR: dir.path,
    });
    const { code } = await child.exited;
    return { code, stderr: child.stderr(), ms: Date.now() - started };
  } finally {
    dir.remove();
  }
}

function expectOneReadableLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^nova-conformance: cannot test the target: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(stderr).not.toContain('secret-password');
}

describe.concurrent(
  'a run against a hostile endpoint stops at start-up with exit 2',
  { timeout: 60_000 },
  () => {
    test('an endpoint that never answers', async () => {
      const { code, stderr, ms } = await withServer(s.hostile(s.silent), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /no complete answer within 1 s \(CONFORMANCE_REQUEST_TIMEOUT\)/);
      // The timeout plus the start-up of node and tsx; nothing waits longer than it was allowed to.
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + 20_000);
    });

    test('an endpoint that answers HTML', async () => {
      const { code, stderr } = await withServer(s.hostile(s.html), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /Keystone at .*auth\/tokens/);
    });

    test('an endpoint that sends 100 MB', async () => {
      const { code, stderr } = await withServer(s.hostile(s.huge), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /exceeded 1048576 bytes \(CONFORMANCE_MAX_RESPONSE_BYTES\)/);
    });

    test('an endpoint with a certificate no CA vouches for', async () => {
      const { code, stderr } = await withServer(s.hostileTls(s.plainText), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /TLS failed .*OS_CACERT/);
    });

    test('an endpoint that closes the connection', async () => {
      const { code, stderr } = await withServer(s.hostile(s.hangUp), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /closed before a complete answer/);
    });

    test('an endpoint in a redirect loop', async () => {
      const { code, stderr } = await withServer(s.hostile(s.redirectLoop), runAgainst);
      expect(code).toBe(2);
      expectOneReadableLine(stderr, /answered 302 to the token request/);
    });
  },
);
