import type { Config, Credentials } from '../config/types.ts';
import {
  computeRoot,
  readComputeVersion,
  normaliseComputeEndpoint,
  type VersionRange,
} from '../openstack/compute.ts';
import { authenticate, endpointFor, type Token } from '../openstack/keystone.ts';
import type { HttpClient } from '../openstack/http.ts';
import { normaliseNetworkEndpoint } from '../openstack/network.ts';
import { registerSecret } from '../openstack/redact.ts';

export type Who = 'primary' | 'alt' | 'reader' | 'admin';

/** What the runner learns once before the suites start, and hands to the test worker (run-context.ts). */
export interface Preflight {
  readonly computeBase: string;
  readonly computeRoot: string;
  readonly networkBase: string;
  readonly imageBase?: string;
  readonly versions: VersionRange;
  /** GET {computeBase}/ as the cloud answered it (the bundle's manifest keeps it). */
  readonly versionDocument: unknown;
  readonly tokens: Partial<Record<Who, Token>>;
}

export function credentialsOf(config: Config, who: Who): Credentials | undefined {
  const cloud = config.cloud;
  if (cloud === undefined) return undefined;
  return who === 'primary' ? cloud.primary : cloud[who];
}

/**
 * Authenticates every configured identity, finds the compute and network endpoints and reads the
 * microversion range. Any failure here is an environment failure: the runner exits 2.
 */
export async function preflight(config: Config, http: HttpClient): Promise<Preflight> {
  const cloud = config.cloud;
  if (cloud === undefined) throw new Error('preflight needs a cloud configuration');
  for (const secret of config.secrets) registerSecret(secret);
  // Every identity at once (Keystone takes a quarter of a second per password on the devcloud);
  // a failure is still reported as the first configured identity that failed, in this order.
  const identities = (['alt', 'reader', 'admin'] as const).flatMap((who) => {
    const credentials = cloud[who];
    return credentials === undefined
      ? []
      : [authenticate(http, credentials).then((token) => ({ who, token }))];
  });
  const others = Promise.allSettled(identities);
  const primary = await authenticate(http, cloud.primary);
  const tokens: Partial<Record<Who, Token>> = { primary };
  const region = cloud.regionName;
  const computeBase = normaliseComputeEndpoint(
    cloud.computeEndpoint ?? endpointFor(primary.catalog, ['compute'], cloud.interface, region),
    primary.projectId,
  );
  const networkBase = normaliseNetworkEndpoint(
    cloud.networkEndpoint ?? endpointFor(primary.catalog, ['network'], cloud.interface, region),
  );
  let imageBase: string | undefined;
  try {
    imageBase = endpointFor(primary.catalog, ['image'], cloud.interface, region).replace(/\/v2$/, '');
  } catch {
    imageBase = undefined;
  }
  const version = readComputeVersion(http, computeBase);
  // Until the tokens are judged below, its failure must not be an unhandled rejection.
  version.catch(() => undefined);
  for (const outcome of await others) {
    if (outcome.status === 'rejected') throw outcome.reason;
    tokens[outcome.value.who] = outcome.value.token;
  }
  const { range: versions, document: versionDocument } = await version;
  return {
    computeBase,
    computeRoot: computeRoot(computeBase),
    networkBase,
    versions,
    versionDocument,
    tokens,
    ...(imageBase !== undefined && { imageBase }),
  };
}
