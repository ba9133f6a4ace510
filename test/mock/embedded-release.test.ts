// CONFORMANCE_MOCK_RELEASE: which release the embedded mock of a conformance run imitates.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors.ts';
import { loadConfig } from '../../lib/config/load.ts';
import { startTarget } from '../../lib/harness/target.ts';

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'mock-release-'));

async function maximumOf(env: Record<string, string>): Promise<string> {
  const cwd = emptyDir();
  const target = await startTarget(loadConfig(env, cwd), env);
  try {
    const auth = target.env['OS_AUTH_URL'] ?? '';
    const res = await fetch(auth.replace(/\/identity\/v3$/, '/compute/v2.1/'));
    return ((await res.json()) as { version: { version: string } }).version.version;
  } finally {
    await target.stop();
  }
}

describe('CONFORMANCE_MOCK_RELEASE', () => {
  it('is Zed by default and picks the imitated release', async () => {
    expect(await maximumOf({})).toBe('2.93');
    expect(await maximumOf({ CONFORMANCE_MOCK_RELEASE: 'epoxy' })).toBe('2.100');
    expect(await maximumOf({ CONFORMANCE_MOCK_RELEASE: '2026.2' })).toBe('2.104');
  });
  it('is read from .env too, the environment winning', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, '.env'), 'CONFORMANCE_MOCK_RELEASE=epoxy\n');
    expect(loadConfig({}, cwd).mockRelease).toBe('epoxy');
    expect(loadConfig({ CONFORMANCE_MOCK_RELEASE: '2026.2' }, cwd).mockRelease).toBe('2026.2');
  });
  it('refuses a misspelt release with the configuration one-line error', () => {
    let error: unknown;
    try {
      loadConfig({ CONFORMANCE_MOCK_RELEASE: 'bobcat' }, emptyDir());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "CONFORMANCE_MOCK_RELEASE: expected one of zed, epoxy, 2026.2, got 'bobcat'",
    );
  });
});
