import type { OptionSpecs } from './args.ts';

export const CLEANUP_OPTIONS: OptionSpecs = { 'dry-run': { kind: 'switch' } };

export const CLEANUP_HELP = `Usage: nova-conformance cleanup [--dry-run]

Finds what earlier runs left on the cloud (runs that died before their own cleanup) by the
journals in the report folder and by the name marker every resource carries, and removes it.
Runs still in progress on this host are left alone. Needs a configured cloud (OS_AUTH_URL or
OS_CLOUD) and a profile other than read-only.

  --dry-run   list what would be removed, change nothing
  --help      show this help

Exit codes: 0 nothing left or all removed, 1 something could not be removed, 2 bad usage or
configuration.
`;
