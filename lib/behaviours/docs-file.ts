import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { behavioursDoc } from './docs.ts';
import { behaviourRegistry } from './registry.ts';

export const DOC_FILE = join(import.meta.dirname, '..', '..', 'docs', 'behaviours.md');

/** docs/behaviours.md as it should be: rendered from the registry, formatted as the repository formats Markdown. */
export async function expectedBehavioursDoc(): Promise<string> {
  // prettier is a devDependency: only the docs script and its test load this module.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DOC_FILE)) ?? {};
  return prettier.format(behavioursDoc(behaviourRegistry()), { ...options, parser: 'markdown' });
}

export function currentBehavioursDoc(): string {
  return readFileSync(DOC_FILE, 'utf8');
}
