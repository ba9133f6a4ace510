import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpackBundle } from '../bundle/tarball.ts';
import { installedSuite, verifyRunDir, type Verdict } from '../bundle/verify.ts';
import { EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_PASSED } from './exit-codes.ts';

const TOOL_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const VERIFY_HELP = `Usage: nova-conformance verify <run dir | bundle.tar.gz>

Checks a results bundle without the cloud it was made against: the digest of every file in
manifest.json (and of the manifest itself); every response body in exchanges.har validated again
against the schemas of this installation, which must be the suite version the manifest names; the
totals and the verdict re-derived from the results in summary.json; junit.xml against them,
testcase by testcase; and each outcome against its exchanges (a check recorded as passed whose
body fails its schema, a failed check whose exchange is not in exchanges.har). Prints one line.

Exit codes: 0 intact and consistent, 1 something is wrong (the line names the file),
2 bad usage, unreadable input, or a bundle of another suite version.
`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** `nova-conformance verify <dir|tgz>`: one line, exit 0, 1 or 2. */
export async function runVerify(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(VERIFY_HELP);
    return EXIT_PASSED;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown !== undefined || args.length !== 1) {
    process.stderr.write(
      `nova-conformance verify: ${unknown !== undefined ? `unknown option '${unknown}'` : 'give one run directory or bundle'}; see nova-conformance verify --help\n`,
    );
    return EXIT_ENVIRONMENT;
  }
  const input = args[0] ?? '';
  const label = input;
  let verdict: Verdict;
  let remove = (): void => undefined;
  try {
    if (!existsSync(input)) {
      say(`verify: ${label}: cannot be read (no such file or directory)`);
      return EXIT_ENVIRONMENT;
    }
    let dir = input;
    if (!statSync(input).isDirectory()) {
      const unpacked = await unpackBundle(input);
      dir = unpacked.dir;
      remove = unpacked.remove;
    }
    verdict = verifyRunDir(dir, installedSuite(TOOL_ROOT));
  } catch (error) {
    remove();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    say(`verify: ${label}: cannot be read (${reason ?? 'unknown error'})`);
    return EXIT_ENVIRONMENT;
  }
  remove();
  if (verdict.kind === 'cannot') {
    say(`verify: ${label}: ${verdict.reason}`);
    return EXIT_ENVIRONMENT;
  }
  if (verdict.kind === 'problems') {
    const [first, ...more] = verdict.problems;
    const rest = more.length === 0 ? '' : ` (and ${more.length} more)`;
    say(`verify: ${label}: ${first?.file ?? '?'}: ${first?.message ?? ''}${rest}`);
    return EXIT_FAILED;
  }
  say(`verify: ${label}: intact and consistent (${verdict.summary})`);
  return EXIT_PASSED;
}
