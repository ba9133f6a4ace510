import { LEVELS, TAGS, type BehaviourEntry } from './registry.ts';

/**
 * Which checks a run selects, as the tools users know do it: include and exclude patterns that
 * name behaviours (by ID glob, scenario or tag), and the older `--filter`, a regular expression on
 * the test's full name. A check runs when some include matches (or there is none), no exclude
 * matches, and some filter matches (or there is none).
 *
 * Patterns: `DETACH-*` (an ID glob, `*` and `?`, any case), `detach` (a scenario, or an ID),
 * `id:…`, `scenario:…`, `tag:read-only`, `level:advisory`.
 */
type PatternKind = 'id-or-scenario' | 'id' | 'scenario' | 'tag' | 'level';

export interface Pattern {
  readonly text: string;
  readonly kind: PatternKind;
  readonly value: string;
}

export interface Selection {
  readonly include: readonly Pattern[];
  readonly exclude: readonly Pattern[];
  readonly filters: readonly RegExp[];
}

/** What selection needs to know of one check. */
export interface CheckRef {
  readonly behaviourId: string | undefined;
  readonly scenario: string;
  /** describe blocks and test name, joined by spaces (what vitest's name pattern matches). */
  readonly fullName: string;
}

export class SelectionError extends Error {}

const PREFIXES: readonly PatternKind[] = ['id', 'scenario', 'tag', 'level'];

export function parsePattern(text: string): Pattern {
  const trimmed = text.trim();
  if (trimmed === '') throw new SelectionError('an empty pattern');
  const colon = trimmed.indexOf(':');
  const prefix = colon > 0 ? trimmed.slice(0, colon) : '';
  const kind = PREFIXES.find((p) => p === prefix);
  if (colon > 0 && kind === undefined)
    throw new SelectionError(
      `pattern '${trimmed}': unknown kind '${prefix}:' (id:, scenario:, tag: or level:)`,
    );
  const value = kind === undefined ? trimmed : trimmed.slice(colon + 1);
  if (value === '') throw new SelectionError(`pattern '${trimmed}' names nothing after '${prefix}:'`);
  if (kind === 'tag' && !Object.hasOwn(TAGS, value))
    throw new SelectionError(`pattern '${trimmed}': no tag '${value}' (${Object.keys(TAGS).join(', ')})`);
  if (kind === 'level' && !LEVELS.some((l) => l === value))
    throw new SelectionError(`pattern '${trimmed}': no level '${value}' (${LEVELS.join(', ')})`);
  return { text: trimmed, kind: kind ?? 'id-or-scenario', value };
}

/** Patterns of a list file: one a line; `#` starts a comment; blank lines are ignored. */
export function patternLines(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

function matchesValues(pattern: Pattern, id: string | undefined, scenario: string): boolean {
  const glob = globRegExp(pattern.value);
  const byId = id !== undefined && glob.test(id);
  if (pattern.kind === 'id') return byId;
  if (pattern.kind === 'scenario') return glob.test(scenario);
  return byId || glob.test(scenario);
}

/** Whether the pattern names the behaviour. */
function matchesBehaviour(pattern: Pattern, behaviour: BehaviourEntry): boolean {
  if (pattern.kind === 'tag') return behaviour.tags.some((t) => t === pattern.value);
  if (pattern.kind === 'level') return behaviour.level === pattern.value;
  return matchesValues(pattern, behaviour.id, behaviour.scenario);
}

/** Patterns that name no behaviour of the registry: a typo must not silently select nothing. */
export function unknownPatterns(
  patterns: readonly Pattern[],
  registry: readonly BehaviourEntry[],
): Pattern[] {
  return patterns.filter((p) => !registry.some((b) => matchesBehaviour(p, b)));
}

function matchesCheck(pattern: Pattern, check: CheckRef, behaviour: BehaviourEntry | undefined): boolean {
  if (behaviour !== undefined) return matchesBehaviour(pattern, behaviour);
  // A check whose ID the registry lacks (the cross-check test fails on it) is still selectable by name.
  if (pattern.kind === 'tag' || pattern.kind === 'level') return false;
  return matchesValues(pattern, check.behaviourId, check.scenario);
}

export function isEmptySelection(selection: Selection): boolean {
  return selection.include.length === 0 && selection.exclude.length === 0 && selection.filters.length === 0;
}

/** The predicate every part of a run (vitest's name pattern, the reports, the console) uses. */
export function selector(
  selection: Selection,
  registry: readonly BehaviourEntry[],
): (check: CheckRef) => boolean {
  const byId = new Map(registry.map((b) => [b.id, b] as const));
  return (check) => {
    const behaviour = check.behaviourId === undefined ? undefined : byId.get(check.behaviourId);
    if (selection.include.length > 0 && !selection.include.some((p) => matchesCheck(p, check, behaviour)))
      return false;
    if (selection.exclude.some((p) => matchesCheck(p, check, behaviour))) return false;
    return selection.filters.length === 0 || selection.filters.some((f) => f.test(check.fullName));
  };
}

/** The selection in the words of the command line, for the reports' "not selected" reason. */
export function describeSelection(selection: Selection): string {
  return [
    ...selection.include.map((p) => `--include ${p.text}`),
    ...selection.exclude.map((p) => `--exclude ${p.text}`),
    ...selection.filters.map((f) => `--filter ${f.source}`),
  ].join(' ');
}
