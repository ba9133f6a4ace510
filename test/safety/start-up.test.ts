import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hostile, type Hostile } from '../http/servers.ts';
import { cleanEnv, mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

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

/** A cloud that exists only as far as the token request: enough to reach the catalog. */
const openrc = (authUrl: string, reportDir: string): Record<string, string> => ({
  ...cleanEnv(),
  OS_AUTH_URL: authUrl,
  OS_USERNAME: 'u',
  OS_PASSWORD: 'p-startup-secret',
  OS_PROJECT_NAME: 'x',
  CONFORMANCE_REQUEST_TIMEOUT: '5',
  CONFORMANCE_REPORT_DIR: reportDir,
});

async function withKeystone<T>(
  status: number,
  body: string,
  use: (server: Hostile) => Promise<T>,
): Promise<T> {
  const server = await hostile((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Subject-Token': 'gAAAAA-startup-token' });
    res.end(body);
  });
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

describe('bad input and hostile answers at start-up', { timeout: 60_000 }, () => {
  test('a password in OS_AUTH_URL: exit 2, one line naming OS_AUTH_URL, the password nowhere, no request', async () => {
    const dir = tempDir('userinfo');
    let requests = 0;
    const server = await hostile((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    try {
      const url = server.url.replace('http://', 'http://svc:Sup3rS3cretPw@');
      const result = await run(openrc(`${url}/identity/v3`, dir.path));
      expect(result.code).toBe(2);
      expect(oneLine(result.stderr)).toMatch(
        /^nova-conformance: configuration error: OS_AUTH_URL: must not hold a user name or password/,
      );
      expect(result.stdout + result.stderr).not.toContain('Sup3rS3cretPw');
      expect(requests).toBe(0);
      expect(files(dir.path)).toEqual([]);
    } finally {
      await server.close();
      dir.remove();
    }
  });

  // A closed port as Keystone: should a check below stop working, the run fails at once at
  // preflight (another line, so the test fails) instead of running, or writing into `/`.
  const NOWHERE = 'http://127.0.0.1:9/v3';
  const scratch = tempDir('start-up');
  afterAll(() => scratch.remove());

  test('a misspelt setting: exit 2, naming the one meant', async () => {
    const result = await run({ ...openrc(NOWHERE, scratch.path), CONFORMANCE_READONLY: '1' });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      'nova-conformance: configuration error: CONFORMANCE_READONLY: (in the environment) is not a setting of nova-conformance; the closest one is CONFORMANCE_READ_ONLY (see .env.example)',
    );
  });

  test('an empty CONFORMANCE_READ_ONLY: exit 2, not a read-write run', async () => {
    const result = await run({ ...openrc(NOWHERE, scratch.path), CONFORMANCE_READ_ONLY: '' });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('CONFORMANCE_READ_ONLY: (in the environment) is empty');
  });

  test('CONFORMANCE_REPORT_DIR naming a file, or /: exit 2, one line naming it, nothing written', async () => {
    const dir = tempDir('report-file');
    try {
      const file = join(dir.path, 'file');
      writeFileSync(file, 'x');
      const asFile = await run({ ...openrc(NOWHERE, file) });
      expect(asFile.code).toBe(2);
      expect(oneLine(asFile.stderr)).toBe(
        `nova-conformance: configuration error: CONFORMANCE_REPORT_DIR: names ${file}, which is not a directory`,
      );
      const before = ['/junit.xml', '/summary.json', '/journal'].filter((p) => existsSync(p));
      const asRoot = await run({ ...openrc(NOWHERE, '/') });
      expect(asRoot.code).toBe(2);
      expect(oneLine(asRoot.stderr)).toContain('CONFORMANCE_REPORT_DIR: names /, a system directory');
      expect(['/junit.xml', '/summary.json', '/journal'].filter((p) => existsSync(p))).toEqual(before);
    } finally {
      dir.remove();
    }
  });

  test('OS_CACERT naming a directory, and a 50 MB clouds.yaml: one line each, at once', async () => {
    const dir = tempDir('inputs');
    try {
      mkdirSync(join(dir.path, 'certs'));
      const cacert = await run({
        ...openrc('https://127.0.0.1:9/v3', dir.path),
        OS_CACERT: join(dir.path, 'certs'),
      });
      expect(cacert.code).toBe(2);
      expect(oneLine(cacert.stderr)).toContain(`OS_CACERT: ${join(dir.path, 'certs')} is a directory`);

      const clouds = join(dir.path, 'clouds.yaml');
      writeFileSync(clouds, '');
      truncateSync(clouds, 50 * 1024 * 1024);
      const yaml = await run({ ...cleanEnv(), OS_CLOUD: 'c', OS_CLIENT_CONFIG_FILE: clouds });
      expect(yaml.code).toBe(2);
      expect(oneLine(yaml.stderr)).toContain('is larger than 1 MiB');
      expect(yaml.ms).toBeLessThan(10_000);
    } finally {
      dir.remove();
    }
  });

  test('escape sequences and control bytes in an answer reach the terminal escaped', async () => {
    const dir = tempDir('escapes');
    try {
      const body = '\x1b]0;pwned\x07\x1b[2K\rVerdict: PASSED\x00\x08 \u202e';
      await withKeystone(500, body, async (server) => {
        const result = await run(openrc(`${server.url}/v3`, dir.path));
        expect(result.code).toBe(2);
        const line = oneLine(result.stderr);
        expect(line).toContain('answered 500 to the token request');
        expect(line).toContain('\\x1b]0;pwned\\x07\\x1b[2K\\x0dVerdict: PASSED\\x00\\x08 \\u{202e}');
        // eslint-disable-next-line no-control-regex
        expect(result.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
      });
    } finally {
      dir.remove();
    }
  });

  test.each([
    [
      'a malformed catalog entry',
      [{ type: 'compute', endpoints: [{ interface: 'public' }] }],
      /issued a service catalog the run cannot use: token\.catalog\[0\]\.endpoints\[0\]\.url must be a non-empty string/,
    ],
    [
      'a compute endpoint that is not http(s)',
      [{ type: 'compute', endpoints: [{ interface: 'public', url: 'file:///etc/passwd' }] }],
      /'compute' endpoint \(interface 'public'\) is not an http:\/\/ or https:\/\/ URL/,
    ],
  ])('%s: exit 2, one line', async (_name, catalog, expected) => {
    const dir = tempDir('catalog');
    try {
      const body = JSON.stringify({ token: { project: { id: 'p' }, catalog } });
      await withKeystone(201, body, async (server) => {
        const result = await run(openrc(`${server.url}/v3`, dir.path));
        expect(result.code).toBe(2);
        expect(oneLine(result.stderr)).toMatch(expected);
      });
    } finally {
      dir.remove();
    }
  });
});
