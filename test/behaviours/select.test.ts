import { describe, expect, test } from 'vitest';
import { exactNamePattern } from '../../lib/behaviours/checks.ts';
import { behaviourRegistry } from '../../lib/behaviours/registry.ts';
import {
  describeSelection,
  parsePattern,
  patternLines,
  selector,
  unknownPatterns,
  type CheckRef,
  type Selection,
} from '../../lib/behaviours/select.ts';

const registry = behaviourRegistry();
const none: Selection = { include: [], exclude: [], filters: [] };

function check(fullName: string, scenario: string): CheckRef {
  return { fullName, scenario, behaviourId: /^(?:.* )?([A-Z]+-\d+) /.exec(fullName)?.[1] };
}

const detach01 = check('detach DETACH-01 detach of an attached port', 'detach');
const detach04 = check('detach DETACH-04 after detach: show answers 404', 'detach');
const list02 = check('list (one interface attached) LIST-02 list at 2.69', 'list');
const state01 = check('server state STATE-01 a locked server refuses', 'state');
const attach01 = check('attach ATTACH-01 attach by net_id', 'attach');

function selected(selection: Partial<Selection>, checks: CheckRef[]): CheckRef[] {
  return checks.filter(selector({ ...none, ...selection }, registry));
}

describe('patterns', () => {
  test('kinds by prefix; a bare word is an ID glob or a scenario', () => {
    expect(parsePattern('DETACH-*')).toEqual({ text: 'DETACH-*', kind: 'id-or-scenario', value: 'DETACH-*' });
    expect(parsePattern(' tag:read-only ')).toEqual({
      text: 'tag:read-only',
      kind: 'tag',
      value: 'read-only',
    });
    expect(parsePattern('level:advisory').kind).toBe('level');
    expect(parsePattern('scenario:det*').kind).toBe('scenario');
  });

  test.each([
    ['tag:fast', /no tag 'fast'/],
    ['level:nice', /no level 'nice'/],
    ['colour:red', /unknown kind 'colour:'/],
    ['tag:', /names nothing after 'tag:'/],
    ['  ', /an empty pattern/],
  ])('refuses %s', (text, message) => {
    expect(() => parsePattern(text)).toThrow(message);
  });

  test('a pattern that names no behaviour is reported, one that names some is not', () => {
    const patterns = ['DETAHC-*', 'DETACH-*', 'detach', 'scenario:nope', 'id:list', 'tag:needs-admin'].map(
      parsePattern,
    );
    expect(unknownPatterns(patterns, registry).map((p) => p.text)).toEqual([
      'DETAHC-*',
      'scenario:nope',
      'id:list',
    ]);
  });

  test('a list file: one a line, comments and blank lines ignored', () => {
    expect(patternLines('# leave out\nDETACH-04\n\n  DETACH-05   # slow\r\ntag:disruptive\n#x\n')).toEqual([
      'DETACH-04',
      'DETACH-05',
      'tag:disruptive',
    ]);
  });
});

describe('selection', () => {
  const all = [detach01, detach04, list02, state01, attach01];

  test('nothing given: everything', () => {
    expect(selected({}, all)).toEqual(all);
  });

  test('include by ID glob (any case), by scenario, by tag, by level', () => {
    expect(selected({ include: [parsePattern('detach-*')] }, all)).toEqual([detach01, detach04]);
    expect(selected({ include: [parsePattern('detach')] }, all)).toEqual([detach01, detach04]);
    expect(selected({ include: [parsePattern('DETACH-0?')] }, all)).toEqual([detach01, detach04]);
    expect(selected({ include: [parsePattern('tag:read-only')] }, all)).toEqual([list02]);
    expect(selected({ include: [parsePattern('tag:disruptive')] }, all)).toEqual([state01]);
    expect(selected({ include: [parsePattern('level:required')] }, all)).toEqual(all);
  });

  test('an ID glob is whole: ATTACH-* does not name DETACH-01 (as a substring regex would)', () => {
    expect(selected({ include: [parsePattern('ATTACH-*')] }, all)).toEqual([attach01]);
  });

  test('exclude wins over include; includes add up', () => {
    const include = [parsePattern('DETACH-*'), parsePattern('list')];
    expect(selected({ include, exclude: [parsePattern('DETACH-04')] }, all)).toEqual([detach01, list02]);
    expect(selected({ exclude: [parsePattern('tag:disruptive')] }, all)).toEqual([
      detach01,
      detach04,
      list02,
      attach01,
    ]);
  });

  test('--filter: a regular expression on the full name, with the patterns', () => {
    expect(selected({ filters: [/net_id|attached port/] }, all)).toEqual([detach01, attach01]);
    expect(selected({ include: [parsePattern('detach')], filters: [/404/] }, all)).toEqual([detach04]);
  });

  test('the selection in command-line words', () => {
    expect(
      describeSelection({
        include: [parsePattern('DETACH-*')],
        exclude: [parsePattern('tag:disruptive')],
        filters: [/x/],
      }),
    ).toBe('--include DETACH-* --exclude tag:disruptive --filter x');
  });
});

describe("vitest's name pattern", () => {
  test('matches exactly the selected full names, with or without the file in front', () => {
    const pattern = new RegExp(exactNamePattern([detach01, { fullName: 'a (b) [c] $d.e*' }]));
    expect(pattern.test(detach01.fullName)).toBe(true);
    expect(pattern.test(`suites/detach.test.ts ${detach01.fullName}`)).toBe(true);
    expect(pattern.test('a (b) [c] $d.e*')).toBe(true);
    expect(pattern.test(`${detach01.fullName} and more`)).toBe(false);
    expect(pattern.test(`x${detach01.fullName}`)).toBe(false);
    expect(pattern.test(detach04.fullName)).toBe(false);
  });

  test('an empty selection matches nothing (an empty alternation would match everything)', () => {
    expect(new RegExp(exactNamePattern([])).test(detach01.fullName)).toBe(false);
  });
});
