import type { TestProject } from 'vitest/node';
import { handedOver, prepareRun } from './prepare.ts';
import { RUN_CONTEXT_KEY } from './run-context.ts';

/**
 * Gives the test worker the run: the one `nova-conformance run` prepared, or, when vitest runs the
 * suites directly (`npm test`), one prepared here and cleaned up at the end.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const handoff = handedOver();
  if (handoff !== undefined) {
    const early = await handoff.early;
    project.provide(RUN_CONTEXT_KEY, { ...handoff.run.context, ...(early !== undefined && { early }) });
    return undefined;
  }
  const run = await prepareRun(process.env);
  project.provide(RUN_CONTEXT_KEY, run.context);
  return async () => {
    const result = await run.finish();
    for (const line of result.failed) console.error(`cleanup failed: ${line}`);
  };
}
