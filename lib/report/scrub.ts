import { REDACTED, redactText } from '../openstack/redact.ts';

/**
 * The last line of defence before text reaches a report file. The harness redacts what it
 * records; this catches what it cannot know about: a token printed by a suite under another
 * header name, a token issued in the worker after the runner's preflight, a config secret.
 */
const TOKEN_HEADER =
  /\b(x-auth-token|x-subject-token|x-service-token|authorization)(["']?\s*[:=]\s*["']?)([^\s"',}]+)/gi;
// Keystone's Fernet tokens (the mock issues the same shape): base64url after a fixed prefix.
const FERNET = /\bgAAAAA[A-Za-z0-9_-]{40,}={0,2}/g;

export function makeScrub(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = redactText(text);
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out
      .replace(TOKEN_HEADER, (_m, name: string, sep: string, value: string) =>
        value === REDACTED ? `${name}${sep}${value}` : `${name}${sep}${REDACTED}`,
      )
      .replace(FERNET, REDACTED);
  };
}

/**
 * A pass over a whole file once written: only values (known secrets, Fernet-shaped tokens), never
 * patterns around header names, which would match the file's own escaped text. In XML and HTML,
 * where every text is escaped and a raw marker therefore cannot occur, the marker it leaves is
 * escaped in turn, so that the pass cannot break the markup it runs over.
 */
export function makeFileScrub(secrets: readonly string[]): (text: string, markup: boolean) => string {
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text: string, markup: boolean): string => {
    let out = redactText(text);
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    out = out.replace(FERNET, REDACTED);
    return markup ? out.split(REDACTED).join('&lt;redacted&gt;') : out;
  };
}
