import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { baseEnv, ROOT } from './helpers.ts';

// `CI=true npm run conformance > log`, as a Jenkins or GitLab job runs it: the log holds no escape
// sequence. The same run with FORCE_COLOR shows that the check would see one.
const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-ci-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = String.fromCharCode(0x1b);

/** npm run conformance with stdout and stderr redirected to a file; returns the file's text. */
async function logOf(name: string, env: Record<string, string>, args: string[] = []): Promise<string> {
  const path = join(dir, `${name}.log`);
  const fd = openSync(path, 'w');
  const child = spawn(
    'npm',
    ['run', '--silent', 'conformance', ...(args.length > 0 ? ['--', ...args] : [])],
    {
      cwd: ROOT,
      env: { ...baseEnv(), CONFORMANCE_REPORT_DIR: join(dir, name), ...env },
      stdio: ['ignore', fd, fd],
    },
  );
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  closeSync(fd);
  const log = readFileSync(path, 'utf8');
  expect(code, log).toBe(0);
  return log;
}

test('CI=true: a whole run on the mock writes no escape sequence to its log', async () => {
  const log = await logOf('ci', { CI: 'true' });
  expect(log).toMatch(/^Verdict: PASSED$/m);
  expect(log.includes(ESC)).toBe(false);
}, 240_000);

test('FORCE_COLOR=1 with CI=true: the verdict is painted (so the check above can see colour)', async () => {
  const log = await logOf('forced', { CI: 'true', FORCE_COLOR: '1' }, ['--include', 'VERSIONS-01']);
  expect(log).toContain(`Verdict: ${ESC}[32mPASSED${ESC}[39m`);
}, 240_000);

test('--no-color wins over FORCE_COLOR', async () => {
  const log = await logOf('flag', { FORCE_COLOR: '1' }, ['--include', 'VERSIONS-01', '--no-color']);
  expect(log.includes(ESC)).toBe(false);
}, 240_000);
