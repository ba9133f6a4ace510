import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Totals } from '../../lib/report/model.ts';
import { outcomeTotals } from '../../lib/report/totals-lines.ts';
import { PROJECT_ROOT, runFixtures, type FixtureOptions, type FixtureRun } from './helpers.ts';

// One count everywhere: on a passing run, a failing run and a run with blocked results, the
// console, junit.xml, summary.json, summary.html and .ci/run's closing lines print the numbers
// of the one result model, and the model's numbers add up.
interface Printed {
  readonly run: FixtureRun;
  readonly junit: string;
  readonly summary: { totals: { tests: Totals } };
  readonly html: string;
}

const dirs: string[] = [];

async function printed(options: FixtureOptions): Promise<Printed> {
  const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-agree-'));
  dirs.push(dir);
  const run = await runFixtures(dir, options);
  return {
    run,
    junit: readFileSync(join(dir, 'junit.xml'), 'utf8'),
    summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Printed['summary'],
    html: readFileSync(join(dir, 'summary.html'), 'utf8'),
  };
}

/** .ci/run's closing `node` command, run as CI runs it but on the given summary.json. */
function ciClosingLines(summaryPath: string): string[] {
  const script = readFileSync(join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
  const match =
    /node --import tsx --input-type=module -e '([^']*)' reports\/devcloud[a-z0-9.-]*\/latest\/summary\.json\s*$/.exec(
      script,
    );
  if (match === null) throw new Error('.ci/run no longer ends with the closing node command');
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', match[1] ?? '', summaryPath],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  return out.trimEnd().split('\n');
}

function attribute(tag: string, name: string): number {
  const value = new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1];
  if (value === undefined) throw new Error(`no ${name} in ${tag}`);
  return Number(value);
}

function checkAgreement(p: Printed, summaryPath: string): void {
  const totals = p.run.report.totals;
  // The model adds up.
  expect(totals.tests).toBe(
    totals.passed +
      totals.failed +
      totals.errors +
      totals.skipped +
      totals.blocked +
      totals.knownUpstreamDefects +
      totals.notSelected,
  );
  // summary.json holds the model's totals.
  expect(p.summary.totals.tests).toEqual(totals);
  // junit.xml: the root, the sum of its testsuites and its testcases say the same.
  const root = /<testsuites[^>]*>/.exec(p.junit)?.[0] ?? '';
  expect(attribute(root, 'tests')).toBe(totals.tests);
  expect(attribute(root, 'failures')).toBe(totals.failed);
  expect(attribute(root, 'errors')).toBe(totals.errors);
  const suites = [...p.junit.matchAll(/<testsuite [^>]*>/g)].map((m) => m[0]);
  const sum = (name: string): number => suites.reduce((n, tag) => n + attribute(tag, name), 0);
  expect(sum('tests')).toBe(totals.tests);
  expect(sum('failures')).toBe(totals.failed);
  expect(sum('errors')).toBe(totals.errors);
  expect(sum('skipped')).toBe(totals.skipped + totals.blocked);
  expect(p.junit.split('<testcase ').length - 1).toBe(totals.tests);
  expect(p.junit.split('<failure ').length - 1).toBe(totals.failed);
  expect(p.junit.split('<error ').length - 1).toBe(totals.errors);
  expect(p.junit.split('<skipped ').length - 1).toBe(totals.skipped + totals.blocked);
  // summary.html: the totals line and a row per result.
  const shown = /<div class="totals" id="totals">([\s\S]*?)<\/div>/.exec(p.html)?.[1] ?? '';
  const number = (label: string): number => Number(new RegExp(`(\\d+) ${label}`).exec(shown)?.[1]);
  expect(number('results')).toBe(totals.tests);
  expect(number('failed')).toBe(totals.failed);
  expect(number('blocked')).toBe(totals.blocked);
  expect(number('passed')).toBe(totals.passed);
  expect(number('skipped')).toBe(totals.skipped);
  expect(number('known upstream defects?')).toBe(totals.knownUpstreamDefects);
  expect(number('errors? outside any test')).toBe(totals.errors);
  expect(p.html.split('<tr class="test"').length - 1).toBe(totals.tests - totals.errors);
  expect(p.html.split('<details open class="run-error">').length - 1).toBe(totals.errors);
  // The console's last line is the model's, word for word.
  expect(p.run.console.trimEnd().split('\n').at(-1)).toBe(outcomeTotals(totals));
  // .ci/run: exactly 'devcloud: N passed, N failed, N skipped', adding up, then what they hold.
  const [plain = '', apart = ''] = ciClosingLines(summaryPath);
  const three = /^devcloud: (\d+) passed, (\d+) failed, (\d+) skipped$/.exec(plain);
  expect(three, plain).not.toBeNull();
  const [passed, failed, skipped] = (three ?? []).slice(1).map(Number);
  expect(passed).toBe(totals.passed + totals.knownUpstreamDefects);
  expect(failed).toBe(totals.failed + totals.errors);
  expect(skipped).toBe(totals.skipped + totals.blocked + totals.notSelected);
  expect((passed ?? 0) + (failed ?? 0) + (skipped ?? 0)).toBe(totals.tests);
  expect(apart).toContain(`${totals.blocked} `);
  expect(apart).toMatch(new RegExp(`${totals.knownUpstreamDefects} known upstream defects?`));
}

let passing: Printed;
let failing: Printed;
let blocked: Printed;

beforeAll(async () => {
  passing = await printed({
    include: ['errors.fixture.ts'],
    finish: { cleanup: { removed: [], failed: [] } },
  });
  failing = await printed({ include: ['list.fixture.ts'] });
  blocked = await printed({ finish: { cleanup: { removed: ['port p1'], failed: ['port p2: 409'] } } });
}, 180_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('every output prints the model’s counts', () => {
  test('on a passing run', () => {
    expect(passing.run.report.verdict).toBe('PASSED');
    checkAgreement(passing, join(dirs[0] ?? '', 'summary.json'));
  });

  test('on a failing run', () => {
    expect(failing.run.report.totals.failed).toBe(1);
    checkAgreement(failing, join(dirs[1] ?? '', 'summary.json'));
  });

  test('on a run with blocked checks, an error in a hook and a failed cleanup', () => {
    const totals = blocked.run.report.totals;
    expect(totals.blocked).toBe(2);
    expect(totals.errors).toBe(1);
    expect(blocked.run.report.verdict).toBe('FAILED');
    checkAgreement(blocked, join(dirs[2] ?? '', 'summary.json'));
  });
});

test('a failed cleanup alone makes the verdict FAILED', () => {
  const cleanup = passing.run.report.tests.find((t) => t.kind === 'cleanup');
  expect(cleanup?.status).toBe('passed');
  expect(blocked.run.report.tests.find((t) => t.kind === 'cleanup')?.status).toBe('failed');
});
