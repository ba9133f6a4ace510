import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../lib/config/errors.ts';
import { loadConfig } from '../../lib/config/load.ts';

/** A fresh empty folder, so that no .env or clouds.yaml of the developer's is read. */
export function emptyDir(prefix = 'nc-config-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The ConfigError loading `env` from `cwd` throws (anything else, or no error, fails the test). */
export function errorOf(env: Record<string, string>, cwd = emptyDir()): ConfigError {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
