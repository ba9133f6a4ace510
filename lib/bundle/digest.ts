import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function sha256Of(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
    )
    .sort();
}

/**
 * One digest of a schema directory: every file's path (with `/`) and sha256, in path order. Two
 * installations agree on it exactly when they would validate every body alike.
 */
export function directoryDigest(dir: string): string {
  const lines = filesUnder(dir).map(
    (file) => `${relative(dir, file).split('\\').join('/')} ${sha256Of(readFileSync(file))}\n`,
  );
  return sha256Of(lines.join(''));
}
