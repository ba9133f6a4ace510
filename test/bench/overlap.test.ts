import { expect, it } from 'vitest';
import type { OwnedExchange } from '../../lib/bench/critical-path.ts';
import { checkSpans, mostChecksAtOnce } from '../../lib/bench/overlap.ts';

const ex = (id: string | undefined, start: number, end: number): OwnedExchange => ({
  check: id === undefined ? undefined : { id, name: id, file: 'f' },
  method: 'GET',
  url: '/x',
  status: 200,
  start,
  end,
  retries: 0,
  createdServer: undefined,
});

it('counts the checks with requests in flight at once, from each first request to its last', () => {
  const one = [ex('a', 0, 10), ex('a', 50, 60), ex('b', 60, 70), ex('c', 70, 80), ex(undefined, 0, 100)];
  // b starts as a ends, c as b ends: never two at once; the pool is no check.
  expect(mostChecksAtOnce(one)).toBe(1);
  expect(checkSpans(one).get('a')).toEqual({ start: 0, end: 60 });
  expect(mostChecksAtOnce([ex('a', 0, 10), ex('a', 50, 60), ex('b', 20, 30), ex('c', 25, 55)])).toBe(3);
  expect(mostChecksAtOnce([])).toBe(0);
});

it('counts suite files the same way, each from its first check request to its last', () => {
  const at = (id: string, file: string, start: number, end: number): OwnedExchange => ({
    ...ex(id, start, end),
    check: { id, name: id, file },
  });
  const byFile = (check: { readonly file: string }): string => check.file;
  // Two checks of one file at once, then the next file: one file at a time.
  const serial = [at('a', 'list', 0, 10), at('b', 'list', 5, 20), at('c', 'show', 20, 30)];
  expect(mostChecksAtOnce(serial)).toBe(2);
  expect(mostChecksAtOnce(serial, byFile)).toBe(1);
  expect(mostChecksAtOnce([...serial, at('d', 'show', 15, 16)], byFile)).toBe(2);
});
