import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { DEFAULT_RELEASE, RELEASES } from '../mock/releases.ts';
import { readCloudEntry } from './clouds-yaml.ts';
import { ConfigError } from './errors.ts';
import { readInputFile } from './input-file.ts';
import { checkSettings } from './known-variables.ts';
import { checkReportDir } from './report-dir.ts';
import {
  boolean,
  httpUrl,
  identifier,
  integer,
  microversions,
  oneOf,
  optionalString,
  requiredString,
  seconds,
  uuid,
  type RawEnv,
} from './settings.ts';
import type { CloudConfig, Config, Credentials, EndpointInterface, Profile } from './types.ts';

const PROFILES: readonly Profile[] = ['read-only', 'standard', 'disruptive'];

const DEFAULT_MICROVERSIONS = ['2.1', '2.48', '2.49', '2.69', '2.70', 'latest'] as const;

/**
 * Variables from `.env` in `cwd`, without touching process.env. Real environment variables win,
 * as dotenv does by default; parsing ourselves keeps dotenv from printing its banner.
 */
export function readDotenv(cwd: string): Record<string, string> {
  const path = resolve(cwd, '.env');
  if (!existsSync(path)) return {};
  return parseDotenv(readInputFile(path, '.env', 'a file of NAME=value lines'));
}

/**
 * The variables with a value. An empty OS_* variable counts as unset, as the OpenStack clients
 * treat it (openrc files often export OS_REGION_NAME=""); empty CONFORMANCE_* values were refused
 * before this.
 */
function withValues(env: RawEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && value.trim() !== '') out[name] = value;
  return out;
}

function credentialsFrom(
  env: RawEnv,
  prefix: 'OS' | 'CONFORMANCE_ALT' | 'CONFORMANCE_READER' | 'CONFORMANCE_ADMIN',
  base?: Credentials,
): Credentials {
  const name = (suffix: string): string => `${prefix}_${suffix}`;
  const authUrl =
    prefix === 'OS' ? httpUrl(env, 'OS_AUTH_URL') : (httpUrl(env, name('AUTH_URL')) ?? base?.authUrl);
  if (authUrl === undefined)
    throw new ConfigError(
      name('AUTH_URL'),
      'is required: the Keystone v3 URL, e.g. https://keystone.example.com:5000/v3',
    );

  const authType = prefix === 'OS' ? optionalString(env, 'OS_AUTH_TYPE') : undefined;
  const appCredId = optionalString(env, name('APPLICATION_CREDENTIAL_ID'));
  const method =
    authType === undefined
      ? appCredId !== undefined
        ? 'application_credential'
        : 'password'
      : authType === 'password' || authType === 'v3password'
        ? 'password'
        : authType === 'v3applicationcredential' || authType === 'application_credential'
          ? 'application_credential'
          : undefined;
  if (method === undefined) {
    throw new ConfigError(
      'OS_AUTH_TYPE',
      `expected password, v3password or v3applicationcredential, got '${authType ?? ''}'`,
    );
  }

  if (method === 'application_credential') {
    const id = requiredString(
      env,
      name('APPLICATION_CREDENTIAL_ID'),
      'for application-credential authentication',
    );
    const secret = requiredString(
      env,
      name('APPLICATION_CREDENTIAL_SECRET'),
      'with the application credential id',
    );
    return { authUrl, method, applicationCredentialId: id, applicationCredentialSecret: secret };
  }

  const username = optionalString(env, name('USERNAME'));
  const userId = optionalString(env, name('USER_ID'));
  if (username === undefined && userId === undefined) {
    throw new ConfigError(
      name('USERNAME'),
      `is required (or ${name('USER_ID')}) for password authentication`,
    );
  }
  const password = requiredString(
    env,
    name('PASSWORD'),
    `for password authentication of ${username ?? userId ?? ''}`,
  );
  const inherit = (suffix: string, fromBase: string | undefined): string | undefined =>
    optionalString(env, name(suffix)) ?? (prefix === 'OS' ? undefined : fromBase);
  // A reader works on the primary project, so it inherits the project; alt and admin name their own.
  const projectName =
    optionalString(env, name('PROJECT_NAME')) ??
    (prefix === 'CONFORMANCE_READER' ? base?.projectName : undefined) ??
    (prefix === 'OS' ? optionalString(env, 'OS_TENANT_NAME') : undefined);
  const projectId =
    optionalString(env, name('PROJECT_ID')) ??
    (prefix === 'CONFORMANCE_READER' ? base?.projectId : undefined) ??
    (prefix === 'OS' ? optionalString(env, 'OS_TENANT_ID') : undefined);
  if (projectName === undefined && projectId === undefined) {
    throw new ConfigError(
      name('PROJECT_NAME'),
      `is required (or ${name('PROJECT_ID')}): the suite needs a project-scoped token`,
    );
  }
  const userDomainName = inherit('USER_DOMAIN_NAME', base?.userDomainName);
  // As python-openstackclient does, a name without a domain is looked up in the default domain
  // (OS_DEFAULT_DOMAIN, an id, 'default' unless set).
  const defaultDomain = optionalString(env, 'OS_DEFAULT_DOMAIN') ?? 'default';
  const userDomainId =
    inherit('USER_DOMAIN_ID', base?.userDomainId) ??
    (userDomainName === undefined ? defaultDomain : undefined);
  const projectDomainName = inherit('PROJECT_DOMAIN_NAME', base?.projectDomainName);
  const projectDomainId =
    inherit('PROJECT_DOMAIN_ID', base?.projectDomainId) ??
    (projectDomainName === undefined && projectId === undefined ? defaultDomain : undefined);
  return {
    authUrl,
    method,
    password,
    ...(username !== undefined && { username }),
    ...(userId !== undefined && { userId }),
    ...(userDomainName !== undefined && { userDomainName }),
    ...(userDomainId !== undefined && { userDomainId }),
    ...(projectName !== undefined && { projectName }),
    ...(projectId !== undefined && { projectId }),
    ...(projectDomainName !== undefined && { projectDomainName }),
    ...(projectDomainId !== undefined && { projectDomainId }),
  };
}

