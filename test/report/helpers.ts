import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';
import type { FinishInput } from '../../lib/report/build.ts';
import ConsoleReporter from '../../lib/report/console.ts';
import type { RunReport } from '../../lib/report/model.ts';
import ConformanceReporter from '../../lib/report/reporter.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = join(HERE, '..', '..');

/** Known secrets the fixture run is given, so that the tests can search every output for them. */
export const FIXTURE_PASSWORD = 'fixture-Passw0rd-must-not-leak';
export const FIXTURE_TOKEN = `gAAAAA${'Zm9yLXRlc3RzLW9ubHk'.repeat(5)}`;

export const FIXTURE_RUN_ID = '20260101-fixture';

export interface FixtureRun {
  /** What the console reporter printed. */
  readonly console: string;
  readonly report: RunReport;
  readonly paths: readonly string[];
}

export interface FixtureOptions {
  /** Globs under test/report/fixtures; the top-level fixtures by default. */
  readonly include?: readonly string[];
  /** Given: the reports are written when finish() is called with it, as the runner does. */
  readonly finish?: FinishInput;
  readonly debug?: boolean;
}

/**
 * Runs the fixture suites through vitest's node API with the conformance and console reporters,
 * wired as the runner wires them, and returns what the console printed and the model.
 */
export async function runFixtures(outputDir: string, options: FixtureOptions = {}): Promise<FixtureRun> {
  const env: NodeJS.ProcessEnv = {
    OS_AUTH_URL: 'http://127.0.0.1:9/identity/v3',
    OS_USERNAME: 'fixture-user',
    OS_PASSWORD: FIXTURE_PASSWORD,
    OS_PROJECT_NAME: 'fixture-project',
    OS_REGION_NAME: 'FixtureRegion',
    // Run data of the old contract: the reporter must no longer read it.
    NOVA_CONFORMANCE_RUN_ID: 'from-the-environment',
    NOVA_CONFORMANCE_PREFLIGHT: JSON.stringify({ computeBase: 'http://from-the-environment/' }),
  };
  // The fixture tests print these as if the harness had failed to redact them.
  process.env['FIXTURE_PASSWORD'] = FIXTURE_PASSWORD;
  process.env['FIXTURE_TOKEN'] = FIXTURE_TOKEN;
  let printed = '';
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const terminal = new ConsoleReporter({
    stream: { write: (text: string) => (printed += text) },
    color: false,
    cwd: outputDir,
    ...(options.debug !== undefined && { debug: options.debug }),
  });
  const conformance = new ConformanceReporter({
    outputDir,
    // The report tests read the three reports straight from outputDir; test/bundle reads run directories.
    runDirectory: false,
    env,
    runId: FIXTURE_RUN_ID,
    target: 'mock',
    facts: { computeEndpoint: 'http://127.0.0.1:9/compute/v2.1', microversions: { min: '2.1', max: '2.93' } },
    writeOn: options.finish !== undefined ? 'finish' : 'run-end',
    ...(options.debug !== undefined && { debug: options.debug }),
    onReport: (report, paths) => terminal.printReport(report, paths),
  });
  const vitest = await startVitest(
    'test',
    [],
    {
      root: join(HERE, 'fixtures'),
      config: false,
      include: [...(options.include ?? ['*.fixture.ts'])],
      watch: false,
      pool: 'forks',
      fileParallelism: false,
      reporters: [terminal, conformance],
    },
    {},
    // vitest's own output (none is expected with these reporters) goes nowhere.
    { stdout: sink, stderr: sink },
  );
  await vitest.close();
  const finished = options.finish !== undefined ? conformance.finish(options.finish) : conformance.last;
  if (finished === undefined) throw new Error('the fixture run wrote no report');
  return { console: printed, report: finished.report, paths: finished.paths };
}

const SCHEMA = readFileSync(join(HERE, 'junit.xsd'), 'utf8');

export function validateJunit(xml: string): Promise<XMLValidationResult> {
  return validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: SCHEMA }],
  });
}
