import { readFileSync } from 'node:fs';
import { commandNamed, dispatch } from './commands.ts';
import { EXIT_ENVIRONMENT } from './exit-codes.ts';
import { printFatal } from './fatal.ts';
import { overview } from './help.ts';
import { UsageError, usageLine } from './usage.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Parses the command line and dispatches; returns the exit code. Bad usage is exit 2 with one
 * line on stderr; no error ever reaches the terminal as a stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === '--help' || first === '-h' || first === 'help') {
      const command = first === 'help' && rest[0] !== undefined ? commandNamed(rest[0]) : undefined;
      if (first === 'help' && rest[0] !== undefined && command === undefined)
        throw new UsageError('', `unknown command '${rest[0]}'`);
      return await (command !== undefined ? dispatch(command, ['--help']) : print(overview()));
    }
    if (first === '--version' || first === '-v') return await print(`${version()}\n`);
    // Options without a command are run's, as before the subcommands had their own.
    if (first === undefined || first.startsWith('-'))
      return await dispatch(commandNamed('run') as NonNullable<ReturnType<typeof commandNamed>>, [...argv]);
    const command = commandNamed(first);
    if (command === undefined) throw new UsageError('', `unknown command '${first}'`);
    return await dispatch(command, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${usageLine(error)}\n`);
      return EXIT_ENVIRONMENT;
    }
    printFatal(error);
    return EXIT_ENVIRONMENT;
  }
}

function print(text: string): Promise<number> {
  process.stdout.write(text);
  return Promise.resolve(0);
}
