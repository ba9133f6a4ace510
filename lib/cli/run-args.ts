import { parseArgs, type OptionSpecs } from './args.ts';
import { UsageError } from './usage.ts';

const PROFILES = ['read-only', 'standard', 'disruptive'] as const;
const REPORTERS = ['default', 'dot'] as const;

export interface RunArgs {
  /** `--filter` regular expressions on the test's full name, as before the registry. */
  readonly filters: readonly RegExp[];
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly includeFiles: readonly string[];
  readonly excludeFiles: readonly string[];
  readonly list: boolean;
  readonly profile: (typeof PROFILES)[number] | undefined;
  readonly reporter: (typeof REPORTERS)[number];
  /** false with --no-color; otherwise undefined (decided by the terminal and the environment). */
  readonly color: false | undefined;
}

const RUN_OPTIONS: OptionSpecs = {
  filter: { kind: 'list', aliases: ['-t'], placeholder: 'a regular expression' },
  include: { kind: 'list', placeholder: 'a pattern: DETACH-*, detach, tag:read-only' },
  exclude: { kind: 'list', placeholder: 'a pattern: DETACH-*, detach, tag:read-only' },
  'include-file': { kind: 'list', placeholder: 'a file of patterns' },
  'exclude-file': { kind: 'list', placeholder: 'a file of patterns' },
  list: { kind: 'switch' },
  profile: { kind: 'value', choices: PROFILES, placeholder: PROFILES.join('|') },
  reporter: { kind: 'value', choices: REPORTERS, placeholder: REPORTERS.join('|') },
  'no-color': { kind: 'switch' },
};

function regExpOf(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '';
    throw new UsageError('run', `--filter '${source}' is not a valid regular expression (${why})`);
  }
}

export function parseRunArgs(args: readonly string[]): RunArgs {
  const parsed = parseArgs('run', args, RUN_OPTIONS);
  const list = (name: string): readonly string[] => parsed.lists.get(name) ?? [];
  const profile = parsed.values.get('profile');
  const reporter = parsed.values.get('reporter');
  return {
    filters: list('filter').map(regExpOf),
    include: list('include'),
    exclude: list('exclude'),
    includeFiles: list('include-file'),
    excludeFiles: list('exclude-file'),
    list: parsed.switches.has('list'),
    profile: PROFILES.find((p) => p === profile),
    reporter: REPORTERS.find((r) => r === reporter) ?? 'default',
    color: parsed.switches.has('no-color') ? false : undefined,
  };
}

export const RUN_HELP = `Usage: nova-conformance run [options]

Runs the conformance suites against the configured cloud (OS_AUTH_URL or OS_CLOUD), or against
the embedded mock when none is configured, and writes junit.xml, summary.json and summary.html.

Selection (checks left out are reported as "not selected", apart from skips):
  --include PATTERN       run only behaviours the pattern names (repeatable)
  --exclude PATTERN       leave out behaviours the pattern names (repeatable; wins over --include)
  --include-file FILE     patterns from a file, one a line; # comments and blank lines ignored
  --exclude-file FILE     the same, to leave out
  --filter REGEX, -t      only tests whose full name matches the regular expression (repeatable)
  --list                  print the checks that would run, with tags and level; contacts no cloud

  A PATTERN is a behaviour ID glob (DETACH-*, MV-0?), a scenario (detach, the suite file's name),
  or id:GLOB, scenario:GLOB, tag:TAG, level:required|advisory. A pattern that names no behaviour
  is bad usage. Tags: read-only, disruptive, needs-admin, needs-reader, needs-second-project,
  needs-two-servers, known-upstream-defect (docs/behaviours.md).

Run:
  --profile P             read-only, standard or disruptive (as CONFORMANCE_PROFILE; the flag wins)
  --reporter R            default (a line per scenario) or dot (a character per check), then the summary
  --no-color              no colour (also: NO_COLOR or CI set; FORCE_COLOR forces colour)
  --help                  show this help

Exit codes: 0 passed, 1 a check failed, 2 bad usage or the run could not start, 130 interrupted.
`;
