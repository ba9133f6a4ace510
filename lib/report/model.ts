import type { ApiSection } from './api-sections.ts';

/**
 * What the reports say about one run, independent of vitest, so that the three writers (JUnit,
 * JSON, HTML) agree by construction and can be tested without running tests.
 */
export type Status = 'passed' | 'failed' | 'skipped' | 'known-upstream-defect';

export interface Failure {
  /** First line of the first error: what was expected and what came. */
  readonly message: string;
  /** Every error of the test in full (message, then the stack's top frames). */
  readonly detail: string;
  readonly type: string;
}

/** One test of a suite file. All text in it is already redacted. */
export interface TestOutcome {
  readonly scenario: string;
  readonly file: string;
  readonly behaviourId: string | undefined;
  readonly name: string;
  readonly fullName: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly startedAt: string | undefined;
  /** Why it was skipped, or the known upstream defect it met. */
  readonly reason: string | undefined;
  readonly failure: Failure | undefined;
  readonly apiSection: ApiSection;
  readonly microversions: readonly string[];
  readonly requestIds: readonly string[];
  readonly exchanges: number | undefined;
  readonly knownDefects: readonly string[];
  /** Other annotations of the test (type: message), e.g. why a check was narrowed. */
  readonly notes: readonly string[];
  /** The test's console output: on failure, its redacted exchanges. */
  readonly output: string;
}

/** A failure outside any test: a suite file that did not load, a hook, an unhandled error. */
export interface RunError {
  readonly scenario: string;
  readonly file: string;
  readonly message: string;
  readonly detail: string;
}

export type Verdict = 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'NOTHING RAN';

export interface Totals {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly knownUpstreamDefects: number;
  readonly errors: number;
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

export interface RunReport {
  readonly runId: string | undefined;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly endReason: 'passed' | 'failed' | 'interrupted';
  readonly verdict: Verdict;
  readonly totals: Totals;
  readonly tests: readonly TestOutcome[];
  readonly errors: readonly RunError[];
  readonly target: TargetFacts;
  readonly tool: ToolFacts;
  /** The run's configuration with every secret left out (see configuration.ts). */
  readonly configuration: Readonly<Record<string, unknown>>;
}

export function totalsOf(tests: readonly TestOutcome[], errors: readonly RunError[]): Totals {
  const count = (status: Status): number => tests.filter((t) => t.status === status).length;
  return {
    tests: tests.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    knownUpstreamDefects: count('known-upstream-defect'),
    errors: errors.length,
  };
}

/** Same rule as the runner's last lines: a known upstream defect is neither a pass nor a failure. */
export function verdictOf(totals: Totals, interrupted: boolean): Verdict {
  if (interrupted) return 'INTERRUPTED';
  if (totals.failed > 0 || totals.errors > 0) return 'FAILED';
  if (totals.passed + totals.knownUpstreamDefects === 0) return 'NOTHING RAN';
  return 'PASSED';
}

/** Worst first: a behaviour checked by several tests takes the worst of their statuses. */
const SEVERITY: readonly Status[] = ['failed', 'known-upstream-defect', 'passed', 'skipped'];

export function worstOf(statuses: readonly Status[]): Status {
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'skipped';
}
