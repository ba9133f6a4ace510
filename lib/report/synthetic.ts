import { apiSectionOf } from './api-sections.ts';
import type { TestOutcome } from './model.ts';

/** The fields a result of work outside any test (a prerequisite, the cleanup) leaves empty. */
export type SyntheticFields = Pick<
  TestOutcome,
  | 'kind'
  | 'key'
  | 'scenario'
  | 'file'
  | 'name'
  | 'status'
  | 'startedAt'
  | 'failure'
  | 'blockedChecks'
  | 'output'
>;

/** A result that no vitest test stands behind: no behaviour, no exchanges of its own. */
export function syntheticOutcome(fields: SyntheticFields): TestOutcome {
  return {
    behaviourId: undefined,
    fullName: fields.name,
    durationMs: 0,
    reason: undefined,
    blockedBy: undefined,
    apiSection: apiSectionOf(undefined),
    microversions: [],
    requestIds: [],
    exchanges: undefined,
    exchangeLog: undefined,
    failedExchangeIndex: undefined,
    knownDefects: [],
    notes: [],
    ...fields,
  };
}
