/**
 * `user:password@` in a URL. Keystone and the catalog never need one, and a URL is printed and
 * stored in many places (errors, reports, journals), so a password in it would leak everywhere.
 * Configured URLs with userinfo are refused (lib/config); URLs from the cloud lose it; text on
 * its way out loses it whatever URL it sits in.
 */

/** True when `url` parses and names a user or a password. */
export function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return USERINFO.test(url);
  }
}

/** `url` without its userinfo; a string that does not parse as a URL is cleaned as text. */
export function withoutUserinfo(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactUserinfo(url);
  }
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  // URL serialisation adds a slash to a bare origin; keep the caller's spelling otherwise.
  const out = parsed.toString();
  return url.endsWith('/') || !out.endsWith('/') ? out : out.slice(0, -1);
}

/**
 * The authority of a `scheme://` URL up to its last `@`, as URL parsers read it: a password may
 * hold an `@` of its own. Stops at what ends a URL in JSON, XML, HTML or prose.
 */
const USERINFO_GLOBAL = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>\\`]*@/gi;
const USERINFO = new RegExp(USERINFO_GLOBAL.source, 'i');

/** Replaces the userinfo of every URL in `text` with `marker`. */
export function redactUserinfo(text: string, marker = ''): string {
  if (!text.includes('@')) return text;
  return text.replace(
    USERINFO_GLOBAL,
    (_match, scheme: string) => `${scheme}${marker}${marker === '' ? '' : '@'}`,
  );
}
