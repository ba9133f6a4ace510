import { createHash } from 'node:crypto';
import { apiSectionOf } from './api-sections.ts';
import { behaviourTotalsOf, behavioursOf } from './behaviours.ts';
import type { RunReport, Status, TestOutcome } from './model.ts';

/** Bumped when a consumer of summary.json would have to change. */
const SUMMARY_FORMAT = 2;

interface TestSummary {
  readonly name: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly reason: string | undefined;
  readonly failure: string | undefined;
  /** The name of the entry of `prerequisites` that blocked the test. */
  readonly blockedBy: string | undefined;
  /** The exchange the check failed on, as the harness recorded it (redacted, bodies clipped). */
  readonly failedExchange: unknown;
  readonly failedExchangeIndex: number | undefined;
  readonly microversions: readonly string[];
  readonly requestIds: readonly string[];
}

interface BehaviourSummary {
  readonly id: string;
  readonly scenario: string;
  readonly apiReference: { readonly section: string; readonly url: string; readonly local: string };
  readonly status: Status;
  readonly durationMs: number;
  readonly reason: string | undefined;
  readonly tests: readonly TestSummary[];
}

function testSummary(t: TestOutcome, status: Status): TestSummary {
  const evidence = t.failure?.evidence;
  return {
    name: t.name,
    status,
    durationMs: Math.round(t.durationMs),
    reason: t.reason,
    failure: t.failure?.message,
    blockedBy: t.blockedBy,
    failedExchange:
      evidence === undefined ? undefined : { expected: evidence.expected, ...evidence.exchange },
    failedExchangeIndex: t.failedExchangeIndex,
    microversions: t.microversions,
    requestIds: t.requestIds,
  };
}

/** Behaviours of the model, in run order, with the API reference section each one checks. */
function behaviourSummaries(report: RunReport): BehaviourSummary[] {
  return behavioursOf(report.tests).map((b) => {
    const first = b.tests[0] as TestOutcome;
    const section = apiSectionOf(b.id.startsWith('(') ? undefined : b.id);
    const reasons = b.tests
      .filter((_t, i) => b.statuses[i] === b.status)
      .map((t) => t.failure?.message ?? t.reason)
      .filter((r): r is string => r !== undefined);
    return {
      id: b.id,
      scenario: first.scenario,
      apiReference: { section: section.title, url: section.url, local: section.local },
      status: b.status,
      durationMs: Math.round(b.tests.reduce((sum, t) => sum + t.durationMs, 0)),
      reason: reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined,
      tests: b.tests.map((t, i) => testSummary(t, b.statuses[i] ?? t.status)),
    };
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Every result once, with the status it counts with in the totals (a behaviour's view of a test
 * can differ, see behaviours.ts): what `verify` re-derives the totals and the verdict from, and
 * checks junit.xml and the exchanges against, result by result.
 */
export interface ResultSummary {
  readonly key: string;
  readonly kind: TestOutcome['kind'];
  readonly scenario: string;
  readonly name: string;
  readonly behaviourId: string | undefined;
  readonly status: Status;
  readonly failedBehaviour: string | undefined;
  readonly blockedBy: string | undefined;
  /** The exchange the check failed on: its place among the check's exchanges, and what it was. */
  readonly failedExchangeIndex: number | undefined;
  readonly failedExchange:
    | { readonly method: string; readonly url: string; readonly status: number; readonly expected: string }
    | undefined;
}

function resultSummary(t: TestOutcome): ResultSummary {
  const evidence = t.failure?.evidence;
  return {
    key: t.key,
    kind: t.kind,
    scenario: t.scenario,
    name: t.name,
    behaviourId: t.behaviourId,
    status: t.status,
    failedBehaviour: evidence?.behaviour,
    blockedBy: t.blockedBy,
    failedExchangeIndex: t.failedExchangeIndex,
    failedExchange:
      evidence === undefined
        ? undefined
        : {
            method: evidence.exchange.method,
            url: evidence.exchange.url,
            status: evidence.exchange.status,
            expected: evidence.expected,
          },
  };
}

export function summaryJson(report: RunReport, junit: { file: string; text: string }): string {
  const behaviours = behaviourSummaries(report);
  const prerequisites = report.tests
    .filter((t) => t.kind === 'prerequisite')
    .map((p) => ({
      name: p.name,
      status: p.status,
      step: p.failure?.step,
      message: p.failure?.message,
      failedExchange:
        p.failure?.evidence === undefined
          ? undefined
          : { expected: p.failure.evidence.expected, ...p.failure.evidence.exchange },
      blockedChecks: p.blockedChecks,
      blocked: report.tests
        .filter((t) => t.blockedBy === p.name)
        .map((t) => ({ scenario: t.scenario, name: t.name })),
    }));
  const summary = {
    format: SUMMARY_FORMAT,
    verdict: report.verdict,
    tool: report.tool,
    runId: report.runId,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    endReason: report.endReason,
    target: {
      kind: report.target.kind,
      computeEndpoint: report.target.computeEndpoint,
      authUrl: report.target.authUrl,
      region: report.target.region,
      novaMicroversions: report.target.microversions,
    },
    product: report.product,
    configuration: report.configuration,
    totals: {
      behaviours: behaviourTotalsOf(behavioursOf(report.tests)),
      tests: report.totals,
    },
    behaviours,
    results: report.tests.map(resultSummary),
    prerequisites,
    cleanup:
      report.cleanup === undefined
        ? { reported: false }
        : { reported: true, removed: report.cleanup.removed, failed: report.cleanup.failed },
    errors: report.errors.map((e) => ({
      name: e.name,
      scenario: e.scenario,
      file: e.file,
      message: e.message,
    })),
    junit: { file: junit.file, sha256: sha256(junit.text) },
  };
  // undefined fields drop out, which is what a reader of the JSON expects of "not known".
  return `${JSON.stringify(summary, null, 2)}\n`;
}
