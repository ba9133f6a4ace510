import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The registry of behaviours (suites/behaviours.yaml) as typed data. It is the one list the suites'
 * test names, the reports' API sections, docs/behaviours.md and the mutant catalogue are checked
 * against (test/behaviours/), and what `run --include/--exclude` selects by.
 */
const REGISTRY_FILE = join(import.meta.dirname, '..', '..', 'suites', 'behaviours.yaml');

export const LEVELS = ['required', 'advisory'] as const;
export type Level = (typeof LEVELS)[number];

/** The Nova releases the devclouds ran (major versions), oldest first. */
export const RELEASES = [26, 31, 34] as const;
export type Release = (typeof RELEASES)[number];

export const RELEASE_NAMES: Readonly<Record<Release, string>> = {
  26: 'Nova 26 (Zed)',
  31: 'Nova 31 (2025.1 Epoxy)',
  34: 'Nova 34 (2026.2)',
};

/** Every tag, with what it says about the behaviour's checks. */
export const TAGS = {
  'read-only': 'every check only reads: it runs in the read-only profile, on a server with one interface',
  disruptive: "changes a server's state or the project's port quota: runs only in the disruptive profile",
  'needs-admin': 'needs an admin (CONFORMANCE_ADMIN_*)',
  'needs-reader': 'needs a reader-only user of the project (CONFORMANCE_READER_*)',
  'needs-second-project': 'needs a user of a second project (CONFORMANCE_ALT_*)',
  'needs-two-servers': 'needs two servers of the run (not possible with CONFORMANCE_SERVER_ID)',
  'known-upstream-defect': 'real Nova deviates from its documentation here; reported apart, not failed',
} as const satisfies Record<string, string>;
type Tag = keyof typeof TAGS;

export interface BehaviourEntry {
  readonly id: string;
  readonly title: string;
  readonly scenario: string;
  readonly section: string;
  readonly level: Level;
  readonly releases: readonly Release[];
  readonly tags: readonly Tag[];
  readonly expects: string;
  readonly notes: readonly string[];
}

const KEYS = new Set(['id', 'title', 'scenario', 'section', 'level', 'releases', 'tags', 'expects', 'notes']);
const ID = /^[A-Z]+-\d{2}$/;

function fail(where: string, problem: string): never {
  throw new Error(`${REGISTRY_FILE}: ${where}: ${problem}`);
}

function text(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value.trim() === '') fail(where, `${key} must be a non-empty string`);
  return value;
}

function isTag(value: unknown): value is Tag {
  return typeof value === 'string' && Object.hasOwn(TAGS, value);
}

function isRelease(value: unknown): value is Release {
  return RELEASES.some((r) => r === value);
}

function isLevel(value: unknown): value is Level {
  return LEVELS.some((l) => l === value);
}

function entryOf(raw: unknown, index: number): BehaviourEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`entry ${index}`, 'not a mapping');
  const entry = raw as Record<string, unknown>;
  const id = entry['id'];
  const where = typeof id === 'string' ? id : `entry ${index}`;
  for (const key of Object.keys(entry)) if (!KEYS.has(key)) fail(where, `unknown key '${key}'`);
  if (typeof id !== 'string' || !ID.test(id)) fail(where, 'id must look like LIST-01');
  const level = entry['level'];
  if (!isLevel(level)) fail(where, `level must be one of ${LEVELS.join(', ')}`);
  const releases = entry['releases'];
  if (!Array.isArray(releases) || !releases.every(isRelease))
    fail(where, `releases must be a list of ${RELEASES.join(', ')}`);
  const tags = entry['tags'];
  if (!Array.isArray(tags) || !tags.every(isTag))
    fail(where, `tags must be a list of ${Object.keys(TAGS).join(', ')}`);
  const notes = entry['notes'] ?? [];
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string'))
    fail(where, 'notes must be a list of strings');
  return {
    id,
    title: text(entry, 'title', where),
    scenario: text(entry, 'scenario', where),
    section: text(entry, 'section', where),
    level,
    releases,
    tags,
    expects: text(entry, 'expects', where),
    notes,
  };
}

/** Parses and checks registry text; throws naming the entry and the problem. */
export function parseRegistry(source: string): BehaviourEntry[] {
  const doc = parse(source) as unknown;
  const list = (doc as { behaviours?: unknown } | null)?.behaviours;
  if (!Array.isArray(list)) fail('top level', "needs a list 'behaviours'");
  const entries = list.map(entryOf);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.id)) fail(entry.id, 'listed twice');
    seen.add(entry.id);
  }
  return entries;
}

let cached: readonly BehaviourEntry[] | undefined;

/** The registry, read once. */
export function behaviourRegistry(): readonly BehaviourEntry[] {
  cached ??= parseRegistry(readFileSync(REGISTRY_FILE, 'utf8'));
  return cached;
}

export function behaviourById(id: string): BehaviourEntry | undefined {
  return behaviourRegistry().find((b) => b.id === id);
}

/** `DETACH-04` → `DETACH`: the family that groups behaviours in the docs. */
export function familyOf(id: string): string {
  return id.slice(0, id.lastIndexOf('-'));
}
