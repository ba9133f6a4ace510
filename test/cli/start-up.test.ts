import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanEnv, mockEnv, spawnCli, tempDir, withMock } from '../safety/helpers.ts';

// The start-up contract of `nova-conformance run`: a run that cannot start ends with exit 2 and
// one line that says why, never a stack trace, never a secret.

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

async function run(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawnCli(['run'], env);
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr(), ms: Date.now() - started };
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

describe('a run that cannot start', { timeout: 60_000 }, () => {
  test('an unreachable Keystone: exit 2 within 15 s, one line naming the URL', async () => {
    const dir = tempDir('unreachable');
    try {
      const result = await run({
        ...cleanEnv(),
        OS_AUTH_URL: 'http://127.0.0.1:9/v3',
        OS_USERNAME: 'u',
        OS_PASSWORD: 'p-unreachable-secret',
        OS_PROJECT_NAME: 'x',
        CONFORMANCE_REPORT_DIR: dir.path,
      });
      expect(result.code).toBe(2);
      expect(result.ms).toBeLessThan(15_000);
      expect(oneLine(result.stderr)).toBe(
        'nova-conformance: cannot test the target: POST http://127.0.0.1:9/v3/auth/tokens: connection refused; is the endpoint up and the URL right?',
      );
      expect(result.stdout + result.stderr).not.toContain('p-unreachable-secret');
    } finally {
      dir.remove();
    }
  });

  test('a wrong password against the mock: exit 2, authentication failed, the password nowhere', async () => {
    await withMock({}, async (mock) => {
      const dir = tempDir('wrong-password');
      try {
        const wrong = 'Wr0ng-Passw0rd-for-the-test';
        const result = await run({ ...mockEnv(mock, dir.path), OS_PASSWORD: wrong });
        expect(result.code).toBe(2);
        expect(oneLine(result.stderr)).toMatch(
          /^nova-conformance: cannot test the target: Keystone at .* rejected user 'demo': authentication failed \(401\)/,
        );
        expect(result.stdout + result.stderr).not.toContain(wrong);
        for (const file of files(dir.path)) expect(readFileSync(file, 'utf8'), file).not.toContain(wrong);
      } finally {
        dir.remove();
      }
    });
  });

  test('a malformed setting: exit 2, one line naming the variable, before any request', async () => {
    const result = await run({ ...cleanEnv(), CONFORMANCE_WAIT_TIMEOUT: 'soon' });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      "nova-conformance: configuration error: CONFORMANCE_WAIT_TIMEOUT: expected a number of seconds between 1 and 7200, got 'soon'",
    );
  });

  test('an unknown argument: exit 2 with a pointer to --help', async () => {
    const child = spawnCli(['run', '--frobnicate'], cleanEnv());
    const { code } = await child.exited;
    expect(code).toBe(2);
    expect(oneLine(child.stderr())).toContain('--help');
  });
});
