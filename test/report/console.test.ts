import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestCase } from 'vitest/node';
import ConsoleReporter, { colourWanted } from '../../lib/report/console.ts';
import { totalsOf, type TestOutcome } from '../../lib/report/model.ts';
import { FIXTURE_TOKEN, runFixtures, type FixtureRun } from './helpers.ts';

// The console on a run of thirty failures: short, a bounded block per failure, no stack frame of
// the harness, nothing from the target that a terminal would obey.
const dirs: string[] = [];
let thirty: FixtureRun;
let mixed: FixtureRun;

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nova-conformance-console-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  thirty = await runFixtures(dir(), { include: ['many/*.fixture.ts'] });
  mixed = await runFixtures(dir(), { finish: { cleanup: { removed: [], failed: ['port p2: 409'] } } });
}, 180_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The console's blocks: a line opening with FAIL or ERROR, up to the next such line or a blank one. */
function blocks(printed: string): string[][] {
  const out: string[][] = [];
  for (const line of printed.split('\n')) {
    if (/^(FAIL|ERROR|KNOWN) /.test(line) && !/^FAIL \S+: \d+ passed/.test(line)) out.push([line]);
    else if (line.trim() === '') out.push([]);
    else out.at(-1)?.push(line);
  }
  return out.filter((b) => b.length > 0 && /^(FAIL|ERROR) /.test(b[0] ?? ''));
}

describe('thirty failures', () => {
  test('print under 150 lines, at most 10 per failure', () => {
    const lines = thirty.console.trimEnd().split('\n');
    expect(thirty.report.totals.failed).toBe(30);
    expect(lines.length).toBeLessThan(150);
    const failures = blocks(thirty.console);
    expect(failures).toHaveLength(30);
    for (const block of failures) expect(block.length).toBeLessThanOrEqual(10);
  });

  test('each failure: behaviour and test, expected, the exchange on one line, a curl line without a token', () => {
    const block = blocks(thirty.console).find((b) => b[0]?.startsWith('FAIL LIST-07 ')) ?? [];
    expect(block[0]).toBe('FAIL LIST-07 a check that fails [thirty]');
    expect(block[1]).toBe('  expected: status 200');
    expect(block[2]).toMatch(
      /^ {2}got: {6}GET \/compute\/v2\.1\/servers\/s7\/os-interface -> 500 \\x1b\]0;pwned/,
    );
    expect((block[2] ?? '').length).toBeLessThan(260);
    expect(block[3]).toBe(
      `  repro:    curl -sS -X GET 'http://127.0.0.1:9/compute/v2.1/servers/s7/os-interface' -H "X-Auth-Token: $OS_TOKEN" -H 'OpenStack-API-Version: compute 2.69'`,
    );
  });

  test('hold no stack frame and no escape sequence from the target', () => {
    expect(thirty.console).not.toMatch(/lib[\\/]harness/);
    expect(thirty.console).not.toMatch(/^\s+at /m);
    expect(thirty.console).not.toContain('\u001b');
    expect(thirty.console).not.toContain('\u0007');
    expect(thirty.console).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
  });

  test('show the harness frames with debug', async () => {
    const debug = await runFixtures(dir(), { include: ['many/*.fixture.ts'], debug: true });
    expect(debug.console).toMatch(/at .*lib[\\/]harness[\\/]expect\.ts/);
  }, 120_000);
});

