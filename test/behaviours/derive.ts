import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the suites' source and the footprint table say each behaviour needs, read independently of
 * the registry, so that the registry's tags can be checked against them.
 */
const ROOT = join(import.meta.dirname, '..', '..');

/** One test's source: from its `test(` to the next one's, with the behaviour ID its name starts with. */
interface TestBlock {
  readonly id: string;
  readonly text: string;
}

function testBlocks(): TestBlock[] {
  const blocks: TestBlock[] = [];
  const dir = join(ROOT, 'suites');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const starts = [...text.matchAll(/\btest(?:\.for\([^)]*\))?\(\s*['"`]([A-Z]+-\d+) /g)];
    starts.forEach((m, i) => {
      const end = starts[i + 1]?.index ?? text.length;
      blocks.push({ id: m[1] ?? '', text: text.slice(m.index, end) });
    });
  }
  return blocks;
}

/**
 * Tags that follow from the fixtures and identities a check names: a server booted for the check
 * alone or requireDisruptive (disruptive), requireIdentity (needs-admin, needs-reader,
 * needs-second-project), the second project's port (needs-second-project), two servers.
 */
export function sourceTags(): Map<string, Set<string>> {
  const signals: [RegExp, string][] = [
    [/\bownServer\b|requireDisruptive\(/, 'disruptive'],
    [/requireIdentity\(fx, 'admin'\)/, 'needs-admin'],
    [/requireIdentity\(fx, 'reader'\)/, 'needs-reader'],
    [/requireIdentity\(fx, 'alt'\)|\baltPort\b/, 'needs-second-project'],
    [/\bsecondServer\b/, 'needs-two-servers'],
    [/\bknownUpstreamDefect\(/, 'known-upstream-defect'],
  ];
  const tags = new Map<string, Set<string>>();
  for (const block of testBlocks()) {
    const set = tags.get(block.id) ?? new Set<string>();
    for (const [pattern, tag] of signals) if (pattern.test(block.text)) set.add(tag);
    tags.set(block.id, set);
  }
  return tags;
}

export const SOURCE_TAGS = [
  'disruptive',
  'needs-admin',
  'needs-reader',
  'needs-second-project',
  'needs-two-servers',
  'known-upstream-defect',
] as const;

/** One row of docs/safety.md's check-by-check table, made from real runs in each profile. */
export interface FootprintRow {
  readonly id: string;
  readonly check: string;
  readonly readOnly: boolean;
  readonly standard: boolean;
  readonly disruptive: boolean;
}

export function footprintRows(): FootprintRow[] {
  const text = readFileSync(join(ROOT, 'docs', 'safety.md'), 'utf8');
  const rows: FootprintRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    // | check | servers | changes | read-only | standard | disruptive |
    if (cells.length !== 8) continue;
    const check = cells[1] ?? '';
    const id = /^([A-Z]+-\d+) /.exec(check)?.[1];
    if (id === undefined) continue;
    rows.push({
      id,
      check,
      readOnly: cells[4] === 'runs',
      standard: cells[5] === 'runs',
      disruptive: cells[6] === 'runs',
    });
  }
  return rows;
}
