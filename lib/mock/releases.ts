// What differs between the Nova releases the mock imitates, each as its recording shows it
// (test/fixtures/real-nova/): one profile per release, read by Nova and Neutron alike.

export const RELEASES = ['zed', 'epoxy', '2026.2'] as const;
export type Release = (typeof RELEASES)[number];

export const DEFAULT_RELEASE: Release = 'zed';

export interface ReleaseProfile {
  readonly release: Release;
  /** Nova's package version, for messages and docs */
  readonly nova: string;
  /** Neutron's major version of the same cycle (21, 26, 29), for the few Neutron answers that differ */
  readonly neutron: number;
  /** the maximum compute microversion, as 2.<maxMinor> */
  readonly maxMinor: number;
  /** the legacy v2.0 entry of the version documents */
  readonly v20: { readonly status: 'SUPPORTED' | 'DEPRECATED'; readonly updated: string };
  /** nova.version's support text inside every "Unexpected API Error" */
  readonly supportText: string;
  /**
   * oslo.policy's enforce_new_defaults: reader may read, only member may write. Off (the deprecated
   * admin_or_owner rule, any role of the owning project) before 2023.1.
   */
  readonly newPolicyDefaults: boolean;
  /** From this microversion os-interface list/show reject unknown query parameters (undefined: never). */
  readonly queryValidationFromMinor: number | undefined;
  /**
   * Neutron's delete_port lets a project member delete a port whose device_owner is compute:* (only a
   * service token or an admin may from Neutron 29 on).
   */
  readonly memberDeletesComputePorts: boolean;
}

const OLD_SUPPORT =
  'Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.';

export const PROFILES: Readonly<Record<Release, ReleaseProfile>> = {
  zed: {
    release: 'zed',
    nova: '26 (Zed)',
    neutron: 21,
    maxMinor: 93,
    v20: { status: 'SUPPORTED', updated: '2011-01-21T11:33:21Z' },
    supportText: OLD_SUPPORT,
    newPolicyDefaults: false,
    queryValidationFromMinor: undefined,
    memberDeletesComputePorts: true,
  },
  epoxy: {
    release: 'epoxy',
    nova: '31 (2025.1 Epoxy)',
    neutron: 26,
    maxMinor: 100,
    v20: { status: 'SUPPORTED', updated: '2011-01-21T11:33:21Z' },
    supportText: OLD_SUPPORT,
    newPolicyDefaults: true,
    queryValidationFromMinor: undefined,
    memberDeletesComputePorts: true,
  },
  '2026.2': {
    release: '2026.2',
    nova: '34 (2026.2)',
    neutron: 29,
    maxMinor: 104,
    v20: { status: 'DEPRECATED', updated: '2025-07-04T12:00:00Z' },
    supportText: 'Please contact the administrator',
    newPolicyDefaults: true,
    queryValidationFromMinor: 102,
    memberDeletesComputePorts: false,
  },
};

export function isRelease(value: unknown): value is Release {
  return typeof value === 'string' && (RELEASES as readonly string[]).includes(value);
}

/** The profile of a release; throws on a name the mock does not imitate (callers from plain JS). */
export function profileOf(release: Release | undefined): ReleaseProfile {
  const name = release ?? DEFAULT_RELEASE;
  if (!isRelease(name))
    throw new Error(`mock: unknown release '${String(name)}' (one of ${RELEASES.join(', ')})`);
  return PROFILES[name];
}

/**
 * The imitated release whose maximum microversion is `max` ("2.100"), for a caller that knows a real
 * cloud's version document and wants the mock of the same release; undefined for any other maximum.
 */
export function releaseWithMaximum(max: string): Release | undefined {
  return RELEASES.find((r) => `2.${PROFILES[r].maxMinor}` === max.trim());
}
