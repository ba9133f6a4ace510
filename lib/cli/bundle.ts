import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MANIFEST_FILE } from '../bundle/manifest.ts';
import { LATEST } from '../bundle/run-dir.ts';
import { reportDirFrom } from '../bundle/settings.ts';
import { packRunDir } from '../bundle/tarball.ts';
import { EXIT_ENVIRONMENT, EXIT_PASSED } from './exit-codes.ts';

export const BUNDLE_HELP = `Usage: nova-conformance bundle [<run dir>] [-o <file.tar.gz>]

Packs a run directory (default: <report dir>/latest, the report dir being CONFORMANCE_REPORT_DIR
or ./reports) as a gzipped tarball for a certifier: junit.xml, summary.json, summary.html,
exchanges.har and manifest.json, under a folder named by the run id. Default output:
./nova-conformance-<run id>.tar.gz. Check it with 'nova-conformance verify <file>'.

Exit codes: 0 written, 2 bad usage or no run directory there.
`;

function usage(message: string): number {
  process.stderr.write(`nova-conformance bundle: ${message}; see nova-conformance bundle --help\n`);
  return EXIT_ENVIRONMENT;
}

/** `nova-conformance bundle [<dir>] [-o file.tar.gz]`. */
export async function runBundle(args: string[]): Promise<number> {
  let dir: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(BUNDLE_HELP);
      return EXIT_PASSED;
    }
    if (arg === '-o' || arg === '--output') {
      out = args[i + 1];
      if (out === undefined || out === '') return usage(`${arg} needs a file name`);
      i += 1;
    } else if (arg.startsWith('-')) return usage(`unknown option '${arg}'`);
    else if (dir === undefined) dir = arg;
    else return usage(`one run directory only, got '${dir}' and '${arg}'`);
  }
  const source = dir ?? join(reportDirFrom(process.env), LATEST);
  if (!existsSync(join(source, MANIFEST_FILE)) || !statSync(source).isDirectory()) {
    process.stderr.write(
      `nova-conformance bundle: ${source} is not a run directory (it holds no ${MANIFEST_FILE})\n`,
    );
    return EXIT_ENVIRONMENT;
  }
  const runId = basename(realpathSync(source));
  const file = resolve(out ?? `nova-conformance-${runId}.tar.gz`);
  await packRunDir(source, file);
  console.log(`nova-conformance bundle: wrote ${file} (run ${runId})`);
  return EXIT_PASSED;
}