function optionalCredentials(
  env: RawEnv,
  prefix: 'CONFORMANCE_ALT' | 'CONFORMANCE_READER' | 'CONFORMANCE_ADMIN',
  base: Credentials,
): Credentials | undefined {
  const given = Object.keys(env).some(
    (key) => key.startsWith(`${prefix}_`) && optionalString(env, key) !== undefined,
  );
  if (!given) return undefined;
  return credentialsFrom(env, prefix, base);
}

function secretsOf(...all: (Credentials | undefined)[]): string[] {
  return all
    .flatMap((c) => [c?.password, c?.applicationCredentialSecret])
    .filter((s): s is string => s !== undefined && s !== '');
}

function cloudConfig(env: RawEnv, cwd: string): CloudConfig {
  const insecure = boolean(env, 'OS_INSECURE', false);
  const caFile = optionalString(env, 'OS_CACERT');
  // Read now (bounded, and it must be a file), so that a directory or a huge file is a one-line
  // configuration error, not an EISDIR from the HTTP client later.
  if (caFile !== undefined) readInputFile(resolve(cwd, caFile), 'OS_CACERT', 'a PEM file of CA certificates');
  if (caFile !== undefined && insecure) {
    throw new ConfigError(
      'OS_INSECURE',
      'contradicts OS_CACERT: either verify against a CA file or disable verification, not both',
    );
  }
  const identityVersion = optionalString(env, 'OS_IDENTITY_API_VERSION');
  if (identityVersion !== undefined && identityVersion !== '3') {
    throw new ConfigError(
      'OS_IDENTITY_API_VERSION',
      `only Keystone v3 is supported, got '${identityVersion}'`,
    );
  }
  const primary = credentialsFrom(env, 'OS');
  const alt = optionalCredentials(env, 'CONFORMANCE_ALT', primary);
  const reader = optionalCredentials(env, 'CONFORMANCE_READER', primary);
  const admin = optionalCredentials(env, 'CONFORMANCE_ADMIN', primary);
  const iface: EndpointInterface = oneOf(env, 'OS_INTERFACE', ['public', 'internal', 'admin'], 'public');
  const regionName = optionalString(env, 'OS_REGION_NAME');
  const computeEndpoint = httpUrl(env, 'CONFORMANCE_COMPUTE_ENDPOINT');
  const networkEndpoint = httpUrl(env, 'CONFORMANCE_NETWORK_ENDPOINT');
  return {
    primary,
    interface: iface,
    tls: { insecure, ...(caFile !== undefined && { caFile: resolve(cwd, caFile) }) },
    ...(alt !== undefined && { alt }),
    ...(reader !== undefined && { reader }),
    ...(admin !== undefined && { admin }),
    ...(regionName !== undefined && { regionName }),
    ...(computeEndpoint !== undefined && { computeEndpoint }),
    ...(networkEndpoint !== undefined && { networkEndpoint }),
  };
}

/**
 * Reads and validates the whole configuration before any request is made.
 * Throws ConfigError (one line, naming the variable) on the first problem.
 */
/**
 * CONFORMANCE_PROFILE, with the older CONFORMANCE_READ_ONLY=1 as another way to say read-only;
 * the two must not contradict each other.
 */
