import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { ConfigError } from './errors.ts';

/**
 * The most a configuration file may hold: clouds.yaml, secure.yaml, .env and OS_CACERT. Real
 * ones are a few kilobytes (a CA bundle of every public CA is about 200 KiB); a larger file is a
 * mistake, and reading or parsing it would hold up the run.
 */
export const INPUT_FILE_LIMIT = 1024 * 1024;

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A configuration file, read whole, never more than INPUT_FILE_LIMIT bytes of it. `variable`
 * is the setting that led to it and `what` says what was expected, for the one-line error.
 */
export function readInputFile(path: string, variable: string, what: string): Buffer {
  const fail = (reason: string): never => {
    throw new ConfigError(variable, `${path} ${reason}: expected ${what}`);
  };
  let fd: number;
  try {
    // Checked before opening: opening a FIFO would wait for a writer for ever.
    const stat = statSync(path);
    if (stat.isDirectory()) fail('is a directory');
    if (!stat.isFile()) fail('is not a regular file');
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = code(error);
    return fail(
      reason === 'ENOENT'
        ? 'does not exist'
        : reason === 'EACCES' || reason === 'EPERM'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${reason ?? String(error)})`,
    );
  }
  try {
    const tooLarge = `is larger than ${INPUT_FILE_LIMIT / 1024 / 1024} MiB (${INPUT_FILE_LIMIT} bytes), the limit for a configuration file`;
    if (fstatSync(fd).size > INPUT_FILE_LIMIT) fail(tooLarge);
    // One byte more than the limit tells a file that grew since the stat from one that fits.
    const buffer = Buffer.alloc(INPUT_FILE_LIMIT + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > INPUT_FILE_LIMIT) fail(tooLarge);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
