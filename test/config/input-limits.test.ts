import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MAX_YAML_ENTRIES } from '../../lib/config/bounded-yaml.ts';
import { ConfigError } from '../../lib/config/errors.ts';
import { INPUT_FILE_LIMIT } from '../../lib/config/input-file.ts';
import { loadConfig } from '../../lib/config/load.ts';

const cloud = {
  OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
  OS_USERNAME: 'demo',
  OS_PASSWORD: 'pw-demo-123',
  OS_PROJECT_NAME: 'demo',
};

const ENTRY = `clouds:
  devcloud:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      password: pw
      project_name: demo
`;

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'nc-limits-'));
}

function errorOf(env: Record<string, string>, cwd: string): { error: ConfigError; ms: number } {
  const started = performance.now();
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return { error, ms: performance.now() - started };
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A file of `size` bytes that takes no disk and no time to make. */
function sparse(path: string, size: number): void {
  writeFileSync(path, '');
  truncateSync(path, size);
}

describe('every file the configuration reads is bounded', () => {
  test('a 50 MB clouds.yaml is refused at once, naming the 1 MiB limit', () => {
    const cwd = dir();
    sparse(join(cwd, 'clouds.yaml'), 50 * 1024 * 1024);
    const { error, ms } = errorOf({ OS_CLOUD: 'devcloud' }, cwd);
    expect(error.variable).toBe('OS_CLOUD');
    expect(error.message).toContain('larger than 1 MiB');
    expect(error.message).toContain(join(cwd, 'clouds.yaml'));
    expect(ms).toBeLessThan(500);
  });

  test('a file one byte over the limit is refused; one at the limit is read', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'clouds.yaml'), ENTRY.padEnd(INPUT_FILE_LIMIT + 1, ' '));
    expect(errorOf({ OS_CLOUD: 'devcloud' }, cwd).error.message).toContain('larger than 1 MiB');
    writeFileSync(join(cwd, 'clouds.yaml'), ENTRY.padEnd(INPUT_FILE_LIMIT, ' '));
    expect(loadConfig({ OS_CLOUD: 'devcloud' }, cwd).cloud?.primary.username).toBe('demo');
  });

  test('secure.yaml, named by OS_CLIENT_SECURE_FILE', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'clouds.yaml'), ENTRY);
    const secure = join(cwd, 'elsewhere.yaml');
    sparse(secure, 2 * INPUT_FILE_LIMIT);
    const { error } = errorOf({ OS_CLOUD: 'devcloud', OS_CLIENT_SECURE_FILE: secure }, cwd);
    expect(error.variable).toBe('OS_CLIENT_SECURE_FILE');
    expect(error.message).toContain('larger than 1 MiB');
  });

  test('.env', () => {
    const cwd = dir();
    sparse(join(cwd, '.env'), 2 * INPUT_FILE_LIMIT);
    const { error } = errorOf({}, cwd);
    expect(error.message).toMatch(/^\.env: .*larger than 1 MiB/);
  });

  test('OS_CACERT: too large, a directory, a device', () => {
    const cwd = dir();
    sparse(join(cwd, 'ca.pem'), 2 * INPUT_FILE_LIMIT);
    mkdirSync(join(cwd, 'certs'));
    for (const [value, expected] of [
      ['ca.pem', 'larger than 1 MiB'],
      ['certs', 'is a directory: expected a PEM file of CA certificates'],
      ['/dev/zero', 'is not a regular file'],
    ] as const) {
      const { error } = errorOf({ ...cloud, OS_CACERT: value }, cwd);
      expect(error.variable).toBe('OS_CACERT');
      expect(error.message).toContain(expected);
      expect(error.message.split('\n')).toHaveLength(1);
    }
  });

  test('a clouds.yaml that is a device or a FIFO is refused without reading or waiting', () => {
    const cwd = dir();
    symlinkSync('/dev/zero', join(cwd, 'clouds.yaml'));
    expect(errorOf({ OS_CLOUD: 'devcloud' }, cwd).error.message).toContain('is not a regular file');
    const fifo = join(dir(), 'clouds.yaml');
    execFileSync('mkfifo', [fifo]);
    const { error, ms } = errorOf({ OS_CLOUD: 'devcloud', OS_CLIENT_CONFIG_FILE: fifo }, cwd);
    expect(error.variable).toBe('OS_CLIENT_CONFIG_FILE');
    expect(error.message).toContain('is not a regular file');
    expect(ms).toBeLessThan(500);
  });
});

describe('YAML parsing is bounded', () => {
  test('more entries than the bound: refused before parsing, in milliseconds', () => {
    const cwd = dir();
    // 1 MiB of `kN: v` lines took the yaml package over a minute (its duplicate-key check).
    let text = ENTRY;
    for (let i = 0; text.length < INPUT_FILE_LIMIT - 20; i += 1) text += `k${i}: v\n`;
    writeFileSync(join(cwd, 'clouds.yaml'), text);
    const { error, ms } = errorOf({ OS_CLOUD: 'devcloud' }, cwd);
    expect(error.message).toContain(`more than the ${MAX_YAML_ENTRIES}`);
    expect(ms).toBeLessThan(500);
  });

  test('a file at the bound parses within a second, whatever its shape', () => {
    const n = MAX_YAML_ENTRIES - 20;
    const shapes = {
      keys: Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n'),
      flow: `x: [${Array.from({ length: n }, () => 'a').join(', ')}]`,
      sequence: Array.from({ length: n }, () => '- a').join('\n'),
    };
    for (const [shape, body] of Object.entries(shapes)) {
      const cwd = dir();
      writeFileSync(join(cwd, 'clouds.yaml'), `${shape === 'sequence' ? '' : ENTRY}${body}\n`);
      const started = performance.now();
      try {
        loadConfig({ OS_CLOUD: 'devcloud' }, cwd);
      } catch (error) {
        // A top-level list is not a clouds.yaml: refused, but only after it was parsed.
        expect(String(error), shape).toContain("must hold a mapping with a 'clouds' key");
      }
      expect(performance.now() - started, shape).toBeLessThan(1000);
    }
  });

  test('an alias bomb is refused', () => {
    const cwd = dir();
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i += 1)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${`*${String.fromCharCode(96 + i)},`.repeat(9)}]`,
      );
    writeFileSync(join(cwd, 'clouds.yaml'), `${ENTRY}${lines.join('\n')}\n`);
    const { error, ms } = errorOf({ OS_CLOUD: 'devcloud' }, cwd);
    expect(error.message).toContain('not valid YAML');
    expect(ms).toBeLessThan(1000);
  });

  test('duplicate keys: the last one wins, as openstacksdk reads them', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'clouds.yaml'), `${ENTRY}      username: second\n`);
    expect(loadConfig({ OS_CLOUD: 'devcloud' }, cwd).cloud?.primary.username).toBe('second');
  });
});