function profileOf(env: RawEnv): Profile {
  const profile = optionalString(env, 'CONFORMANCE_PROFILE');
  const readOnly = boolean(env, 'CONFORMANCE_READ_ONLY', false);
  const chosen = oneOf(env, 'CONFORMANCE_PROFILE', PROFILES, readOnly ? 'read-only' : 'standard');
  if (profile !== undefined && readOnly && chosen !== 'read-only')
    throw new ConfigError(
      'CONFORMANCE_READ_ONLY',
      `is set, but CONFORMANCE_PROFILE is '${chosen}': set CONFORMANCE_PROFILE=read-only, or unset CONFORMANCE_READ_ONLY`,
    );
  return chosen;
}

export function loadConfig(processEnv: RawEnv = process.env, cwd: string = process.cwd()): Config {
  checkSettings(processEnv, 'in the environment');
  const fromDotenv = readDotenv(cwd);
  checkSettings(fromDotenv, `in ${resolve(cwd, '.env')}`);
  let env: Record<string, string | undefined> = { ...withValues(fromDotenv), ...withValues(processEnv) };
  const cloudName = optionalString(env, 'OS_CLOUD');
  if (cloudName !== undefined) {
    // Explicit OS_* variables refine the clouds.yaml entry, as the OpenStack clients allow.
    env = { ...readCloudEntry(cloudName, cwd, env), ...env };
  }
  const target = optionalString(env, 'OS_AUTH_URL') !== undefined ? 'cloud' : 'mock';
  if (target === 'mock') {
    const stray = ['OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_APPLICATION_CREDENTIAL_ID'].find(
      (key) => optionalString(env, key) !== undefined,
    );
    if (stray !== undefined) {
      throw new ConfigError(
        'OS_AUTH_URL',
        `is not set, but ${stray} is: set OS_AUTH_URL (or OS_CLOUD) to test a cloud, or unset ${stray} to test the embedded mock`,
      );
    }
  }
  const cloud = target === 'cloud' ? cloudConfig(env, cwd) : undefined;

  const serverId = uuid(env, 'CONFORMANCE_SERVER_ID');
  const imageId = identifier(env, 'CONFORMANCE_IMAGE_ID');
  const flavorId = identifier(env, 'CONFORMANCE_FLAVOR_ID');
  const networkId = uuid(env, 'CONFORMANCE_NETWORK_ID');
  const requestTimeoutMs = seconds(env, 'CONFORMANCE_REQUEST_TIMEOUT', 60, 0.1, 3600);
  const waitTimeoutMs = seconds(env, 'CONFORMANCE_WAIT_TIMEOUT', 300, 1, 7200);
  const pollIntervalMs = seconds(env, 'CONFORMANCE_POLL_INTERVAL', 1, 0.01, 60);
  if (pollIntervalMs >= waitTimeoutMs) {
    throw new ConfigError(
      'CONFORMANCE_POLL_INTERVAL',
      `must be shorter than CONFORMANCE_WAIT_TIMEOUT (${waitTimeoutMs / 1000} s)`,
    );
  }
  const maxResponseBytes = integer(
    env,
    'CONFORMANCE_MAX_RESPONSE_BYTES',
    10 * 1024 * 1024,
    1024,
    1024 * 1024 * 1024,
  );
  const profile = profileOf(env);
  const readOnly = profile === 'read-only';
  if (readOnly && serverId === undefined && target === 'cloud') {
    throw new ConfigError(
      optionalString(env, 'CONFORMANCE_PROFILE') !== undefined
        ? 'CONFORMANCE_PROFILE'
        : 'CONFORMANCE_READ_ONLY',
      'read-only needs CONFORMANCE_SERVER_ID: the suite cannot boot a server without writing, so name an existing one',
    );
  }
  const reportDir = resolve(cwd, optionalString(env, 'CONFORMANCE_REPORT_DIR') ?? 'reports');
  checkReportDir(reportDir);
  return {
    target,
    ...(cloud !== undefined && { cloud }),
    ...(serverId !== undefined && { serverId }),
    ...(imageId !== undefined && { imageId }),
    ...(flavorId !== undefined && { flavorId }),
    ...(networkId !== undefined && { networkId }),
    microversions: microversions(env, 'CONFORMANCE_MICROVERSIONS', DEFAULT_MICROVERSIONS),
    requestTimeoutMs,
    waitTimeoutMs,
    pollIntervalMs,
    maxResponseBytes,
    profile,
    readOnly,
    // Eight on a cloud: the waits of slow guests (a detach may take seconds) overlap, and the pool
    // waits for its own servers where the project's instance quota is smaller than the run.
    concurrency: integer(env, 'CONFORMANCE_CONCURRENCY', target === 'mock' ? 4 : 8, 1, 32),
    mockRelease: oneOf(env, 'CONFORMANCE_MOCK_RELEASE', RELEASES, DEFAULT_RELEASE),
    policy: oneOf(env, 'CONFORMANCE_POLICY', ['auto', 'legacy', 'new'], 'auto'),
    reportDir,
    secrets: secretsOf(cloud?.primary, cloud?.alt, cloud?.reader, cloud?.admin),
  };
}
