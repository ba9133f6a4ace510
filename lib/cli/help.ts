export const HELP = `nova-conformance: conformance suite for the OpenStack Compute (Nova) os-interface API

Usage:
  nova-conformance [run] [--filter <text>]   run the conformance suites (default command)
  nova-conformance mock [--port N] [--release zed|epoxy|2026.2]
                                             run the embedded mock cloud in the foreground
  nova-conformance cleanup [--dry-run]       remove what earlier runs left behind on the cloud
  nova-conformance --help | --version

Target:
  With OS_AUTH_URL (an openrc) or OS_CLOUD (clouds.yaml) set, the suites test that cloud;
  otherwise they test the embedded mock, started on a free loopback port. Settings are read
  from the environment and from .env; see .env.example for every CONFORMANCE_* variable.
  CONFORMANCE_PROFILE: standard (the default: only the run's own servers and ports),
  disruptive (also server states and the port quota), read-only (no writes at all).

Reports (in CONFORMANCE_REPORT_DIR, default ./reports):
  junit.xml, summary.json, summary.html

Exit codes:
  0  every check passed (skips and known upstream defects are listed, not failures)
  1  a check or a prerequisite failed, or cleanup failed
  2  the run could not start: bad configuration, unreachable endpoint, wrong credentials, ...
  129, 130, 141, 143  interrupted by SIGHUP, Ctrl-C, a closed stdout or SIGTERM;
     what the run created has been removed
`;
