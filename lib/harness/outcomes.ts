import type { Fixtures } from './fixtures.ts';
import type { Who } from './preflight.ts';

/**
 * Annotation types the reports understand. vitest's JUnit writer drops skip notes, so every skip
 * is also annotated, and a known upstream defect is recorded apart from pass and fail.
 */
export const SKIP_REASON = 'skip-reason';
const KNOWN_DEFECT = 'known-upstream-defect';
export const MICROVERSION = 'microversion';

/** Skips the check with a reason that reaches every report. */
export function skipBecause(fx: Fixtures, reason: string): Promise<never> {
  return fx.skipBecause(reason);
}

/** Skips checks that change the cloud in the read-only profile (the request guard would anyway). */
export async function requireWrites(fx: Fixtures): Promise<void> {
  if (fx.config.readOnly)
    await fx.skipBecause(
      'profile read-only (CONFORMANCE_PROFILE=read-only): this check changes the cloud; run it with CONFORMANCE_PROFILE=standard',
    );
}

/**
 * Checks that change more than the run's own ports (a server's state, the project's quota) run
 * only in the disruptive profile.
 */
export async function requireDisruptive(fx: Fixtures, what: string): Promise<void> {
  if (fx.config.profile !== 'disruptive')
    await fx.skipBecause(
      `profile ${fx.config.profile}: this check ${what}; it runs with CONFORMANCE_PROFILE=disruptive`,
    );
}

/** Skips when the target's maximum microversion is below what the check needs. */
export async function requireMicroversion(fx: Fixtures, microversion: string): Promise<void> {
  if (!fx.supports(microversion))
    await fx.skipBecause(`the cloud's maximum microversion ${fx.s.versions.max} is below ${microversion}`);
}

const HOW_TO: Record<Exclude<Who, 'primary'>, string> = {
  alt: 'a user of a second project (CONFORMANCE_ALT_USERNAME, _PASSWORD, _PROJECT_NAME)',
  reader: 'a reader-only user of the project (CONFORMANCE_READER_USERNAME, _PASSWORD)',
  admin: 'an admin (CONFORMANCE_ADMIN_USERNAME, _PASSWORD, _PROJECT_NAME)',
};

export async function requireIdentity(fx: Fixtures, who: Exclude<Who, 'primary'>): Promise<void> {
  if (!fx.s.has(who)) await fx.skipBecause(`needs ${HOW_TO[who]}, which is not configured`);
}

/**
 * Records that the target answered as a known upstream Nova defect does (e.g. Zed's 500 where a
 * 404 is documented). The check still passes its other checks; reports show it apart.
 */
export async function knownUpstreamDefect(fx: Fixtures, note: string): Promise<void> {
  if (fx.ctx !== undefined) await fx.ctx.annotate(note, KNOWN_DEFECT);
}

/** A note on the check that the reports keep with it (why a check was narrowed). */
export async function note(fx: Fixtures, message: string, type: string): Promise<void> {
  if (fx.ctx !== undefined) await fx.ctx.annotate(message, type);
}
