import type { Release } from '../mock/releases.ts';
/** How the suite authenticates one identity against Keystone v3. */
export interface Credentials {
  readonly authUrl: string;
  readonly method: 'password' | 'application_credential';
  readonly username?: string;
  readonly userId?: string;
  readonly password?: string;
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  readonly projectName?: string;
  readonly projectId?: string;
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  readonly applicationCredentialId?: string;
  readonly applicationCredentialSecret?: string;
}

export interface Tls {
  readonly caFile?: string;
  readonly insecure: boolean;
}

export type EndpointInterface = 'public' | 'internal' | 'admin';
type PolicyDefaults = 'auto' | 'legacy' | 'new';

/**
 * What a run may change on the cloud (docs/safety.md): `read-only` sends no write at all,
 * `standard` creates, attaches, detaches and deletes only its own servers and ports, `disruptive`
 * adds server state changes (on a server the run booted) and the project's port quota.
 */
export type Profile = 'read-only' | 'standard' | 'disruptive';

export interface CloudConfig {
  readonly primary: Credentials;
  /** A user of a second project, for cross-project checks. */
  readonly alt?: Credentials;
  /** A user with only the reader role on the primary project. */
  readonly reader?: Credentials;
  /** An admin, for checks that only an admin can set up (quota, admin lock bypass). */
  readonly admin?: Credentials;
  readonly regionName?: string;
  readonly interface: EndpointInterface;
  readonly tls: Tls;
  readonly computeEndpoint?: string;
  readonly networkEndpoint?: string;
}

export interface Config {
  /** `mock` when neither OS_AUTH_URL nor OS_CLOUD is set: the run starts the embedded mock. */
  readonly target: 'mock' | 'cloud';
  readonly cloud?: CloudConfig;
  readonly serverId?: string;
  readonly imageId?: string;
  readonly flavorId?: string;
  readonly networkId?: string;
  readonly microversions: readonly string[];
  readonly requestTimeoutMs: number;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly maxResponseBytes: number;
  readonly profile: Profile;
  /** Same as `profile === 'read-only'`, kept for the HTTP client's last line of defence. */
  readonly readOnly: boolean;
  /** How many checks run at once, each on its own fixtures (CONFORMANCE_CONCURRENCY). */
  readonly concurrency: number;
  /** The release the embedded mock imitates (CONFORMANCE_MOCK_RELEASE); unused for a cloud. */
  readonly mockRelease: Release;
  readonly policy: PolicyDefaults;
  readonly reportDir: string;
  /** Every secret the configuration holds, so that output can be scrubbed of them. */
  readonly secrets: readonly string[];
}
