import { curlOf } from '../curl.ts';
import { exchangesOf, FAILED_MARK } from '../exchange-log.ts';
import type { Evidence, RunError, RunReport, TestOutcome } from '../model.ts';
import { prerequisiteKey } from '../prerequisites.ts';
import { rowAttributes, type Anchors } from './anchors.ts';
import { nameRow, nameTable } from './compact.ts';
import { text } from './escape.ts';
import { exchangeHtml } from './exchange.ts';
import { printClipped } from './print-cut.ts';
import { requestIdsHtml } from './request-ids.ts';
import { titleOf } from './title.ts';

/**
 * What made the run fail, before anything else: each failed prerequisite with the checks it
 * blocked listed under it, each failed check, a failed cleanup and the errors outside any test.
 * A failure shows what was expected and what came, the exchange it failed on and a curl line to
 * repeat it; the full error and every exchange of the check are folded away.
 */

/**
 * Printed lines shared by the failing bodies of all failures, so that a run with many failures
 * still prints on a few pages (each body then gets fewer lines) and one with few shows more.
 */
const PRINT_BODY_BUDGET = 160;
const PRINT_BODY_MIN = 3;
const PRINT_BODY_MAX = 40;
/** Printed lines of a failure's message and of an error's detail. */
const PRINT_MESSAGE_LINES = 3;
const PRINT_DETAIL_LINES = 8;

/**
 * Failures printed in full; those after them print on a line each (what was expected, the request
 * and the status), so that a run where almost everything fails still prints on ten pages.
 */
const PRINT_FULL_FAILURES = 36;

export function printBodyLines(failures: number): number {
  if (failures === 0) return PRINT_BODY_MAX;
  return Math.min(PRINT_BODY_MAX, Math.max(PRINT_BODY_MIN, Math.floor(PRINT_BODY_BUDGET / failures)));
}

/** The exchange that came instead of what was expected, and a curl line that repeats it. */
function evidenceHtml(evidence: Evidence, bodyLines: number): string {
  return (
    exchangeHtml(evidence.exchange, bodyLines) + `<pre class="repro">${text(curlOf(evidence.exchange))}</pre>`
  );
}

/** The test's exchanges, each in its own block, the one the check failed on marked. */
function exchangeLogHtml(test: TestOutcome): string {
  if (test.exchangeLog === undefined) return '';
  const parts = exchangesOf(test.exchangeLog);
  return parts
    .map((part, i) => {
      const failing = i === test.failedExchangeIndex;
      const label = `exchange ${i + 1} of ${parts.length}${failing ? ` ${FAILED_MARK}` : ''}`;
      return (
        `<div class="${failing ? 'mark' : 'reason'}">${text(label)}</div>` +
        `<pre class="exchange${failing ? ' failing' : ''}">${text(part)}</pre>`
      );
    })
    .join('');
}

/** Everything else a failure holds, folded: the error in full, every exchange, notes, output. */
function foldedHtml(test: TestOutcome): string {
  const failure = test.failure;
  const exchanges = test.exchangeLog === undefined ? 0 : exchangesOf(test.exchangeLog).length;
  const parts = [
    failure === undefined ? '' : `<pre>${text(failure.detail)}</pre>`,
    exchangeLogHtml(test),
    ...test.knownDefects.map((d) => `<div class="reason">known upstream defect: ${text(d)}</div>`),
    test.output !== '' && test.kind !== 'cleanup' ? `<pre>${text(test.output)}</pre>` : '',
  ].join('');
  if (parts === '') return '';
  const label =
    exchanges === 0
      ? 'The full error'
      : `The full error and the check's ${exchanges === 1 ? 'exchange' : `${exchanges} exchanges`}`;
  return `<details class="more"><summary>${label}</summary>${parts}</details>`;
}

/** The exchange in a few words, on the failure's own line, for a failure printed in brief. */
function briefHtml(evidence: Evidence | undefined): string {
  if (evidence === undefined) return '';
  const { method, url, status } = evidence.exchange;
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL the harness would record; shown as it is.
  }
  return ` <span class="print-only brief">got ${text(`${method} ${path} -> ${status}`)}</span>`;
}

