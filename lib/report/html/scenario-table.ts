import type { RunError, RunReport, Status, TestOutcome } from '../model.ts';
import { CLEANUP_SCENARIO } from '../build.ts';
import { PREREQUISITES } from '../prerequisites.ts';
import { text } from './escape.ts';
import { LABEL } from './labels.ts';

/**
 * One row per scenario (suite file) with its counts, and a row of totals, which are the model's.
 * A column is a status (or the errors outside any test): one more is one more entry of COLUMNS.
 */
interface Column {
  readonly title: string;
  readonly className: string;
  readonly count: (tests: readonly TestOutcome[], errors: readonly RunError[]) => number;
}

const byStatus = (status: Status): Column => ({
  title: LABEL[status],
  className: status,
  count: (tests) => tests.filter((t) => t.status === status).length,
});

const COLUMNS: readonly Column[] = [
  byStatus('failed'),
  byStatus('blocked'),
  byStatus('known-upstream-defect'),
  byStatus('passed'),
  byStatus('skipped'),
  byStatus('not-selected'),
  { title: 'errors outside any test', className: 'failed', count: (_tests, errors) => errors.length },
];

interface Scenario {
  readonly name: string;
  readonly tests: TestOutcome[];
  readonly errors: RunError[];
}

/** Scenarios in run order, those with a failure or an error first; prerequisites lead, cleanup ends. */
function scenariosOf(report: RunReport): Scenario[] {
  const byName = new Map<string, Scenario>();
  const scenario = (name: string): Scenario => {
    let s = byName.get(name);
    if (s === undefined) {
      s = { name, tests: [], errors: [] };
      byName.set(name, s);
    }
    return s;
  };
  for (const test of report.tests) scenario(test.scenario).tests.push(test);
  for (const error of report.errors) scenario(error.scenario).errors.push(error);
  const rank = (s: Scenario): number => {
    if (s.name === PREREQUISITES) return 0;
    if (s.name === CLEANUP_SCENARIO) return 3;
    return s.errors.length > 0 || s.tests.some((t) => t.status === 'failed') ? 1 : 2;
  };
  return [...byName.values()].sort((a, b) => rank(a) - rank(b));
}

function cells(tests: readonly TestOutcome[], errors: readonly RunError[], tag: 'td' | 'th'): string {
  return COLUMNS.map((c) => {
    const n = c.count(tests, errors);
    return `<${tag} class="n${n > 0 ? ` ${c.className}` : ''}">${n}</${tag}>`;
  }).join('');
}

export function scenarioTableHtml(report: RunReport): string {
  const rows = scenariosOf(report)
    .map((s) => {
      const failing = s.errors.length > 0 || s.tests.some((t) => t.status === 'failed');
      return (
        `<tr${failing ? ' class="failing"' : ''}><td>${text(s.name)}</td>` +
        `<td class="n">${s.tests.length + s.errors.length}</td>${cells(s.tests, s.errors, 'td')}</tr>`
      );
    })
    .join('');
  const head = COLUMNS.map((c) => `<th class="n">${text(c.title)}</th>`).join('');
  return (
    `<section id="scenarios"><h2>Scenarios</h2><table class="scenarios">` +
    `<thead><tr><th>scenario</th><th class="n">results</th>${head}</tr></thead><tbody>${rows}</tbody>` +
    `<tfoot><tr><th>all</th><th class="n">${report.totals.tests}</th>${cells(report.tests, report.errors, 'th')}</tr></tfoot>` +
    `</table></section>`
  );
}
