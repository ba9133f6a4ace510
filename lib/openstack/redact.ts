import { deeperThan } from './json-depth.ts';
import { redactUserinfo } from './userinfo.ts';

/**
 * Keeps secrets out of everything the suite prints or writes. Tokens are registered as they are
 * obtained, passwords and application-credential secrets from the configuration.
 */
const secrets = new Set<string>();

export const REDACTED = '<redacted>';

const SECRET_HEADERS = new Set([
  'x-auth-token',
  'x-subject-token',
  'x-service-token',
  'authorization',
  'cookie',
  'set-cookie',
]);
const SECRET_KEYS = new Set(['password', 'secret', 'token', 'id_token', 'access_token', 'passcode', 'totp']);

export function registerSecret(value: string | undefined): void {
  // Very short values would scrub ordinary words out of reports; no real secret is that short.
  if (value !== undefined && value.length >= 4) secrets.add(value);
}

/** Known secrets, and the userinfo of any URL (`http://user:password@host`), as REDACTED. */
export function redactText(text: string): string {
  let out = redactUserinfo(text, REDACTED);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

export function redactHeaders(
  headers: Readonly<Record<string, string | string[]>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase()))
      out[name] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    else out[name] = Array.isArray(value) ? value.map(redactText) : redactText(value);
  }
  return out;
}

function redactValue(value: unknown, key?: string): unknown {
  if (key !== undefined && SECRET_KEYS.has(key.toLowerCase()) && typeof value === 'string') return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  }
  return typeof value === 'string' ? redactText(value) : value;
}

/** Redacts a JSON body by key (password, secret, ...) and by known secret values; other text by value. */
export function redactBody(text: string): string {
  if (text === '') return text;
  // redactValue recurses: a body nested past the limit is redacted as text (by value) instead.
  if (deeperThan(text)) return redactText(text);
  try {
    return JSON.stringify(redactValue(JSON.parse(text)));
  } catch {
    return redactText(text);
  }
}