describe('a mixed run', () => {
  test('prints a line per scenario, then each failure, the prerequisite once with what it blocked', () => {
    const lines = mixed.console.split('\n');
    expect(
      lines.filter((l) => /^(PASS|FAIL|BLCK) \w+: \d+ passed/.test(l)).map((l) => l.split(':')[0]),
    ).toEqual(expect.arrayContaining(['FAIL detach', 'FAIL list', 'PASS errors']));
    const prerequisite = lines.filter((l) =>
      l.includes('prerequisite: detach the port attached for the check'),
    );
    expect(prerequisite).toEqual([
      'FAIL prerequisite: detach the port attached for the check (blocked 2 checks)',
    ]);
    expect(mixed.console).toContain(
      `  repro:    curl -sS -X DELETE 'http://127.0.0.1:9/compute/v2.1/servers/s1/os-interface/p1' -H "X-Auth-Token: $OS_TOKEN"`,
    );
    // A blocked check is not a failure of its own on the console.
    expect(mixed.console).not.toMatch(/^FAIL DETACH-0[23]/m);
    expect(mixed.console).toContain('FAIL cleanup: remove what the run created');
    expect(mixed.console).toContain("ERROR (outside any test) detach: hooks of 'restores the server'");
    expect(mixed.console).toContain(
      'KNOWN NOTFOUND-03 attach with an unknown net_id: Zed answers 500 computeFault instead of 404 itemNotFound',
    );
    expect(mixed.console).not.toContain(FIXTURE_TOKEN);
  });

  test('ends with the behaviours, the report paths, the verdict and the model’s totals', () => {
    const tail = mixed.console.trimEnd().split('\n').slice(-4);
    expect(tail[0]).toMatch(
      /^Behaviours: 11: 3 passed, 3 failed, 3 blocked, 1 skipped, 1 known upstream defect$/,
    );
    expect(tail[1]).toBe('Reports: junit.xml, summary.json, summary.html');
    expect(tail[2]).toBe('Verdict: FAILED');
    expect(tail[3]).toBe(
      '3 passed, 5 failed, 2 blocked, 1 skipped, 1 known upstream defect, 1 error outside any test',
    );
  });
});

describe('colour', () => {
  function printedWith(isTTY: boolean, env: NodeJS.ProcessEnv): string {
    let out = '';
    const reporter = new ConsoleReporter({ stream: { isTTY, write: (t: string) => (out += t) }, env });
    reporter.printReport(mixed.report, mixed.paths);
    return out;
  }

  test('only on a terminal, and never with NO_COLOR', () => {
    expect(printedWith(false, {})).not.toContain('\u001b');
    expect(printedWith(true, { NO_COLOR: '1' })).not.toContain('\u001b');
    expect(printedWith(true, {})).toContain('\u001b[31mFAIL\u001b[39m');
  });
});

describe('a prerequisite without evidence', () => {
  test('prints its step and its message once each', () => {
    const prerequisite = mixed.report.tests.find((t) => t.kind === 'prerequisite');
    if (prerequisite?.failure === undefined) throw new Error('the fixture run has no prerequisite');
    const report = {
      ...mixed.report,
      tests: [{ ...prerequisite, failure: { ...prerequisite.failure, evidence: undefined } }],
      errors: [],
    };
    let out = '';
    new ConsoleReporter({ stream: { write: (t: string) => (out += t) } }).printReport(report, []);
    const lines = out.split('\n');
    const at = lines.indexOf('FAIL prerequisite: detach the port attached for the check (blocked 2 checks)');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  step:     DELETE /servers/{server_id}/os-interface/{port_id}',
      '  Expected status 202. DELETE http://127.0.0.1:9/compute/v2.1/servers/s1/os-interface/p1 answered 204 with an empty body',
    ]);
  });
});

describe('colour rules (colourWanted)', () => {
  test.each([
    ['a terminal', true, {}, undefined, true],
    ['a file', false, {}, undefined, false],
    ['a terminal with NO_COLOR', true, { NO_COLOR: '1' }, undefined, false],
    ['a terminal with CI', true, { CI: 'true' }, undefined, false],
    ['a terminal with an empty NO_COLOR', true, { NO_COLOR: '' }, undefined, true],
    ['a file with FORCE_COLOR', false, { FORCE_COLOR: '1' }, undefined, true],
    ['CI with FORCE_COLOR', false, { CI: '1', FORCE_COLOR: '1' }, undefined, true],
    ['a terminal with FORCE_COLOR=0', true, { FORCE_COLOR: '0' }, undefined, false],
    ['a terminal with --no-color', true, {}, false, false],
    ['FORCE_COLOR with --no-color', true, { FORCE_COLOR: '1' }, false, false],
  ] as const)('%s: %s', (_what, isTTY, env, flag, wanted) => {
    expect(colourWanted(isTTY, env, flag)).toBe(wanted);
  });

  test('the reporter follows them when no colour is given', () => {
    let out = '';
    const stream = { isTTY: true, write: (t: string) => (out += t) };
    new ConsoleReporter({ stream, env: { CI: 'true' } }).printReport(mixed.report, mixed.paths);
    expect(out).not.toContain('\u001b');
  });
});

