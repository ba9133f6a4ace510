import { EnvironmentError } from './errors.ts';
import { withoutUserinfo } from './userinfo.ts';

interface CatalogEndpoint {
  readonly interface: string;
  readonly region?: string;
  readonly url: string;
}

export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** How many endpoints a "no such endpoint" message lists before it says how many more there are. */
const LISTED = 8;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The service catalog of a Keystone v3 token, checked entry by entry. Keystone writes every
 * entry the same way, so a malformed one means the answer cannot be trusted: the run stops with
 * one line naming the first bad entry, rather than testing whatever endpoint is left. URLs lose
 * any userinfo here, before anything stores or prints them. One pass, linear in the catalog.
 */
export function parseCatalog(raw: unknown, keystone: string): CatalogService[] {
  const bad = (path: string, what: string, value: unknown): EnvironmentError =>
    new EnvironmentError(
      'BAD_RESPONSE',
      `Keystone at ${keystone} issued a service catalog the run cannot use: ${path} ${what}, got ${shown(value)}`,
    );
  // A token asked for without a catalog has none; the endpoint overrides can still name the services.
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw bad('token.catalog', 'must be a list', raw);
  const services: CatalogService[] = [];
  for (let s = 0; s < raw.length; s += 1) {
    const service: unknown = raw[s];
    const at = `token.catalog[${s}]`;
    if (!isRecord(service)) throw bad(at, 'must be an object', service);
    const type = service['type'];
    if (typeof type !== 'string' || type === '') throw bad(`${at}.type`, 'must be a non-empty string', type);
    const name = service['name'];
    if (name !== undefined && name !== null && typeof name !== 'string')
      throw bad(`${at}.name`, 'must be a string', name);
    const list = service['endpoints'];
    if (!Array.isArray(list)) throw bad(`${at}.endpoints`, 'must be a list', list);
    const endpoints: CatalogEndpoint[] = [];
    for (let e = 0; e < list.length; e += 1) {
      const endpoint: unknown = list[e];
      const where = `${at}.endpoints[${e}]`;
      if (!isRecord(endpoint)) throw bad(where, 'must be an object', endpoint);
      const url = endpoint['url'];
      if (typeof url !== 'string' || url === '') throw bad(`${where}.url`, 'must be a non-empty string', url);
      const iface = endpoint['interface'];
      if (typeof iface !== 'string') throw bad(`${where}.interface`, 'must be a string', iface);
      // Keystone sends region_id (and the older region) as null for an endpoint without a region.
      const regionId = endpoint['region_id'] ?? endpoint['region'];
      if (regionId !== undefined && regionId !== null && typeof regionId !== 'string')
        throw bad(`${where}.region_id`, 'must be a string or null', regionId);
      endpoints.push({
        interface: iface,
        url: withoutUserinfo(url),
        ...(typeof regionId === 'string' && { region: regionId }),
      });
    }
    services.push({ type, ...(typeof name === 'string' && { name }), endpoints });
  }
  return services;
}

function isHttp(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The URL of a service from the catalog, by type, interface and (when given) region. */
export function endpointFor(
  catalog: readonly CatalogService[],
  types: readonly string[],
  iface: string,
  region?: string,
): string {
  const kind = types[0] ?? '';
  const override = `CONFORMANCE_${(kind === '' ? 'compute' : kind).toUpperCase()}_ENDPOINT`;
  const services = catalog.filter((service) => types.includes(service.type));
  for (const service of services) {
    const match = service.endpoints.find(
      (e) => e.interface === iface && (region === undefined || e.region === region),
    );
    if (match === undefined) continue;
    if (!isHttp(match.url))
      throw new EnvironmentError(
        'NO_ENDPOINT',
        `the service catalog's '${kind}' endpoint (interface '${iface}'${region !== undefined ? `, region '${region}'` : ''}) is not an http:// or https:// URL: ${shown(match.url)} (set ${override} to skip the catalog)`,
      );
    return match.url.replace(/\/+$/, '');
  }
  // Distinct interface@region pairs, and only a few of them: a catalog may list thousands.
  const seen = new Set<string>();
  for (const service of services)
    for (const e of service.endpoints) seen.add(`${e.interface}@${e.region ?? '?'}`);
  const listed = [...seen].slice(0, LISTED);
  const more = seen.size > LISTED ? ` and ${seen.size - LISTED} more` : '';
  throw new EnvironmentError(
    'NO_ENDPOINT',
    `no '${kind}' endpoint with interface '${iface}'${region !== undefined ? ` in region '${region}'` : ''} in the service catalog` +
      (seen.size > 0
        ? ` (it has: ${listed.join(', ')}${more}; set OS_INTERFACE / OS_REGION_NAME)`
        : ` (set ${override} to skip the catalog)`),
  );
}
