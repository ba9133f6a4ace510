// How many checks had requests in flight at once: the evidence that a run really ran its checks
// concurrently (a comparison of results at two concurrencies proves nothing without it).
import type { OwnedExchange } from './critical-path.ts';

type Check = NonNullable<OwnedExchange['check']>;

/**
 * Each check's span (or each suite file's, with `by` naming the file), from its first request's
 * start to its last request's end.
 */
export function checkSpans(
  exchanges: readonly OwnedExchange[],
  by: (check: Check) => string = (check) => check.id,
): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>();
  for (const e of exchanges) {
    if (e.check === undefined) continue;
    const key = by(e.check);
    const span = spans.get(key);
    if (span === undefined) spans.set(key, { start: e.start, end: e.end });
    else {
      span.start = Math.min(span.start, e.start);
      span.end = Math.max(span.end, e.end);
    }
  }
  return spans;
}

/** The most check spans (or suite files' spans) that overlap at one moment. */
export function mostChecksAtOnce(exchanges: readonly OwnedExchange[], by?: (check: Check) => string): number {
  const events: [number, number][] = [];
  for (const { start, end } of checkSpans(exchanges, by).values()) events.push([start, 1], [end, -1]);
  // An end and a start at the same moment do not overlap: ends first.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of events) {
    now += delta;
    most = Math.max(most, now);
  }
  return most;
}
