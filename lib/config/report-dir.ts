import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError } from './errors.ts';

const VARIABLE = 'CONFORMANCE_REPORT_DIR';

/**
 * Directories a run must not write junit.xml, summary.* and journal/ into: the root, the
 * top-level system directories, and the home directory itself. A directory below them (a
 * project's ./reports, /tmp/x, ~/reports) is fine.
 */
const SYSTEM = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/sbin',
  '/usr/share',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/tmp',
]);

function writable(path: string): boolean {
  try {
    // The kernel's answer for this user, read-only mounts included.
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the report directory before the first request: a run that cannot write its reports
 * would otherwise fail at the end (ENOTDIR, ENOENT), after it changed the cloud. An existing
 * directory must be writable; a new one needs a writable parent directory (only one level is
 * created, so that a typo in a path does not grow a tree somewhere).
 */
export function checkReportDir(path: string): void {
  const fail = (reason: string): never => {
    throw new ConfigError(VARIABLE, `names ${path}, ${reason}`);
  };
  const real = existsSync(path) ? realpathSync(path) : path;
  if (SYSTEM.has(real) || real === homedir())
    fail('a system directory: name a directory of its own for the reports, e.g. ./reports');
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) fail('which is not a directory');
    if (!writable(path)) fail('a directory this user cannot write to');
    return;
  }
  const parent = dirname(path);
  if (!existsSync(parent)) fail(`whose parent directory ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) fail(`whose parent ${parent} is not a directory`);
  if (!writable(parent)) fail(`which cannot be created: this user cannot write to ${parent}`);
}
