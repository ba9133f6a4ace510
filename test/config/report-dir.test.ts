import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../lib/config/errors.ts';
import { loadConfig } from '../../lib/config/load.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'nc-report-dir-'));
}

function errorOf(reportDir: string, cwd = dir()): ConfigError {
  try {
    loadConfig({ CONFORMANCE_REPORT_DIR: reportDir }, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/**
 * The configuration loaded by an unprivileged user: root may write to any directory, so a
 * read-only one can only be shown to a user the permissions apply to.
 */
function loadAsUnprivileged(reportDir: string): string {
  const script = `import(${JSON.stringify(join(ROOT, 'lib/config/load.ts'))}).then((m) => {
    try { m.loadConfig({ CONFORMANCE_REPORT_DIR: ${JSON.stringify(reportDir)} }, '/'); console.log('accepted'); }
    catch (e) { console.log(e.message); }
  })`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    ...asNobody,
  });
  return result.stdout.trim() || result.stderr.trim();
}

describe('CONFORMANCE_REPORT_DIR is checked before any request', () => {
  test('a new directory in an existing one, or an existing one, is accepted', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).reportDir).toBe(join(cwd, 'reports'));
    expect(loadConfig({ CONFORMANCE_REPORT_DIR: cwd }, '/').reportDir).toBe(cwd);
  });

  test('a file', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'out'), 'x');
    const error = errorOf('out', cwd);
    expect(error.variable).toBe('CONFORMANCE_REPORT_DIR');
    expect(error.message).toBe(`CONFORMANCE_REPORT_DIR: names ${join(cwd, 'out')}, which is not a directory`);
  });

  test('a missing parent', () => {
    const cwd = dir();
    expect(errorOf('no/such/reports', cwd).message).toContain(
      `whose parent directory ${join(cwd, 'no', 'such')} does not exist`,
    );
  });

  test.each(['/', '/etc', '/usr', '/tmp', '/var', homedir()])('%s, a system directory', (path) => {
    const error = errorOf(path);
    expect(error.variable).toBe('CONFORMANCE_REPORT_DIR');
    expect(error.message).toContain('a system directory');
  });

  test('a symbolic link to / is /', () => {
    const cwd = dir();
    spawnSync('ln', ['-s', '/', join(cwd, 'root')]);
    expect(errorOf('root', cwd).message).toContain('a system directory');
  });

  test('a read-only directory, and a new one inside it', () => {
    const parent = dir();
    const readOnly = join(parent, 'read-only');
    mkdirSync(readOnly);
    chmodSync(parent, 0o755);
    chmodSync(readOnly, 0o555);
    expect(loadAsUnprivileged(readOnly)).toBe(
      `CONFORMANCE_REPORT_DIR: names ${readOnly}, a directory this user cannot write to`,
    );
    expect(loadAsUnprivileged(join(readOnly, 'reports'))).toBe(
      `CONFORMANCE_REPORT_DIR: names ${join(readOnly, 'reports')}, which cannot be created: this user cannot write to ${readOnly}`,
    );
    chmodSync(readOnly, 0o777);
    expect(loadAsUnprivileged(readOnly)).toBe('accepted');
  });
});
