import { createHash } from 'node:crypto';
import { worstOf, type RunReport, type Status, type TestOutcome } from './model.ts';

/** Bumped when a consumer of summary.json would have to change. */
export const SUMMARY_FORMAT = 1;

export interface BehaviourSummary {
  readonly id: string;
  readonly scenario: string;
  readonly apiReference: { readonly section: string; readonly url: string; readonly local: string };
  readonly status: Status;
  readonly durationMs: number;
  readonly reason: string | undefined;
  readonly tests: readonly {
    readonly name: string;
    readonly status: Status;
    readonly durationMs: number;
    readonly reason: string | undefined;
    readonly failure: string | undefined;
    readonly microversions: readonly string[];
    readonly requestIds: readonly string[];
  }[];
}

/** Tests grouped by behaviour ID in run order; a test without an ID stands for itself. */
export function behavioursOf(tests: readonly TestOutcome[]): BehaviourSummary[] {
  const groups = new Map<string, TestOutcome[]>();
  for (const test of tests) {
    const key = test.behaviourId ?? `(no behaviour ID) ${test.name}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [test]);
    else group.push(test);
  }
  return [...groups.entries()].map(([id, group]) => {
    const status = worstOf(group.map((t) => t.status));
    const first = group[0] as TestOutcome;
    const reasons = group
      .filter((t) => t.status === status)
      .map((t) => t.failure?.message ?? t.reason)
      .filter((r): r is string => r !== undefined);
    return {
      id,
      scenario: first.scenario,
      apiReference: {
        section: first.apiSection.title,
        url: first.apiSection.url,
        local: first.apiSection.local,
      },
      status,
      durationMs: Math.round(group.reduce((sum, t) => sum + t.durationMs, 0)),
      reason: reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined,
      tests: group.map((t) => ({
        name: t.name,
        status: t.status,
        durationMs: Math.round(t.durationMs),
        reason: t.reason,
        failure: t.failure?.message,
        microversions: t.microversions,
        requestIds: t.requestIds,
      })),
    };
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function summaryJson(report: RunReport, junit: { file: string; text: string }): string {
  const behaviours = behavioursOf(report.tests);
  const byStatus = (status: Status): number => behaviours.filter((b) => b.status === status).length;
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
    configuration: report.configuration,
    totals: {
      behaviours: {
        total: behaviours.length,
        passed: byStatus('passed'),
        failed: byStatus('failed'),
        skipped: byStatus('skipped'),
        knownUpstreamDefects: byStatus('known-upstream-defect'),
      },
      tests: report.totals,
    },
    behaviours,
    errors: report.errors.map((e) => ({ scenario: e.scenario, file: e.file, message: e.message })),
    junit: { file: junit.file, sha256: sha256(junit.text) },
  };
  // undefined fields drop out, which is what a reader of the JSON expects of "not known".
  return `${JSON.stringify(summary, null, 2)}\n`;
}