function failureRow(
  test: TestOutcome,
  anchors: Anchors,
  bodyLines: number,
  blocked: string,
  brief: boolean,
): string {
  const failure = test.failure;
  const other = failure?.evidence?.behaviour;
  const owner =
    other !== undefined && other !== test.behaviourId
      ? ` <span class="reason">(stopped by an assertion of ${text(other)})</span>`
      : '';
  const scenario = test.kind === 'test' ? ` <span class="scenario-tag">${text(test.scenario)}</span>` : '';
  const expected =
    failure?.evidence === undefined
      ? ''
      : ` <span class="expected">expected ${text(failure.evidence.expected)}</span>`;
  // A step named as its prerequisite (the harness names some so) says nothing more.
  const step =
    failure?.step === undefined || test.name.endsWith(failure.step)
      ? ''
      : `<div class="label">step: <code>${text(failure.step)}</code></div>`;
  // With evidence, the exchange says what the message says, formatted; the message is folded.
  const evidence = failure?.evidence === undefined ? '' : evidenceHtml(failure.evidence, bodyLines);
  const message =
    failure === undefined || evidence !== ''
      ? ''
      : `<div class="message">${printClipped(failure.message, PRINT_MESSAGE_LINES)}</div>`;
  const output =
    test.kind === 'cleanup' && test.output !== ''
      ? `<pre>${printClipped(test.output, PRINT_DETAIL_LINES)}</pre>`
      : '';
  const notes = test.notes.map((n) => `<div class="reason">${text(n)}</div>`).join('');
  return (
    `<tr ${rowAttributes(test, anchors)}${brief ? ' data-print="brief"' : ''}>` +
    `<td class="id">${text(test.behaviourId ?? '—')}</td>` +
    `<td><div class="name">${text(titleOf(test))}${scenario}${expected}${brief ? briefHtml(failure?.evidence) : ''}${owner}</div>${step}${message}${evidence}${output}${notes}` +
    `${blocked}${foldedHtml(test)}${requestIdsHtml(test.requestIds)}</td></tr>`
  );
}

function blockedHtml(blocked: readonly TestOutcome[], anchors: Anchors): string {
  if (blocked.length === 0) return '';
  const label = blocked.length === 1 ? 'It blocked 1 check:' : `It blocked ${blocked.length} checks:`;
  return `<div class="label">${label}</div><div class="blocked-list">${nameTable(blocked.map((t) => nameRow(t, anchors)))}</div>`;
}

function errorHtml(error: RunError): string {
  return (
    `<details open class="run-error"><summary>${text(error.name)}: ${text(error.message)}</summary>` +
    `<pre>${printClipped(error.detail, PRINT_DETAIL_LINES)}</pre></details>`
  );
}

/** The failed results (tests, prerequisites, the cleanup); errors outside any test come apart. */
function failuresOf(report: RunReport): readonly TestOutcome[] {
  return report.tests.filter((t) => t.status === 'failed');
}

export function failuresHtml(report: RunReport, anchors: Anchors): string {
  const failed = failuresOf(report);
  const blocked = report.tests.filter((t) => t.status === 'blocked');
  if (failed.length === 0 && blocked.length === 0 && report.errors.length === 0) return '';
  const bodyLines = printBodyLines(failed.length);
  const byPrerequisite = new Map<string, TestOutcome[]>();
  for (const test of blocked) {
    const key = prerequisiteKey(test.blockedBy ?? '');
    byPrerequisite.set(key, [...(byPrerequisite.get(key) ?? []), test]);
  }
  // Root causes first: a failed prerequisite and what it blocked, then the checks, the cleanup.
  const rank = (t: TestOutcome): number => (t.kind === 'prerequisite' ? 0 : t.kind === 'test' ? 1 : 2);
  const rows = [...failed]
    .sort((a, b) => rank(a) - rank(b))
    .map((test, i) => {
      const under = test.kind === 'prerequisite' ? (byPrerequisite.get(test.key) ?? []) : [];
      if (test.kind === 'prerequisite') byPrerequisite.delete(test.key);
      return failureRow(test, anchors, bodyLines, blockedHtml(under, anchors), i >= PRINT_FULL_FAILURES);
    });
  // Checks blocked by a prerequisite the run has no result for still appear, once, by its name.
  const orphans = [...byPrerequisite.values()]
    .map(
      (tests) =>
        `<h3>Blocked by ${text(tests[0]?.blockedBy ?? 'an unnamed prerequisite')} (no result recorded for it)</h3>` +
        nameTable(tests.map((t) => nameRow(t, anchors))),
    )
    .join('');
  const errors = report.errors.map(errorHtml).join('');
  const count = failed.length + report.errors.length;
  return (
    `<section id="failures"><h2>Failures (${count})</h2>` +
    `<p class="reason">Each reproduction is a curl line to paste after ` +
    `<code>export OS_TOKEN=$(openstack token issue -f value -c id)</code>.</p>` +
    (failed.length > PRINT_FULL_FAILURES
      ? `<p class="print-only">Printed here: the first ${PRINT_FULL_FAILURES} failures in full, the other ` +
        `${failed.length - PRINT_FULL_FAILURES} on a line each; the report on screen shows them all in full.</p>`
      : '') +
    (rows.length > 0
      ? `<table class="failures"><colgroup><col class="id"><col></colgroup><tbody>${rows.join('')}</tbody></table>`
      : '') +
    orphans +
    (errors === '' ? '' : `<h3>Errors outside any test</h3>${errors}`) +
    `</section>`
  );
}
