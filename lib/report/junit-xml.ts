import { hostname } from 'node:os';
import type { RunError, RunReport, TestOutcome } from './model.ts';
import { attributes, escapeText } from './xml.ts';

/**
 * JUnit XML as Jenkins and GitLab read it (schema: test/report/junit.xsd): one testsuite per
 * scenario (suite file), one testcase per test, its name starting with the behaviour ID and its
 * classname `<scenario>.<behaviour ID>`, so that CI groups by scenario, then behaviour.
 */
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function property(name: string, value: string, indent = '        '): string {
  return `${indent}<property${attributes({ name, value })}/>\n`;
}

function propertiesOf(test: TestOutcome): string {
  let out = '';
  out += property('behaviour-id', test.behaviourId ?? '(none)');
  out += property('api-reference', test.apiSection.title);
  out += property('api-reference-url', test.apiSection.url);
  out += property(
    'microversion',
    test.microversions.length > 0 ? test.microversions.join(', ') : '(not recorded by the test)',
  );
  out += property('request-ids', test.requestIds.join(' '));
  if (test.exchanges !== undefined) out += property('exchanges', String(test.exchanges));
  out += property('status', test.status);
  for (const note of test.knownDefects) out += property('known-upstream-defect', note);
  return `      <properties>\n${out}      </properties>\n`;
}

function testcase(test: TestOutcome): string {
  const head = `    <testcase${attributes({
    name: test.name,
    classname: `${test.scenario}.${test.behaviourId ?? 'unidentified'}`,
    file: test.file,
    time: seconds(test.durationMs),
    timestamp: test.startedAt,
  })}>\n`;
  let body = propertiesOf(test);
  if (test.status === 'skipped') body += `      <skipped${attributes({ message: test.reason ?? '' })}/>\n`;
  if (test.failure !== undefined) {
    body += `      <failure${attributes({ message: test.failure.message, type: test.failure.type })}>${escapeText(
      test.failure.detail,
    )}</failure>\n`;
  }
  const out = [
    ...test.knownDefects.map((d) => `Known upstream defect (reported apart, not a failure): ${d}\n`),
    ...test.notes.map((n) => `${n}\n`),
    test.output,
  ].join('');
  if (out !== '') body += `      <system-out>${escapeText(out)}</system-out>\n`;
  return `${head}${body}    </testcase>\n`;
}

function errorcase(error: RunError): string {
  return (
    `    <testcase${attributes({ name: `(outside any test) ${error.message.slice(0, 120)}`, classname: `${error.scenario}.setup`, file: error.file, time: '0.000' })}>\n` +
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
  for (const test of report.tests) suite(test.scenario, test.file).tests.push(test);
  for (const error of report.errors) suite(error.scenario, error.file).errors.push(error);
  return [...byName.values()];
}

export function junitXml(report: RunReport): string {
  const host = hostname();
  let suites = '';
  for (const s of suitesOf(report)) {
    const count = (status: TestOutcome['status']): number =>
      s.tests.filter((t) => t.status === status).length;
    const time = s.tests.reduce((sum, t) => sum + t.durationMs, 0);
    suites += `  <testsuite${attributes({
      name: s.name,
      file: s.file,
      tests: s.tests.length + s.errors.length,
      failures: count('failed'),
      errors: s.errors.length,
      skipped: count('skipped'),
      time: seconds(time),
      timestamp: report.startedAt,
      hostname: host,
    })}>\n`;
    suites += `    <properties>\n${[
      ['run-id', report.runId ?? '(none)'],
      ['target', report.target.kind],
      ['compute-endpoint', report.target.computeEndpoint ?? '(unknown)'],
      ['known-upstream-defects', String(count('known-upstream-defect'))],
    ]
      .map(([name = '', value = '']) => property(name, value, '      '))
      .join('')}    </properties>\n`;
    for (const test of s.tests) suites += testcase(test);
    for (const error of s.errors) suites += errorcase(error);
    suites += `  </testsuite>\n`;
  }
  const { totals } = report;
  const head = `<testsuites${attributes({
    name: `nova-conformance ${report.runId ?? ''}`.trim(),
    tests: totals.tests + totals.errors,
    failures: totals.failed,
    errors: totals.errors,
    time: seconds(Date.parse(report.endedAt) - Date.parse(report.startedAt)),
  })}>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites}</testsuites>\n`;
}
