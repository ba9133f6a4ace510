import {
  totalsOf,
  verdictOf,
  worstOf,
  type RunError,
  type Status,
  type TestOutcome,
  type Totals,
} from '../report/model.ts';
import type { ResultSummary } from '../report/summary-json.ts';
import type { JunitFile } from './junit-read.ts';
import { problem, type Problem } from './problem.ts';
import type { SummaryFile } from './summary-read.ts';

const SUMMARY = 'summary.json';
const JUNIT = 'junit.xml';

/** The totals the results add up to, counted as the model counts them (lib/report/model.ts). */
function derivedTotals(summary: SummaryFile): Totals {
  // totalsOf reads only kind and status of a result, and counts the errors.
  const results = summary.results.map((r) => ({ kind: r.kind, status: r.status }) as TestOutcome);
  return totalsOf(results, summary.errors as RunError[]);
}

/**
 * The totals, the verdict and each behaviour's status re-derived from the results: a summary
 * whose outcomes were changed without its counts (or the reverse) does not add up.
 */
export function checkOutcomes(summary: SummaryFile, manifestVerdict: string): Problem[] {
  const problems: Problem[] = [];
  const totals = derivedTotals(summary);
  for (const [field, value] of Object.entries(totals) as [keyof Totals, number][])
    if (summary.totals[field] !== value)
      problems.push(
        problem(
          SUMMARY,
          `totals.tests.${field} is ${summary.totals[field]}, but its results add up to ${value}`,
        ),
      );
  const checked = summary.results.some(
    (r) => r.kind === 'test' && (r.status === 'passed' || r.status === 'known-upstream-defect'),
  );
  const verdict = verdictOf(totals, summary.endReason === 'interrupted', checked);
  if (summary.verdict !== verdict)
    problems.push(problem(SUMMARY, `the verdict is ${summary.verdict}, but its results make it ${verdict}`));
  if (manifestVerdict !== summary.verdict)
    problems.push(
      problem('manifest.json', `the verdict is ${manifestVerdict}, summary.json's ${summary.verdict}`),
    );
  const byName = new Map<string, ResultSummary[]>();
  for (const r of summary.results) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const b of summary.behaviours) {
    const worst = worstOf(b.tests.map((t) => t.status));
    if (b.status !== worst)
      problems.push(problem(SUMMARY, `behaviour ${b.id} is ${b.status}, but its tests make it ${worst}`));
    for (const t of b.tests) {
      const results = byName.get(t.name) ?? [];
      // A test stopped by another behaviour's assertion counts as blocked for its own (behaviours.ts).
      const allowed = new Set<Status>(
        results.flatMap((r) => (r.status === 'failed' ? ['failed', 'blocked'] : [r.status])),
      );
      if (!allowed.has(t.status))
        problems.push(
          problem(
            SUMMARY,
            results.length === 0
              ? `behaviour ${b.id} names a test '${t.name}' that is not among the results`
              : `behaviour ${b.id} has '${t.name}' ${t.status}, its result ${results.map((r) => r.status).join('/')}`,
          ),
        );
    }
  }
  return problems;
}

function classnameOf(r: ResultSummary): string {
  return r.kind === 'test' ? `${r.scenario}.${r.behaviourId ?? 'unidentified'}` : `${r.scenario}.${r.kind}`;
}

function elementFor(status: Status): 'failure' | 'skipped' | undefined {
  if (status === 'failed') return 'failure';
  if (status === 'skipped' || status === 'blocked' || status === 'not-selected') return 'skipped';
  return undefined;
}

/** junit.xml says what summary.json says, testcase by testcase, and counts as it does. */
export function checkJunit(summary: SummaryFile, junit: JunitFile): Problem[] {
  const problems: Problem[] = [];
  const totals = derivedTotals(summary);
  if (junit.tests !== totals.tests || junit.failures !== totals.failed || junit.errors !== totals.errors)
    problems.push(
      problem(
        JUNIT,
        `counts ${junit.tests} tests, ${junit.failures} failures, ${junit.errors} errors; summary.json's results ${totals.tests}, ${totals.failed}, ${totals.errors}`,
      ),
    );
  const cases = new Map<string, JunitFile['cases'][number][]>();
  const keyOf = (classname: string, name: string): string => `${classname}\u0000${name}`;
  for (const c of junit.cases) {
    const key = c.element === 'error' ? keyOf('(error)', c.name) : keyOf(c.classname, c.name);
    cases.set(key, [...(cases.get(key) ?? []), c]);
  }
  const take = (key: string): JunitFile['cases'][number] | undefined => {
    const list = cases.get(key);
    const first = list?.shift();
    if (list !== undefined && list.length === 0) cases.delete(key);
    return first;
  };
  for (const r of summary.results) {
    const c = take(keyOf(classnameOf(r), r.name));
    if (c === undefined) {
      problems.push(problem(JUNIT, `has no testcase for '${r.name}' (${r.status} in summary.json)`));
      continue;
    }
    if (c.status !== r.status || c.element !== elementFor(r.status))
      problems.push(
        problem(
          JUNIT,
          `has '${r.name}' as ${c.status ?? '(no status)'}${c.element === undefined ? '' : ` with <${c.element}>`}, summary.json as ${r.status}`,
        ),
      );
  }
  for (const e of summary.errors)
    if (take(keyOf('(error)', e.name)) === undefined)
      problems.push(problem(JUNIT, `has no <error> testcase for '${e.name}', an error in summary.json`));
  for (const left of cases.values())
    for (const c of left)
      problems.push(problem(JUNIT, `has a testcase '${c.name}' that summary.json does not have`));
  return problems;
}
