import { describe, expect, test } from 'vitest';
import { COMMANDS } from '../../lib/cli/commands.ts';
import { baseEnv, runCli } from './helpers.ts';

// Every subcommand answers --help with its usage (exit 0); bad usage is exit 2 with exactly one
// line on stderr that names the problem and --help, and never a stack trace.
const env = baseEnv();

describe('--help', () => {
  const cases: [string[], RegExp][] = [
    [['--help'], /^nova-conformance: conformance suite/],
    [['help'], /^nova-conformance: conformance suite/],
    [['help', 'run'], /^Usage: nova-conformance run \[options\]/],
    ...COMMANDS.map((c): [string[], RegExp] => [
      [c.name, '--help'],
      new RegExp(`^Usage: (nova-conformance )?${c.name}\\b`),
    ]),
    [['run', '--include', 'DETACH-*', '-h'], /^Usage: nova-conformance run/],
  ];
  test.each(cases)('%j exits 0 with its usage on stdout', async (args, usage) => {
    const ran = await runCli(args, env);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(usage);
  });

  test('the overview names every subcommand', async () => {
    const ran = await runCli(['--help'], env);
    for (const c of COMMANDS) expect(ran.stdout).toContain(`nova-conformance ${c.synopsis}`);
  });
});

describe('bad usage', () => {
  test.each([
    [['run', '--bogus'], "nova-conformance run: unknown option '--bogus'"],
    [['--bogus'], "nova-conformance run: unknown option '--bogus'"],
    [['run', 'extra'], "nova-conformance run: unexpected argument 'extra'"],
    [['run', '--filter', '('], "nova-conformance run: --filter '(' is not a valid regular expression"],
    [['run', '--include'], 'nova-conformance run: --include needs a value'],
    [['run', '--include', '--list'], 'nova-conformance run: --include needs a value'],
    [
      ['run', '--include', 'DETAHC-*'],
      "nova-conformance run: 'DETAHC-*' names no behaviour, scenario or tag",
    ],
    [['run', '--include', 'tag:fast'], "nova-conformance run: --include: pattern 'tag:fast': no tag 'fast'"],
    [
      ['run', '--exclude-file', '/nonexistent/f'],
      'nova-conformance run: --exclude-file /nonexistent/f: cannot read it',
    ],
    [['run', '--include', 'DETACH-01', '--exclude', 'detach'], 'leaves no check to run'],
    [
      ['run', '--profile', 'gentle'],
      'nova-conformance run: --profile must be one of read-only, standard, disruptive',
    ],
    [['run', '--reporter', 'tap'], 'nova-conformance run: --reporter must be one of default, dot'],
    [['run', '--no-color=yes'], 'nova-conformance run: --no-color takes no value'],
    [['run', '--profile', 'standard', '--profile', 'disruptive'], '--profile given twice'],
    [['cleanup', '--force'], "nova-conformance cleanup: unknown option '--force'"],
    [['frobnicate'], "nova-conformance: unknown command 'frobnicate'"],
    [['help', 'frobnicate'], "nova-conformance: unknown command 'frobnicate'"],
  ])('%j: exit 2, one line naming the problem and --help', async (args, problem) => {
    const ran = await runCli(args, env);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    const lines = ran.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]).toContain(problem);
    expect(lines[0]).toMatch(/; see 'nova-conformance( \w+)? --help'$/);
    expect(ran.stderr).not.toMatch(/^\s+at /m);
  });
});
