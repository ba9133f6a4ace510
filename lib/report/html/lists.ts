import type { RunReport, Status, TestOutcome } from '../model.ts';
import type { Anchors } from './anchors.ts';
import { compactRow, compactTable } from './compact.ts';
import { text } from './escape.ts';
import { LABEL } from './labels.ts';

/**
 * The results that are not failures, after them, one line each: what a reader should know
 * (known defects, skips with their reasons) open, the passes folded per scenario. Blocked checks
 * are not here: they are listed under the prerequisite that blocked them. A new status is one more
 * entry of LISTS.
 */
interface List {
  readonly status: Status;
  readonly title: string;
  /** Open on screen and in print, or folded into one line per scenario. */
  readonly open: boolean;
}

const LISTS: readonly List[] = [
  { status: 'known-upstream-defect', title: 'Known upstream defects (not failures)', open: true },
  { status: 'skipped', title: 'Skipped', open: true },
  { status: 'passed', title: 'Passed', open: false },
  { status: 'not-selected', title: 'Not selected (left out by the run’s selection, not skips)', open: false },
];

function scenarioAnchor(scenario: string): string {
  return `scenario-${scenario.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function byScenario(tests: readonly TestOutcome[]): Map<string, TestOutcome[]> {
  const out = new Map<string, TestOutcome[]>();
  for (const test of tests) out.set(test.scenario, [...(out.get(test.scenario) ?? []), test]);
  return out;
}

function why(test: TestOutcome): string | undefined {
  if (test.kind === 'cleanup') return test.output;
  return test.reason;
}

/** One folded section per scenario; printed, its summary line names the behaviours it holds. */
function folded(list: List, tests: readonly TestOutcome[], anchors: Anchors): string {
  return [...byScenario(tests).entries()]
    .map(([scenario, inScenario]) => {
      const ids = [...new Set(inScenario.map((t) => t.behaviourId ?? t.name))].join(' ');
      return (
        `<details class="scenario" id="${list.status}-${scenarioAnchor(scenario)}">` +
        `<summary><b>${text(scenario)}</b>: ${inScenario.length} ${LABEL[list.status]}` +
        `<span class="print-only"> — ${text(ids)}</span></summary>` +
        compactTable(inScenario.map((t) => compactRow(t, anchors, why(t)))) +
        `</details>`
      );
    })
    .join('');
}

export function listsHtml(report: RunReport, anchors: Anchors): string {
  return LISTS.map((list) => {
    const tests = report.tests.filter((t) => t.status === list.status);
    if (tests.length === 0) return '';
    const body = list.open
      ? compactTable(tests.map((t) => compactRow(t, anchors, why(t))))
      : folded(list, tests, anchors);
    return `<section class="list ${list.status}" id="${list.status}"><h2>${text(list.title)} (${tests.length})</h2>${body}</section>`;
  }).join('\n');
}
