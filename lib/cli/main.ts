import { readFileSync } from 'node:fs';
import { EXIT_ENVIRONMENT } from './exit-codes.ts';
import { printFatal } from './fatal.ts';
import { HELP } from './help.ts';
import { runConformance } from './run.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Parses the command line and dispatches; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === '--help' || first === '-h' || first === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      console.log(version());
      return 0;
    }
    if (first === 'mock') {
      const { runMockCli } = await import('../mock/cli.ts');
      return await runMockCli([...rest]);
    }
    if (first === 'bundle') return await (await import('./bundle.ts')).runBundle([...rest]);
    if (first === 'verify') return await (await import('./verify.ts')).runVerify([...rest]);
    if (first === 'cleanup') {
      const { runCleanup } = await import('./cleanup.ts');
      return await runCleanup([...rest]);
    }
    const args = first === 'run' ? rest : argv;
    const filters: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
      const arg = args[i];
      if (arg === '--filter' || arg === '-t') {
        const value = args[i + 1];
        if (value === undefined) throw new Error(`${arg} needs a value`);
        filters.push(value);
        i += 1;
      } else {
        process.stderr.write(
          `nova-conformance: unknown argument '${arg ?? ''}'; see nova-conformance --help\n`,
        );
        return EXIT_ENVIRONMENT;
      }
    }
    return await runConformance({ filters });
  } catch (error) {
    printFatal(error);
    return EXIT_ENVIRONMENT;
  }
}
