import type { Fixtures } from '../../lib/harness/fixtures.ts';

export interface PolicyMode {
  /** Whether the cloud enforces Nova's new (2023.1+) defaults, under which a reader may not write. */
  readonly newDefaults: boolean;
  readonly why: string;
}

/**
 * Which policy defaults the cloud enforces. `enforce_new_defaults` became the default in 2023.1
 * (maximum microversion 2.95); before that (Zed: 2.93) the deprecated `admin_or_owner` rule still
 * passes any role on the owning project. CONFORMANCE_POLICY overrides the guess.
 */
export function policyMode(fx: Fixtures): PolicyMode {
  const setting = fx.config.policy;
  if (setting === 'new') return { newDefaults: true, why: 'CONFORMANCE_POLICY=new' };
  if (setting === 'legacy') return { newDefaults: false, why: 'CONFORMANCE_POLICY=legacy' };
  const max = fx.s.versions.max;
  return fx.supports('2.95')
    ? { newDefaults: true, why: `maximum microversion ${max} (2023.1 or later enforces the new defaults)` }
    : {
        newDefaults: false,
        why: `maximum microversion ${max} is below 2.95: a release before 2023.1, whose default policy lets any role of the owning project attach and detach`,
      };
}
