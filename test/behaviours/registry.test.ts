import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { collectSuiteChecks, type SuiteCheck } from '../../lib/behaviours/checks.ts';
import { behaviourRegistry, parseRegistry } from '../../lib/behaviours/registry.ts';
import { MUTANTS } from '../../lib/mutants/catalogue.ts';
import { apiSectionOf, behaviourIdOf } from '../../lib/report/api-sections.ts';
import { footprintRows, SOURCE_TAGS, sourceTags } from './derive.ts';

// The registry against everything that names behaviours: the suites' tests, the reports' API
// sections, the mutant catalogue, and what the suites' source and the footprint table (made from
// runs in each profile) say the checks need.
const ROOT = join(import.meta.dirname, '..', '..');
const registry = behaviourRegistry();
const ids = new Set(registry.map((b) => b.id));
let checks: SuiteCheck[];

beforeAll(async () => {
  checks = await collectSuiteChecks();
}, 60_000);

describe('the registry and the suites', () => {
  test('every test of the suites starts with a behaviour ID of the registry, in that behaviour’s scenario', () => {
    expect(checks.length).toBeGreaterThan(100);
    const strays = checks.filter((c) => c.behaviourId === undefined || !ids.has(c.behaviourId));
    expect(strays.map((c) => `${c.file}: ${c.name}`)).toEqual([]);
    const misplaced = checks.filter(
      (c) => registry.find((b) => b.id === c.behaviourId)?.scenario !== c.scenario,
    );
    expect(misplaced.map((c) => `${c.file}: ${c.name}`)).toEqual([]);
  });

  test('every behaviour of the registry has a test, and its scenario a suite file', () => {
    const tested = new Set(checks.map((c) => c.behaviourId));
    expect(registry.filter((b) => !tested.has(b.id)).map((b) => b.id)).toEqual([]);
    for (const b of registry)
      expect(existsSync(join(ROOT, 'suites', `${b.scenario}.test.ts`)), b.id).toBe(true);
  });

  test('the reports read the same ID from a test name as the registry does', () => {
    for (const c of checks) expect(behaviourIdOf(c.name)).toBe(c.behaviourId);
  });
});

describe('the registry and the reports', () => {
  test('each behaviour’s section is the API reference section the reports give it', () => {
    const disagree = registry
      .filter((b) => apiSectionOf(b.id).title !== b.section)
      .map((b) => `${b.id}: registry '${b.section}', reports '${apiSectionOf(b.id).title}'`);
    expect(disagree).toEqual([]);
  });
});

describe('the registry and the mutant catalogue', () => {
  test('every behaviour a mutant declares is in the registry', () => {
    const unknown = MUTANTS.flatMap((m) =>
      m.behaviours.filter((id) => !ids.has(id)).map((id) => `${m.name}: ${id}`),
    );
    expect(MUTANTS.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});

describe('tags', () => {
  test('the tags that follow from fixtures and identities are exactly those the suites’ source names', () => {
    const derived = sourceTags();
    const disagree: string[] = [];
    for (const b of registry) {
      const want = [...(derived.get(b.id) ?? [])].sort();
      const have = b.tags.filter((t) => (SOURCE_TAGS as readonly string[]).includes(t)).sort();
      if (want.join() !== have.join())
        disagree.push(`${b.id}: source ${want.join(',')}, registry ${have.join(',')}`);
    }
    expect(disagree).toEqual([]);
  });

  test('read-only and disruptive agree with the footprint table of docs/safety.md', () => {
    const rows = footprintRows();
    expect(rows.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const b of registry) {
      const own = rows.filter((r) => r.id === b.id);
      const readOnly = b.tags.includes('read-only');
      // A check that runs in the standard profile but not in the read-only one writes.
      const writes = own.filter((r) => r.standard && !r.readOnly);
      if (readOnly && writes.length > 0)
        problems.push(`${b.id} is read-only, but '${writes[0]?.check ?? ''}' writes`);
      if (!readOnly && own.length > 0 && own.every((r) => r.readOnly))
        problems.push(`${b.id}: every check runs read-only, but it is not tagged read-only`);
      const onlyDisruptive = own.some((r) => r.disruptive && !r.standard);
      if (onlyDisruptive !== b.tags.includes('disruptive'))
        problems.push(`${b.id}: the table says disruptive=${onlyDisruptive}, the registry the opposite`);
    }
    expect(problems).toEqual([]);
  });

  test('a behaviour with a known upstream defect is advisory', () => {
    const wrong = registry.filter((b) => b.tags.includes('known-upstream-defect') && b.level !== 'advisory');
    expect(wrong.map((b) => b.id)).toEqual([]);
  });
});

describe('the loader', () => {
  const valid = {
    id: 'LIST-01',
    title: 't',
    scenario: 'list',
    section: 's',
    level: 'required',
    releases: [26],
    tags: ['read-only'],
    expects: 'e',
  };
  const yaml = (entries: unknown[]): string => JSON.stringify({ behaviours: entries });

  test('reads a valid entry, notes optional', () => {
    expect(parseRegistry(yaml([valid]))).toEqual([{ ...valid, notes: [] }]);
  });

  test.each([
    ['an unknown key', { ...valid, colour: 'red' }, /LIST-01: unknown key 'colour'/],
    ['an unknown tag', { ...valid, tags: ['fast'] }, /LIST-01: tags must be a list of/],
    ['an unknown release', { ...valid, releases: [27] }, /LIST-01: releases must be a list of 26, 31, 34/],
    ['an unknown level', { ...valid, level: 'nice' }, /LIST-01: level must be one of required, advisory/],
    ['a malformed id', { ...valid, id: 'list-1' }, /id must look like LIST-01/],
    ['an empty title', { ...valid, title: ' ' }, /title must be a non-empty string/],
  ])('refuses %s', (_what, entry, message) => {
    expect(() => parseRegistry(yaml([entry]))).toThrow(message);
  });

  test('refuses an ID listed twice', () => {
    expect(() => parseRegistry(yaml([valid, valid]))).toThrow(/LIST-01: listed twice/);
  });
});
