import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateJunit } from '../report/helpers.ts';
import { baseEnv, runCli, type Ran } from './helpers.ts';

// The selection end to end, through the command as users run it: --list prints what would run
// and contacts no cloud; a run reports what it left out as not selected, apart from skips.
const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-select-'));
const excludeFile = join(dir, 'exclude.txt');
writeFileSync(excludeFile, '# slow ones\nDETACH-04\n\n  DETACH-05  # needs the instance action\n');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The check lines of --list: everything above the blank line before the count. */
function checkLines(ran: Ran): string[] {
  const lines = ran.stdout.trimEnd().split('\n');
  return lines.slice(0, lines.lastIndexOf(''));
}

describe('--list', () => {
  test("--include 'DETACH-*' --exclude-file f prints exactly the DETACH checks the file does not leave out", async () => {
    // An unreachable cloud: --list must not contact it.
    const env = baseEnv({ OS_AUTH_URL: 'http://127.0.0.1:9/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p' });
    const ran = await runCli(['run', '--list', '--include', 'DETACH-*', '--exclude-file', excludeFile], env);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(checkLines(ran)).toEqual([
      'DETACH-01 detach of an attached port: 202, empty body, the port leaves the list and Neutron unbinds it  [detach] tags: -; required',
      'DETACH-02 detach of a random port id: 202, and the attached interface stays  [detach] tags: needs-two-servers; required',
      "DETACH-02 detach through another server's URL: 202, and the port stays attached to the server that holds it  [detach] tags: needs-two-servers; required",
      'DETACH-02 detach of an existing port that is not attached: 202, the port stays unbound  [detach] tags: needs-two-servers; required',
      'DETACH-03 detach carries x-openstack-request-id; its instance action has compute_detach_interface Success  [detach] tags: -; required',
    ]);
    expect(ran.stdout).toMatch(/\n5 of \d+ checks selected \(3 behaviours\)\n$/);
  });

  test('by tag, by scenario and with --filter; --include=VALUE works too', async () => {
    const env = baseEnv();
    const byTag = await runCli(['run', '--list', '--include=tag:disruptive', '--exclude', 'quota'], env);
    expect(checkLines(byTag).map((l) => l.split(' ')[0])).toEqual([
      'STATE-01',
      'STATE-01',
      'STATE-02',
      'STATE-03',
      'STATE-03',
      'STATE-04',
    ]);
    const filtered = await runCli(['run', '--list', '--include', 'show', '--filter', 'unbound'], env);
    expect(checkLines(filtered)).toEqual([
      'SHOW-04 show of an unbound port: 404 "Instance <sid> does not have a port with id <pid>"  [show] tags: -; required',
    ]);
  });
});

describe('a run with --include', () => {
  const reports = join(dir, 'reports');
  let ran: Ran;
  let summary: {
    totals: { tests: Record<string, number>; behaviours: Record<string, number> };
    behaviours: { id: string; status: string; reason?: string }[];
  };
  let junit: string;

  beforeAll(async () => {
    ran = await runCli(
      ['run', '--include', 'LIST-05', '--include', 'VERSIONS-*'],
      baseEnv({ CONFORMANCE_REPORT_DIR: reports }),
    );
    summary = JSON.parse(readFileSync(join(reports, 'latest', 'summary.json'), 'utf8')) as typeof summary;
    junit = readFileSync(join(reports, 'latest', 'junit.xml'), 'utf8');
  }, 180_000);

  test('passes, and counts the others as not selected, not as skipped', () => {
    expect(ran.code, ran.stderr).toBe(0);
    const t = summary.totals.tests;
    // The three checks and the runner's cleanup result.
    expect(t['passed']).toBe(4);
    expect(t['skipped']).toBe(0);
    expect(t['notSelected']).toBeGreaterThan(100);
    expect(t['tests']).toBe(3 + (t['notSelected'] ?? 0) + 1);
    expect(summary.totals.behaviours['notSelected']).toBe(summary.behaviours.length - 2);
    const detach = summary.behaviours.find((b) => b.id === 'DETACH-01');
    expect(detach?.status).toBe('not-selected');
    expect(detach?.reason).toBe('not selected (--include LIST-05 --include VERSIONS-*)');
  });

  test('junit: the others are <skipped> with "not selected" and status not-selected', () => {
    const testcase = /<testcase name="DETACH-01 [^"]*"[\s\S]*?<\/testcase>/.exec(junit)?.[0] ?? '';
    expect(testcase).toContain('<property name="status" value="not-selected"/>');
    expect(testcase).toContain(
      '<skipped message="not selected (--include LIST-05 --include VERSIONS-*)">not selected (--include LIST-05 --include VERSIONS-*)</skipped>',
    );
    const list05 = /<testcase name="LIST-05 [^"]*"[\s\S]*?<\/testcase>/.exec(junit)?.[0] ?? '';
    expect(list05).toContain('<property name="status" value="passed"/>');
    expect(list05).not.toContain('<skipped');
    expect(junit).toMatch(/<property name="not-selected" value="\d+"\/>/);
  });

  test('junit.xml with checks not selected still passes the JUnit schema', async () => {
    const result = await validateJunit(junit);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('its results bundle verifies: checks not selected are outcomes verify knows', async () => {
    const verified = await runCli(['verify', join(reports, 'latest')], baseEnv());
    expect(verified.stdout + verified.stderr).toMatch(/intact and consistent \(PASSED, /);
    expect(verified.code).toBe(0);
  });

  test('the console says how many were not selected, apart from skips', () => {
    expect(ran.stdout).toMatch(/^PASS list: 1 passed, 8 not selected /m);
    expect(ran.stdout).not.toMatch(/^\S+ attach: /m);
    expect(ran.stdout).toMatch(/^NSEL \d+ checks not selected \(--include LIST-05 --include VERSIONS-\*\)$/m);
    expect(ran.stdout).toMatch(
      /^4 passed, 0 failed, 0 blocked, 0 skipped, 0 known upstream defects, \d+ not selected$/m,
    );
  });
});

describe('--profile', () => {
  test('wins over CONFORMANCE_PROFILE: a disruptive check runs, where the environment would skip it', async () => {
    const reports = join(dir, 'profile');
    const ran = await runCli(
      ['run', '--profile', 'disruptive', '--include', 'STATE-03'],
      baseEnv({
        CONFORMANCE_PROFILE: 'standard',
        CONFORMANCE_READ_ONLY: '0',
        CONFORMANCE_REPORT_DIR: reports,
      }),
    );
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(reports, 'latest', 'summary.json'), 'utf8')) as {
      behaviours: { id: string; status: string }[];
    };
    expect(summary.behaviours.find((b) => b.id === 'STATE-03')?.status).toBe('passed');
  }, 180_000);
});
