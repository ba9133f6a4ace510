import { redactUserinfo, withoutUserinfo } from '../openstack/userinfo.ts';
import { ConfigError } from './errors.ts';

/** Raw variables, as read from the environment, .env and clouds.yaml. */
export type RawEnv = Readonly<Record<string, string | undefined>>;

function present(env: RawEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function optionalString(env: RawEnv, name: string): string | undefined {
  return present(env, name);
}

export function requiredString(env: RawEnv, name: string, why: string): string {
  const value = present(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${why}`);
  return value;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export function boolean(env: RawEnv, name: string, fallback: boolean): boolean {
  const value = present(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new ConfigError(name, `expected a boolean (1/0, true/false, yes/no), got '${value}'`);
}

/** A duration in seconds (decimals allowed), returned in milliseconds. */
export function seconds(env: RawEnv, name: string, fallback: number, min: number, max: number): number {
  const value = present(env, name);
  if (value === undefined) return Math.round(fallback * 1000);
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new ConfigError(name, `expected a number of seconds between ${min} and ${max}, got '${value}'`);
  }
  const parsed = Number(value);
  if (parsed < min || parsed > max) {
    throw new ConfigError(name, `expected a number of seconds between ${min} and ${max}, got '${value}'`);
  }
  return Math.round(parsed * 1000);
}

export function integer(env: RawEnv, name: string, fallback: number, min: number, max: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `expected a whole number between ${min} and ${max}, got '${value}'`);
  }
  return Number(value);
}

export function oneOf<T extends string>(env: RawEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = present(env, name);
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got '${value}'`);
  }
  return match;
}

const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function uuid(env: RawEnv, name: string): string | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  if (!UUID_LIKE.test(value)) throw new ConfigError(name, `expected a UUID, got '${value}'`);
  return value;
}

/** An id that Nova or Glance may not spell as a UUID (flavor ids are free-form strings). */
export function identifier(env: RawEnv, name: string): string | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  if (/[\s/]/.test(value))
    throw new ConfigError(name, `expected an id without spaces or slashes, got '${value}'`);
  return value;
}

export function httpUrl(env: RawEnv, name: string): string | undefined {
  const value = present(env, name);
  if (value === undefined) return undefined;
  // The value is echoed only without userinfo: a password in it must not reach the terminal.
  const shown = redactUserinfo(value, '…');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `expected an http:// or https:// URL, got '${shown}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `expected an http:// or https:// URL, got '${shown}'`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ConfigError(
      name,
      `must not hold a user name or password (user:password@ in ${withoutUserinfo(value)}): give them in OS_USERNAME and OS_PASSWORD (or clouds.yaml's auth section)`,
    );
  }
  return value.replace(/\/+$/, '');
}

const MICROVERSION = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** A comma-separated list of compute microversions (X.Y) or `latest`. */
export function microversions(env: RawEnv, name: string, fallback: readonly string[]): string[] {
  const value = present(env, name);
  if (value === undefined) return [...fallback];
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0)
    throw new ConfigError(name, 'expected a comma-separated list such as 2.1,2.70,latest');
  for (const item of items) {
    if (item !== 'latest' && !MICROVERSION.test(item)) {
      throw new ConfigError(name, `'${item}' is not a microversion: expected X.Y (e.g. 2.70) or latest`);
    }
  }
  return items;
}