describe('skip reasons and checks not selected', () => {
  test('the summary lists each skip reason once with its count, most first', () => {
    const base = mixed.report.tests.find((t) => t.kind === 'test' && t.status === 'passed');
    if (base === undefined) throw new Error('the fixture run has no passed test');
    const skip = (reason: string): TestOutcome => ({ ...base, status: 'skipped', reason });
    const tests = [skip('needs an admin'), skip('profile standard'), skip('profile standard'), base];
    const report = { ...mixed.report, tests, errors: [], totals: totalsOf(tests, []) };
    let out = '';
    new ConsoleReporter({ stream: { write: (t: string) => (out += t) } }).printReport(report, []);
    const lines = out.split('\n');
    const at = lines.indexOf('SKIP 3 checks skipped:');
    expect(lines.slice(at + 1, at + 3)).toEqual(['    2  profile standard', '    1  needs an admin']);
  });

  test('checks not selected: one line, not in skipped, and in the totals line', () => {
    const base = mixed.report.tests.find((t) => t.kind === 'test' && t.status === 'passed');
    if (base === undefined) throw new Error('the fixture run has no passed test');
    const left: TestOutcome = { ...base, status: 'not-selected', reason: 'not selected (--include LIST-*)' };
    const tests = [base, left, left];
    const report = { ...mixed.report, tests, errors: [], totals: totalsOf(tests, []) };
    let out = '';
    new ConsoleReporter({ stream: { write: (t: string) => (out += t) } }).printReport(report, []);
    expect(out).toContain('NSEL 2 checks not selected (--include LIST-*)\n');
    expect(out).not.toContain('skipped:');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '1 passed, 0 failed, 0 blocked, 0 skipped, 0 known upstream defects, 2 not selected',
    );
  });
});

describe('the dot reporter', () => {
  /** Enough of vitest's TestCase for the console reporter. */
  function testCase(name: string, state: 'passed' | 'failed' | 'skipped'): TestCase {
    const module = { type: 'module', moduleId: '/x/suites/list.test.ts' };
    const fake = {
      name,
      module,
      parent: module,
      options: { mode: state === 'skipped' ? 'skip' : 'run' },
      result: () => ({ state, errors: [] }),
      annotations: () => [],
      meta: () => ({}),
    };
    // A stand-in for the parts the reporter reads; vitest's class cannot be built outside a run.
    return fake as unknown as TestCase;
  }

  test('one character per check, none for checks not selected, then the summary', () => {
    let out = '';
    const reporter = new ConsoleReporter({
      stream: { write: (t: string) => (out += t) },
      style: 'dot',
      isSelected: (c) => c.behaviourId !== 'LIST-09',
    });
    reporter.onTestCaseResult(testCase('LIST-01 a', 'passed'));
    reporter.onTestCaseResult(testCase('LIST-02 b', 'failed'));
    reporter.onTestCaseResult(testCase('LIST-03 c', 'skipped'));
    reporter.onTestCaseResult(testCase('LIST-09 d', 'skipped'));
    for (let i = 0; i < 80; i += 1) reporter.onTestCaseResult(testCase('LIST-04 e', 'passed'));
    reporter.printReport(mixed.report, mixed.paths);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`.Fs${'.'.repeat(77)}`);
    expect(lines[1]).toBe('...');
    expect(out).toContain('Verdict: FAILED');
    expect(out).not.toMatch(/^(PASS|FAIL) list: /m);
  });
});
