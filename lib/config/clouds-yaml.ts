import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from './bounded-yaml.ts';
import { ConfigError } from './errors.ts';
import { readInputFile } from './input-file.ts';
import type { RawEnv } from './settings.ts';

/** Where openstacksdk looks for clouds.yaml and secure.yaml, in its order of preference. */
function cloudsYamlDirectories(cwd: string, home: string = homedir()): string[] {
  return [cwd, join(home, '.config', 'openstack'), '/etc/openstack'];
}

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readYaml(path: string, variable: string): YamlMap {
  const text = readInputFile(path, variable, 'a YAML file of clouds').toString('utf8');
  const parsed = parseYaml(text, path, variable);
  if (parsed === null || parsed === undefined) return {};
  if (!isMap(parsed)) throw new ConfigError(variable, `${path} must hold a mapping with a 'clouds' key`);
  return parsed;
}

function findFile(
  name: string,
  directories: readonly string[],
  explicit: string | undefined,
): string | undefined {
  if (explicit !== undefined) return explicit;
  return directories.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

function deepMerge(base: YamlMap, overlay: YamlMap): YamlMap {
  const merged: YamlMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key];
    merged[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

const AUTH_KEYS: Record<string, string> = {
  auth_url: 'OS_AUTH_URL',
  username: 'OS_USERNAME',
  user_id: 'OS_USER_ID',
  password: 'OS_PASSWORD',
  project_name: 'OS_PROJECT_NAME',
  project_id: 'OS_PROJECT_ID',
  tenant_name: 'OS_PROJECT_NAME',
  tenant_id: 'OS_PROJECT_ID',
  user_domain_name: 'OS_USER_DOMAIN_NAME',
  user_domain_id: 'OS_USER_DOMAIN_ID',
  project_domain_name: 'OS_PROJECT_DOMAIN_NAME',
  project_domain_id: 'OS_PROJECT_DOMAIN_ID',
  application_credential_id: 'OS_APPLICATION_CREDENTIAL_ID',
  application_credential_secret: 'OS_APPLICATION_CREDENTIAL_SECRET',
};

const TOP_KEYS: Record<string, string> = {
  auth_type: 'OS_AUTH_TYPE',
  region_name: 'OS_REGION_NAME',
  interface: 'OS_INTERFACE',
  cacert: 'OS_CACERT',
};

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Turns the clouds.yaml entry named by OS_CLOUD (merged with secure.yaml, as openstacksdk does)
 * into the OS_* variables an openrc would have set.
 */
export function readCloudEntry(
  cloud: string,
  cwd: string,
  env: RawEnv,
  home?: string,
): Record<string, string> {
  const directories = cloudsYamlDirectories(cwd, home);
  const cloudsPath = findFile('clouds.yaml', directories, env['OS_CLIENT_CONFIG_FILE']);
  if (cloudsPath === undefined || !existsSync(cloudsPath)) {
    throw new ConfigError(
      'OS_CLOUD',
      `names cloud '${cloud}', but no clouds.yaml was found in ${directories.join(', ')}`,
    );
  }
  const clouds = readYaml(
    cloudsPath,
    env['OS_CLIENT_CONFIG_FILE'] !== undefined ? 'OS_CLIENT_CONFIG_FILE' : 'OS_CLOUD',
  );
  const securePath = findFile('secure.yaml', directories, env['OS_CLIENT_SECURE_FILE']);
  const secure =
    securePath !== undefined && existsSync(securePath)
      ? readYaml(
          securePath,
          env['OS_CLIENT_SECURE_FILE'] !== undefined ? 'OS_CLIENT_SECURE_FILE' : 'OS_CLOUD',
        )
      : {};

  const entries = isMap(clouds['clouds']) ? clouds['clouds'] : {};
  const entry = entries[cloud];
  if (!isMap(entry)) {
    const known = Object.keys(entries);
    throw new ConfigError(
      'OS_CLOUD',
      `no cloud named '${cloud}' in ${cloudsPath} (it has: ${known.length > 0 ? known.join(', ') : 'none'})`,
    );
  }
  const secureEntries = isMap(secure['clouds']) ? secure['clouds'] : {};
  const secureEntry = secureEntries[cloud];
  const merged = isMap(secureEntry) ? deepMerge(entry, secureEntry) : entry;

  const out: Record<string, string> = {};
  const auth = isMap(merged['auth']) ? merged['auth'] : {};
  for (const [key, variable] of Object.entries(AUTH_KEYS)) {
    const value = scalar(auth[key]);
    if (value !== undefined) out[variable] = value;
  }
  for (const [key, variable] of Object.entries(TOP_KEYS)) {
    const value = scalar(merged[key]);
    if (value !== undefined) out[variable] = value;
  }
  const verify = merged['verify'];
  if (verify === false) out['OS_INSECURE'] = 'true';
  if (typeof verify === 'string') out['OS_CACERT'] = verify;
  return out;
}
