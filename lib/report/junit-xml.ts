import { hostname } from 'node:os';
import { markedLog } from './exchange-log.ts';
import type { RunError, RunReport, TestOutcome } from './model.ts';
import { attributes, escapeText } from './xml.ts';

/**
 * JUnit XML as Jenkins and GitLab read it (schema: test/report/junit.xsd): one testsuite per
 * scenario (suite file), one testcase per test, its name starting with the behaviour ID and its
 * classname `<scenario>.<behaviour ID>`, so that CI groups by scenario, then behaviour. Failed
 * prerequisites and the cleanup are testcases of their own testsuites, `prerequisites` and
 * `cleanup`. Every count attribute is the model's (model.ts: Totals).
 *
 * A blocked check is `<skipped>` whose message and text name the failed prerequisite: both CI
 * systems then show one red result for the root cause, not one per check it blocked, and still
 * say on each check why it did not run (docs/reports.md).
 *
 * A check the selection left out is `<skipped message="not selected (...)">` too: JUnit has no
 * other element for a test that did not run, and a testcase without one reads as passed. Its
 * property `status` is `not-selected`, each testsuite counts them in a `not-selected` property,
 * and the `skipped` attributes count them as every JUnit reader recounts the elements.
 */
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function property(name: string, value: string, indent = '        '): string {
  return `${indent}<property${attributes({ name, value })}/>\n`;
}

function propertiesOf(test: TestOutcome): string {
  let out = '';
  out += property('behaviour-id', test.behaviourId ?? '(none)');
  if (test.kind === 'test') {
    out += property('api-reference', test.apiSection.title);
    out += property('api-reference-url', test.apiSection.url);
    out += property(
      'microversion',
      test.microversions.length > 0 ? test.microversions.join(', ') : '(not recorded by the test)',
    );
    out += property('request-ids', test.requestIds.join(' '));
  }
  if (test.exchanges !== undefined) out += property('exchanges', String(test.exchanges));
  out += property('status', test.status);
  const failedBehaviour = test.failure?.evidence?.behaviour;
  if (failedBehaviour !== undefined && failedBehaviour !== test.behaviourId)
    out += property('failed-behaviour', failedBehaviour);
  if (test.blockedBy !== undefined) out += property('blocked-by', test.blockedBy);
  if (test.blockedChecks !== undefined) out += property('blocked-checks', String(test.blockedChecks));
  for (const note of test.knownDefects) out += property('known-upstream-defect', note);
  return `      <properties>\n${out}      </properties>\n`;
}

/** Why a check did not run, as both CI systems show it; the collector always gives one. */
function reasonOf(test: TestOutcome): string {
  if (test.reason !== undefined && test.reason.trim() !== '') return test.reason;
  if (test.status === 'blocked') return `blocked by ${test.blockedBy ?? 'a failed prerequisite'}`;
  if (test.status === 'not-selected') return 'not selected';
  return 'skipped (no reason given)';
}

function classnameOf(test: TestOutcome): string {
  if (test.kind === 'test') return `${test.scenario}.${test.behaviourId ?? 'unidentified'}`;
  return `${test.scenario}.${test.kind}`;
}

function testcase(test: TestOutcome): string {
  const head = `    <testcase${attributes({
    name: test.name,
    classname: classnameOf(test),
    file: test.file === '' ? undefined : test.file,
    time: seconds(test.durationMs),
    timestamp: test.startedAt,
  })}>\n`;
  let body = propertiesOf(test);
  if (test.status === 'skipped' || test.status === 'blocked' || test.status === 'not-selected') {
    // GitLab shows the element's text, Jenkins its message: both carry the reason, never empty.
    const reason = reasonOf(test);
    body += `      <skipped${attributes({ message: reason })}>${escapeText(reason)}</skipped>\n`;
  }
  if (test.failure !== undefined) {
    body += `      <failure${attributes({ message: test.failure.message, type: test.failure.type })}>${escapeText(
      test.failure.detail,
    )}</failure>\n`;
  }
  const out = [
    ...test.knownDefects.map((d) => `Known upstream defect (reported apart, not a failure): ${d}\n`),
    ...test.notes.map((n) => `${n}\n`),
    test.exchangeLog !== undefined ? `${markedLog(test.exchangeLog, test.failedExchangeIndex)}\n` : '',
    test.output,
  ].join('');
  if (out !== '') body += `      <system-out>${escapeText(out)}</system-out>\n`;
  return `${head}${body}    </testcase>\n`;
}

function errorcase(error: RunError): string {
  return (
    `    <testcase${attributes({ name: error.name, classname: `${error.scenario}.setup`, file: error.file === '' ? undefined : error.file, time: '0.000' })}>\n` +
    `      <error${attributes({ message: error.message, type: 'Error' })}>${escapeText(error.detail)}</error>\n` +
    `    </testcase>\n`
  );
}

interface Suite {
  readonly name: string;
  readonly file: string;
  readonly tests: TestOutcome[];
  readonly errors: RunError[];
}

function suitesOf(report: RunReport): Suite[] {
  const byName = new Map<string, Suite>();
  const suite = (name: string, file: string): Suite => {
    let s = byName.get(name);
    if (s === undefined) {
      s = { name, file, tests: [], errors: [] };
      byName.set(name, s);
    }
    return s;
  };
  for (const test of report.tests)
    suite(test.scenario, test.kind === 'test' ? test.file : '').tests.push(test);
  for (const error of report.errors) suite(error.scenario, error.file).errors.push(error);
  return [...byName.values()];
}

/** The count attributes of a testsuite (or of all of them): JUnit's reading of the model's totals. */
function junitCounts(tests: readonly TestOutcome[], errors: number): Record<string, number> {
  const count = (...statuses: TestOutcome['status'][]): number =>
    tests.filter((t) => statuses.includes(t.status)).length;
  return {
    tests: tests.length + errors,
    failures: count('failed'),
    errors,
    skipped: count('skipped', 'blocked', 'not-selected'),
  };
}

export function junitXml(report: RunReport): string {
  const host = hostname();
  let suites = '';
  for (const s of suitesOf(report)) {
    const time = s.tests.reduce((sum, t) => sum + t.durationMs, 0);
    suites += `  <testsuite${attributes({
      name: s.name,
      file: s.file === '' ? undefined : s.file,
      ...junitCounts(s.tests, s.errors.length),
      time: seconds(time),
      timestamp: report.startedAt,
      hostname: host,
    })}>\n`;
    suites += `    <properties>\n${[
      ['run-id', report.runId ?? '(none)'],
      ['target', report.target.kind],
      ['compute-endpoint', report.target.computeEndpoint ?? '(unknown)'],
      ['known-upstream-defects', String(s.tests.filter((t) => t.status === 'known-upstream-defect').length)],
      ['blocked', String(s.tests.filter((t) => t.status === 'blocked').length)],
      ['not-selected', String(s.tests.filter((t) => t.status === 'not-selected').length)],
    ]
      .map(([name = '', value = '']) => property(name, value, '      '))
      .join('')}    </properties>\n`;
    for (const test of s.tests) suites += testcase(test);
    for (const error of s.errors) suites += errorcase(error);
    suites += `  </testsuite>\n`;
  }
  const { totals } = report;
  // testsuites has no skipped attribute in the Jenkins schema; its testsuites' attributes add up.
  const head = `<testsuites${attributes({
    name: `nova-conformance ${report.runId ?? ''}`.trim(),
    tests: totals.tests,
    failures: totals.failed,
    errors: totals.errors,
    time: seconds(Date.parse(report.endedAt) - Date.parse(report.startedAt)),
  })}>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites}</testsuites>\n`;
}
