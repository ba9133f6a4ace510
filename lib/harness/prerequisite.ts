import type { TestContext } from 'vitest';

/** Annotation types the reports read (lib/report/collect.ts repeats the strings). */
export const BLOCKED_BY = 'blocked-by';
export const PREREQUISITE_FAILURE = 'prerequisite-failure';

/** What a blocked check carries about the step that failed; the same for every check it blocked. */
interface PrerequisiteFailure {
  /** Stable across runs (no ids): the result the reports list once, failed. */
  readonly name: string;
  readonly step: string;
  readonly message: string;
  readonly detail: string;
}

/** vitest's skip signal (PendingError) must pass through untouched. */
function isSkip(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'VITEST_PENDING';
}

function describeError(error: unknown): { message: string; detail: string } {
  if (!(error instanceof Error)) return { message: String(error), detail: String(error) };
  const lines = error.message.split('\n').filter((line) => line.trim() !== '');
  return { message: lines.slice(0, 2).join(' | '), detail: `${error.name}: ${error.message}` };
}

/**
 * Runs a step that arranges a check (boot a server, create or attach a port the check only needs).
 * When it fails, the check is not judged: it is reported blocked by the step, and the step's
 * failure is reported once, as its own result. Outside a test (fidelity) the error goes through.
 */
export async function prerequisite<T>(
  ctx: Pick<TestContext, 'annotate' | 'skip'> | undefined,
  step: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (ctx === undefined || isSkip(error)) throw error;
    const name = `prerequisite: ${step}`;
    const failure: PrerequisiteFailure = { name, step, ...describeError(error) };
    await ctx.annotate(name, BLOCKED_BY);
    await ctx.annotate(JSON.stringify(failure), PREREQUISITE_FAILURE);
    ctx.skip(`blocked by ${name}`);
    throw error; // not reached: skip() throws
  }
}
