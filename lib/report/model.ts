import type { ApiSection } from './api-sections.ts';

/**
 * What the reports say about one run, independent of vitest, so that every writer (console,
 * JUnit, JSON, HTML, the CI's closing line) prints the same counts by construction and can be
 * tested without running tests.
 *
 * `blocked`: a check that did not run because a prerequisite it needed failed first; the
 * prerequisite is a result of its own, failed, and names the step.
 *
 * `not-selected`: a check the run's selection (`run --include/--exclude/--filter`) left out. It is
 * not a skip: a skip is the suite's own decision about this cloud, with a reason; a check not
 * selected says nothing about the cloud.
 */
export type Status = 'passed' | 'failed' | 'skipped' | 'blocked' | 'known-upstream-defect' | 'not-selected';

/**
 * `test`: a test of a suite file. `prerequisite`: one per failed prerequisite, however many
 * checks it blocked. `cleanup`: the runner's removal of what the run created, after the suites.
 */
type ResultKind = 'test' | 'prerequisite' | 'cleanup';

/** One HTTP exchange as the harness recorded it for a failed check: redacted, bodies clipped. */
export interface ExchangeEvidence {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a failed assertion carries (lib/harness/expect.ts): what was expected, and the exchange. */
export interface Evidence {
  readonly behaviour?: string;
  readonly expected: string;
  readonly exchange: ExchangeEvidence;
}

export interface Failure {
  /** What was expected and what came, on a line or two. */
  readonly message: string;
  /** Every error of the result in full (message, then the suite's own stack frames). */
  readonly detail: string;
  readonly type: string;
  /** The structured evidence of the first error, when the harness gave one. */
  readonly evidence: Evidence | undefined;
  /** For a prerequisite: the step that failed (e.g. `DELETE /servers/{id}/os-interface/{port}`). */
  readonly step: string | undefined;
}

/** One result: a test, a failed prerequisite or the cleanup. All text in it is already redacted. */
export interface TestOutcome {
  readonly kind: ResultKind;
  /** Stable across runs (no UUIDs, no run ids): CI history and the HTML's links use it. */
  readonly key: string;
  readonly scenario: string;
  readonly file: string;
  readonly behaviourId: string | undefined;
  readonly name: string;
  readonly fullName: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly startedAt: string | undefined;
  /** Why it was skipped or blocked, or the known upstream defect it met. */
  readonly reason: string | undefined;
  readonly failure: Failure | undefined;
  /** For a blocked test: the name of the prerequisite result that blocked it. */
  readonly blockedBy: string | undefined;
  /** For a prerequisite: how many checks it blocked. */
  readonly blockedChecks: number | undefined;
  readonly apiSection: ApiSection;
  readonly microversions: readonly string[];
  readonly requestIds: readonly string[];
  readonly exchanges: number | undefined;
  /** Every exchange of the test as text (meta.exchangeLog), redacted; for files, never the console. */
  readonly exchangeLog: string | undefined;
  /** Which exchange of the log the check failed on (0-based), when the harness knows. */
  readonly failedExchangeIndex: number | undefined;
  readonly knownDefects: readonly string[];
  /** Other annotations of the test (type: message), e.g. why a check was narrowed. */
  readonly notes: readonly string[];
  /** What the test printed to its console. */
  readonly output: string;
}

/** A failure outside any result: a suite file that did not load, a hook, an unhandled error. */
export interface RunError {
  /** Stable across runs, like a result's key. */
  readonly name: string;
  readonly scenario: string;
  readonly file: string;
  readonly message: string;
  readonly detail: string;
}

/** What the runner's cleanup did after the suites, when the runner reported it (finish()). */
export interface CleanupSection {
  readonly removed: readonly string[];
  readonly failed: readonly string[];
}

export type Verdict = 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'NOTHING RAN';

/**
 * Counted as JUnit counts: every testcase of junit.xml is one of `tests`, and
 * tests = passed + failed + errors + skipped + blocked + knownUpstreamDefects + notSelected.
 */
export interface Totals {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly blocked: number;
  readonly knownUpstreamDefects: number;
  /** Checks the selection left out (not in `skipped`). */
  readonly notSelected: number;
}

export interface TargetFacts {
  readonly kind: 'mock' | 'cloud' | 'unknown';
  readonly computeEndpoint: string | undefined;
  readonly authUrl: string | undefined;
  readonly region: string | undefined;
  readonly microversions: { readonly min: string; readonly max: string } | undefined;
}

export interface ToolFacts {
  readonly name: string;
  readonly version: string;
  readonly gitCommit: string | undefined;
  readonly node: string;
}

/**
 * What the user says is under test (CONFORMANCE_PRODUCT, _VENDOR, _CLOUD_NAME or a product file), as
 * certification programmes ask for it; shown first in the HTML and kept in the bundle's manifest.
 */
export interface ProductFacts {
  readonly name: string | undefined;
  readonly vendor: string | undefined;
  readonly cloudName: string | undefined;
  readonly description: string | undefined;
}

export interface RunReport {
  readonly runId: string | undefined;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly endReason: 'passed' | 'failed' | 'interrupted';
  readonly verdict: Verdict;
  readonly totals: Totals;
  /** Every result: the tests in run order, then the prerequisites, then the cleanup. */
  readonly tests: readonly TestOutcome[];
  readonly errors: readonly RunError[];
  /** undefined when no runner reported a cleanup (vitest run directly). */
  readonly cleanup: CleanupSection | undefined;
  readonly target: TargetFacts;
  readonly tool: ToolFacts;
  /** undefined when the user described no product */
  readonly product: ProductFacts | undefined;
  /** The run's configuration with every secret left out (see configuration.ts). */
  readonly configuration: Readonly<Record<string, unknown>>;
}

export function totalsOf(tests: readonly TestOutcome[], errors: readonly RunError[]): Totals {
  const count = (status: Status): number => tests.filter((t) => t.status === status).length;
  return {
    tests: tests.length + errors.length,
    passed: count('passed'),
    failed: count('failed'),
    errors: errors.length,
    skipped: count('skipped'),
    blocked: count('blocked'),
    knownUpstreamDefects: count('known-upstream-defect'),
    notSelected: count('not-selected'),
  };
}

/**
 * A known upstream defect is neither a pass nor a failure; a blocked check comes with the failed
 * prerequisite that blocked it, which alone makes the run fail. `checked`: whether any test
 * passed (a known defect included); a passed cleanup checks nothing.
 */
export function verdictOf(totals: Totals, interrupted: boolean, checked: boolean): Verdict {
  if (interrupted) return 'INTERRUPTED';
  if (totals.failed > 0 || totals.errors > 0) return 'FAILED';
  if (!checked) return 'NOTHING RAN';
  return 'PASSED';
}

/**
 * Worst first: a behaviour checked by several tests takes the worst of their statuses. Blocked
 * says less than failed (the behaviour was never seen to deviate) and more than a known defect
 * or a pass (a part of it was not checked at all). A behaviour is not selected only when none of
 * its tests was: a skip says more about the cloud than a selection does.
 */
const SEVERITY: readonly Status[] = [
  'failed',
  'blocked',
  'known-upstream-defect',
  'passed',
  'skipped',
  'not-selected',
];

export function worstOf(statuses: readonly Status[]): Status {
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'skipped';
}
