import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';
import ConformanceReporter from '../../lib/report/reporter.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = join(HERE, '..', '..');

/** Known secrets the fixture run is given, so that the tests can search every output for them. */
export const FIXTURE_PASSWORD = 'fixture-Passw0rd-must-not-leak';
export const FIXTURE_TOKEN = `gAAAAA${'Zm9yLXRlc3RzLW9ubHk'.repeat(5)}`;

/**
 * Runs the fixture suites (test/report/fixtures/*.fixture.ts) through vitest's node API with the
 * conformance reporter, as the runner does, and returns what vitest printed.
 */
export async function runFixtures(outputDir: string): Promise<{ console: string }> {
  const env: NodeJS.ProcessEnv = {
    OS_AUTH_URL: 'http://127.0.0.1:9/identity/v3',
    OS_USERNAME: 'fixture-user',
    OS_PASSWORD: FIXTURE_PASSWORD,
    OS_PROJECT_NAME: 'fixture-project',
    OS_REGION_NAME: 'FixtureRegion',
    NOVA_CONFORMANCE_RUN_ID: '20260101-fixture',
    NOVA_CONFORMANCE_PREFLIGHT: JSON.stringify({
      computeBase: 'http://127.0.0.1:9/compute/v2.1',
      versions: { min: '2.1', max: '2.93' },
      tokens: { primary: { value: FIXTURE_TOKEN } },
    }),
  };
  // The fixture tests print these as if the harness had failed to redact them.
  process.env['FIXTURE_PASSWORD'] = FIXTURE_PASSWORD;
  process.env['FIXTURE_TOKEN'] = FIXTURE_TOKEN;
  let printed = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const vitest = await startVitest(
    'test',
    [],
    {
      root: join(HERE, 'fixtures'),
      config: false,
      include: ['*.fixture.ts'],
      watch: false,
      pool: 'forks',
      fileParallelism: false,
      reporters: [new ConformanceReporter({ outputDir, env, target: 'mock' })],
    },
    {},
    { stdout: sink, stderr: sink },
  );
  await vitest.close();
  return { console: printed };
}

const SCHEMA = readFileSync(join(HERE, 'junit.xsd'), 'utf8');

export function validateJunit(xml: string): Promise<XMLValidationResult> {
  return validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: SCHEMA }],
  });
}
