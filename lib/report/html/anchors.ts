import type { TestOutcome } from '../model.ts';

/** Stable ids for each result's row, by its key, so that rows can be linked to. */
export type Anchors = ReadonlyMap<string, string>;

export function anchorsOf(tests: readonly TestOutcome[]): Anchors {
  return new Map(tests.map((t, i) => [t.key, `result-${i + 1}`]));
}

/** The attributes every result's row carries: one row per result, found by status. */
export function rowAttributes(test: TestOutcome, anchors: Anchors): string {
  const id = anchors.get(test.key);
  return `class="test"${id === undefined ? '' : ` id="${id}"`} data-status="${test.status}"`;
}
