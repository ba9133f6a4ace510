import type { TestContext } from 'vitest';
import type { Fixtures } from './fixtures.ts';
import type { Who } from './preflight.ts';

/**
 * Annotation types the reports understand. vitest's JUnit writer drops skip notes, so every skip
 * is also annotated, and a known upstream defect is recorded apart from pass and fail.
 */
export const SKIP_REASON = 'skip-reason';
export const KNOWN_DEFECT = 'known-upstream-defect';
export const BEHAVIOUR = 'behaviour';
export const MICROVERSION = 'microversion';

/** Skips the test with a reason that reaches every report. */
export async function skipBecause(context: TestContext, reason: string): Promise<never> {
  await context.annotate(reason, SKIP_REASON);
  return context.skip(reason);
}

/** Skips tests that change the cloud when the run is read-only (CONFORMANCE_READ_ONLY=1). */
export async function requireWrites(context: TestContext, fx: Fixtures): Promise<void> {
  if (fx.config.readOnly)
    await skipBecause(context, 'read-only run (CONFORMANCE_READ_ONLY=1): this check changes the cloud');
}

/** Skips when the target's maximum microversion is below what the check needs. */
export async function requireMicroversion(
  context: TestContext,
  fx: Fixtures,
  microversion: string,
): Promise<void> {
  if (!fx.supports(microversion)) {
    await skipBecause(
      context,
      `the cloud's maximum microversion ${fx.s.versions.max} is below ${microversion}`,
    );
  }
}

const HOW_TO: Record<Exclude<Who, 'primary'>, string> = {
  alt: 'a user of a second project (CONFORMANCE_ALT_USERNAME, _PASSWORD, _PROJECT_NAME)',
  reader: 'a reader-only user of the project (CONFORMANCE_READER_USERNAME, _PASSWORD)',
  admin: 'an admin (CONFORMANCE_ADMIN_USERNAME, _PASSWORD, _PROJECT_NAME)',
};

export async function requireIdentity(
  context: TestContext,
  fx: Fixtures,
  who: Exclude<Who, 'primary'>,
): Promise<void> {
  if (!fx.s.has(who)) await skipBecause(context, `needs ${HOW_TO[who]}, which is not configured`);
}

/**
 * Records that the target answered as a known upstream Nova defect does (e.g. Zed's 500 where a
 * 404 is documented). The test still passes its other checks; reports show it apart.
 */
export async function knownUpstreamDefect(context: TestContext, note: string): Promise<void> {
  await context.annotate(note, KNOWN_DEFECT);
}
