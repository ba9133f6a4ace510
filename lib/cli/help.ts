import { COMMANDS } from './commands.ts';

/** The overview: every subcommand on a line, then what all of them share. */
const COLUMN = 40;

function row(left: string, right: string): string {
  if (right === '') return `  ${left}`;
  return left.length < COLUMN
    ? `  ${left.padEnd(COLUMN)}${right}`
    : `  ${left}\n  ${''.padEnd(COLUMN)}${right}`;
}

export function overview(): string {
  const commands = COMMANDS.map((c) => row(`nova-conformance ${c.synopsis}`, c.summary)).join('\n');
  return `nova-conformance: conformance suite for the OpenStack Compute (Nova) os-interface API

Usage:
${commands}
${row('nova-conformance <command> --help', 'the options of one command')}
${row('nova-conformance --help | --version', '')}

Target:
  With OS_AUTH_URL (an openrc) or OS_CLOUD (clouds.yaml) set, the suites test that cloud;
  otherwise they test the embedded mock, started on a free loopback port. Settings are read
  from the environment and from .env; see .env.example for every CONFORMANCE_* variable.
  CONFORMANCE_PROFILE (or run --profile): standard (the default: only the run's own servers
  and ports), disruptive (also server states and the port quota), read-only (no writes at all).

Reports (in CONFORMANCE_REPORT_DIR, default ./reports):
  <run id>/: junit.xml, summary.json, summary.html, exchanges.har, manifest.json;
  latest points at the last run (CONFORMANCE_KEEP_RUNS runs are kept).
  Hand a run over with 'nova-conformance bundle', check one with 'nova-conformance verify'.

Exit codes:
  0  every check passed (skips and known upstream defects are listed, not failures)
  1  a check or a prerequisite failed, or cleanup failed
  2  bad usage (one line on stderr), or the run could not start: bad configuration,
     unreachable endpoint, wrong credentials, ...
  129, 130, 141, 143  interrupted by SIGHUP, Ctrl-C, a closed stdout or SIGTERM;
     what the run created has been removed
`;
}
