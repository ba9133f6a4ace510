// The variables of a cloud for a run: an openrc, the conformance.env beside it, and more files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseOpenrc } from './stats.ts';

export function readCloudEnv(
  openrc: string,
  envFiles: readonly string[] = [],
): { vars: Record<string, string>; read: string[] } {
  const vars = parseOpenrc(readFileSync(openrc, 'utf8'));
  const sibling = join(dirname(openrc), 'conformance.env');
  const files = [...(existsSync(sibling) && !envFiles.includes(sibling) ? [sibling] : []), ...envFiles];
  for (const file of files) Object.assign(vars, parseOpenrc(readFileSync(file, 'utf8')));
  return { vars, read: [openrc, ...files] };
}
