import { parse } from 'yaml';
import { ConfigError } from './errors.ts';

/**
 * The most entries (lines, plus the items of flow lists and maps) a clouds.yaml or secure.yaml
 * may hold. The yaml package needs about a second per 50,000 entries and cannot be interrupted
 * meanwhile (signals wait for the event loop); at this bound a file parses in well under half a
 * second, and a clouds.yaml of a hundred clouds has a few thousand.
 */
export const MAX_YAML_ENTRIES = 20_000;

/** Aliases expanded per document at most (the "billion laughs" bound). */
const MAX_ALIASES = 100;

function entries(text: string): number {
  let count = 1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // newline, comma, [ and {
    if (code === 0x0a || code === 0x2c || code === 0x5b || code === 0x7b) count += 1;
  }
  return count;
}

/**
 * YAML text as data, with the cost of parsing bounded before it starts. Duplicate keys are
 * allowed, the last one winning, as openstacksdk's YAML loader does; the yaml package's
 * duplicate check is also quadratic in the number of keys.
 */
export function parseYaml(text: string, path: string, variable: string): unknown {
  const count = entries(text);
  if (count > MAX_YAML_ENTRIES)
    throw new ConfigError(
      variable,
      `${path} has ${count} lines and list items, more than the ${MAX_YAML_ENTRIES} a YAML configuration file may have`,
    );
  try {
    return parse(text, { maxAliasCount: MAX_ALIASES, uniqueKeys: false });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new ConfigError(variable, `${path} is not valid YAML (${reason})`);
  }
}
