import { closest } from './edit-distance.ts';
import { ConfigError } from './errors.ts';
import type { RawEnv } from './settings.ts';

/**
 * Every CONFORMANCE_* setting the configuration reads. A name that is not here is a mistake
 * (CONFORMANCE_READONLY=1 would otherwise leave a run read-write without a word), so a new
 * setting must be added here as well as read in load.ts.
 */
const SETTINGS = [
  'CONFORMANCE_SERVER_ID',
  'CONFORMANCE_IMAGE_ID',
  'CONFORMANCE_FLAVOR_ID',
  'CONFORMANCE_NETWORK_ID',
  'CONFORMANCE_COMPUTE_ENDPOINT',
  'CONFORMANCE_NETWORK_ENDPOINT',
  'CONFORMANCE_MICROVERSIONS',
  'CONFORMANCE_POLICY',
  'CONFORMANCE_REQUEST_TIMEOUT',
  'CONFORMANCE_WAIT_TIMEOUT',
  'CONFORMANCE_POLL_INTERVAL',
  'CONFORMANCE_MAX_RESPONSE_BYTES',
  'CONFORMANCE_PROFILE',
  'CONFORMANCE_READ_ONLY',
  'CONFORMANCE_CONCURRENCY',
  'CONFORMANCE_REPORT_DIR',
  'CONFORMANCE_MOCK_RELEASE',
  'CONFORMANCE_KEEP_RUNS',
  'CONFORMANCE_PRODUCT',
  'CONFORMANCE_VENDOR',
  'CONFORMANCE_CLOUD_NAME',
  'CONFORMANCE_PRODUCT_FILE',
] as const;

/** The second identities, each with the openrc variables of one identity after its prefix. */
const IDENTITY_PREFIXES = ['CONFORMANCE_ALT', 'CONFORMANCE_READER', 'CONFORMANCE_ADMIN'] as const;

const IDENTITY_SUFFIXES = [
  'AUTH_URL',
  'USERNAME',
  'USER_ID',
  'PASSWORD',
  'PROJECT_NAME',
  'PROJECT_ID',
  'USER_DOMAIN_NAME',
  'USER_DOMAIN_ID',
  'PROJECT_DOMAIN_NAME',
  'PROJECT_DOMAIN_ID',
  'APPLICATION_CREDENTIAL_ID',
  'APPLICATION_CREDENTIAL_SECRET',
] as const;

export const KNOWN_VARIABLES: readonly string[] = [
  ...SETTINGS,
  ...IDENTITY_PREFIXES.flatMap((prefix) => IDENTITY_SUFFIXES.map((suffix) => `${prefix}_${suffix}`)),
];

const KNOWN = new Set(KNOWN_VARIABLES);

/** Whether a variable is a user setting of this tool (NOVA_CONFORMANCE_* is the runner's own). */
function isSetting(name: string): boolean {
  return name.startsWith('CONFORMANCE_');
}

/**
 * Refuses unknown CONFORMANCE_* names and empty CONFORMANCE_* values from one source (`where`:
 * "in the environment", "in /path/.env"). An empty value is not "unset": over a `.env` that says
 * CONFORMANCE_READ_ONLY=1, an empty one in the environment would turn read-only off. Values are
 * never echoed: a misspelt password variable holds a password.
 */
export function checkSettings(env: RawEnv, where: string): void {
  for (const [name, value] of Object.entries(env)) {
    if (!isSetting(name)) continue;
    if (!KNOWN.has(name)) {
      throw new ConfigError(
        name,
        `(${where}) is not a setting of nova-conformance; the closest one is ${closest(name, KNOWN_VARIABLES) ?? 'none'} (see .env.example)`,
      );
    }
    if (value !== undefined && value.trim() === '')
      throw new ConfigError(
        name,
        `(${where}) is empty: give it a value, or unset it for the default (an empty value does not mean unset)`,
      );
  }
}
