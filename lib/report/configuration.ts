import type { Config, Credentials } from '../config/types.ts';
import { withoutUserinfo } from '../openstack/userinfo.ts';

/**
 * The run's configuration as the summary shows it. Built field by field from an allow-list, never
 * by copying the object, so that a secret added to Config later cannot reach a report by default.
 */
function identity(credentials: Credentials | undefined): Record<string, unknown> | undefined {
  if (credentials === undefined) return undefined;
  return {
    // The configuration refuses userinfo already; a report must not depend on that alone.
    authUrl: withoutUserinfo(credentials.authUrl),
    method: credentials.method,
    username: credentials.username,
    userId: credentials.userId,
    userDomain: credentials.userDomainName ?? credentials.userDomainId,
    projectName: credentials.projectName,
    projectId: credentials.projectId,
    projectDomain: credentials.projectDomainName ?? credentials.projectDomainId,
    // The id names the credential; only its secret is secret.
    applicationCredentialId: credentials.applicationCredentialId,
  };
}

function optionalUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : withoutUserinfo(url);
}

export function publicConfiguration(config: Config): Record<string, unknown> {
  const cloud = config.cloud;
  return {
    target: config.target,
    ...(config.target === 'mock' && { mockRelease: config.mockRelease }),
    cloud:
      cloud === undefined
        ? undefined
        : {
            region: cloud.regionName,
            interface: cloud.interface,
            tls: { caFile: cloud.tls.caFile, insecure: cloud.tls.insecure },
            computeEndpoint: optionalUrl(cloud.computeEndpoint),
            networkEndpoint: optionalUrl(cloud.networkEndpoint),
            primary: identity(cloud.primary),
            alt: identity(cloud.alt),
            reader: identity(cloud.reader),
            admin: identity(cloud.admin),
          },
    serverId: config.serverId,
    imageId: config.imageId,
    flavorId: config.flavorId,
    networkId: config.networkId,
    microversions: config.microversions,
    requestTimeoutMs: config.requestTimeoutMs,
    waitTimeoutMs: config.waitTimeoutMs,
    pollIntervalMs: config.pollIntervalMs,
    maxResponseBytes: config.maxResponseBytes,
    readOnly: config.readOnly,
    policy: config.policy,
  };
}
