import type { TestProject } from 'vitest/node';
import { prepareRun, PREPARED_VARIABLE } from './prepare.ts';

/**
 * Prepares the target when the suites are started by vitest directly (`npm test`); the
 * `nova-conformance run` command prepares it itself, for clean exit codes, and sets the marker.
 */
export default async function setup(_project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env[PREPARED_VARIABLE] !== undefined) return undefined;
  const run = await prepareRun(process.env);
  return async () => {
    const result = await run.finish();
    for (const line of result.failed) console.error(`cleanup failed: ${line}`);
    delete process.env[PREPARED_VARIABLE];
  };
}
