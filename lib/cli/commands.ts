import { parseArgs, wantsHelp } from './args.ts';
import { CLEANUP_HELP, CLEANUP_OPTIONS } from './cleanup-usage.ts';
import { RUN_HELP } from './run-args.ts';

/**
 * The subcommands of `nova-conformance`. Each has its own usage text (`<command> --help`, exit 0)
 * and is loaded only when called. A command without `help` answers `--help` itself (the mock does).
 *
 * Adding one is one registration in COMMANDS below, e.g.
 *   { name: 'bundle', synopsis: 'bundle [<run dir>]', summary: 'pack a run as .tar.gz', run: async (a) => (await import('./bundle.ts')).runBundle(a) },
 */
export interface Command {
  readonly name: string;
  /** What follows `nova-conformance` in the overview, e.g. `cleanup [--dry-run]`. */
  readonly synopsis: string;
  readonly summary: string;
  readonly help?: string;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    synopsis: 'run [options]',
    summary: 'run the conformance suites (the default command; see run --help)',
    help: RUN_HELP,
    run: async (args) => (await import('./run-command.ts')).runCommand(args),
  },
  {
    name: 'mock',
    synopsis: 'mock [--port N] [--release zed|epoxy|2026.2] [--log]',
    summary: 'run the embedded mock cloud in the foreground',
    run: async (args) => (await import('../mock/cli.ts')).runMockCli(args),
  },
  {
    name: 'cleanup',
    synopsis: 'cleanup [--dry-run]',
    summary: 'remove what earlier runs left behind on the cloud',
    help: CLEANUP_HELP,
    run: async (args) => {
      parseArgs('cleanup', args, CLEANUP_OPTIONS);
      return (await import('./cleanup.ts')).runCleanup(args);
    },
  },
  {
    name: 'bundle',
    synopsis: 'bundle [<run dir>] [-o <file.tar.gz>]',
    summary: 'pack a run directory (default: the latest) as .tar.gz',
    run: async (args) => (await import('./bundle.ts')).runBundle(args),
  },
  {
    name: 'verify',
    synopsis: 'verify <run dir | bundle.tar.gz>',
    summary: 'check a results bundle: digests, bodies against the schemas, verdict against the outcomes',
    run: async (args) => (await import('./verify.ts')).runVerify(args),
  },
];

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** `--help` for a command that has a usage text; the others get their arguments as given. */
export async function dispatch(command: Command, args: string[]): Promise<number> {
  if (command.help !== undefined && wantsHelp(args)) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.run(args);
}
