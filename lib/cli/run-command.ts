import { listLines } from './list.ts';
import { parseRunArgs } from './run-args.ts';
import { runConformance } from './run.ts';
import { planSelection } from './selection.ts';

/** `nova-conformance run [options]`: the options, the selection, then the run (or the list). */
export async function runCommand(args: readonly string[]): Promise<number> {
  const options = parseRunArgs(args);
  const plan = await planSelection(options);
  if (options.list) {
    process.stdout.write(`${listLines(plan.checks ?? [], plan.isSelected).join('\n')}\n`);
    return 0;
  }
  if (options.profile !== undefined) {
    // The flag wins over the environment and .env; the older read-only switch would contradict it.
    process.env['CONFORMANCE_PROFILE'] = options.profile;
    delete process.env['CONFORMANCE_READ_ONLY'];
  }
  return runConformance({ selection: plan, reporter: options.reporter, color: options.color });
}
