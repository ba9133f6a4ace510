// Microversion negotiation as nova.api.openstack.wsgi + microversion_parse do it.
import type { IncomingMessage } from 'node:http';
import type { ReleaseProfile } from '../releases.ts';

export interface Version {
  major: number;
  minor: number;
}

const MIN_VERSION: Version = { major: 2, minor: 1 };
export const maxVersion = (profile: ReleaseProfile): Version => ({ major: 2, minor: profile.maxMinor });

export const vstr = (v: Version): string => `${v.major}.${v.minor}`;
const vcmp = (a: Version, b: Version): number => a.major - b.major || a.minor - b.minor;
/** The versions controllers compare against are a few literals: each is parsed once. */
const THRESHOLDS = new Map<string, Version>();
export const atLeast = (v: Version, text: string): boolean => {
  let threshold = THRESHOLDS.get(text);
  if (threshold === undefined) {
    const [major, minor] = text.split('.').map(Number);
    threshold = { major: major ?? 0, minor: minor ?? 0 };
    if (THRESHOLDS.size < 1000) THRESHOLDS.set(text, threshold);
  }
  return vcmp(v, threshold) >= 0;
};

export type VersionResult =
  | { kind: 'ok'; version: Version }
  | { kind: 'invalid'; text: string }
  | { kind: 'unsupported'; version: Version };

function headerValues(headers: IncomingMessage['headers'], name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The requested version text, or undefined when the client asked for none. */
function requestedVersion(headers: IncomingMessage['headers']): string | undefined {
  const standard = headers['openstack-api-version'];
  // The usual request: one standard header naming compute alone, or no version header at all.
  if (typeof standard === 'string' && /^\s*compute\s+[^,\s]+\s*$/i.test(standard))
    return standard.trim().split(/\s+/)[1];
  if (standard === undefined && headers['x-openstack-nova-api-version'] === undefined) return undefined;
  // Comma-folded and repeated standard headers are scanned from the right, other services skipped.
  const entries = headerValues(headers, 'openstack-api-version')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
    .reverse();
  for (const entry of entries) {
    const [service, ...rest] = entry.split(/\s+/);
    if (service?.toLowerCase() === 'compute') return rest.join(' ').trim();
  }
  const legacy = headerValues(headers, 'x-openstack-nova-api-version');
  if (legacy.length > 0) return (legacy[legacy.length - 1] ?? '').trim();
  return undefined;
}

export function negotiate(headers: IncomingMessage['headers'], profile: ReleaseProfile): VersionResult {
  const max = maxVersion(profile);
  const text = requestedVersion(headers);
  if (text === undefined) return { kind: 'ok', version: MIN_VERSION };
  if (text === 'latest') return { kind: 'ok', version: max };
  const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text);
  if (!m) return { kind: 'invalid', text };
  const version = { major: Number(m[1]), minor: Number(m[2]) };
  if (vcmp(version, MIN_VERSION) < 0 || vcmp(version, max) > 0) return { kind: 'unsupported', version };
  return { kind: 'ok', version };
}
