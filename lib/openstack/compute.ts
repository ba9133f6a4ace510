import { EnvironmentError } from './errors.ts';
import type { Exchange, HttpClient, Method } from './http.ts';

/** The compute endpoint without a project id suffix, ending in /v2.1. */
export function normaliseComputeEndpoint(url: string, projectId?: string): string {
  let base = url.replace(/\/+$/, '');
  const last = base.split('/').pop() ?? '';
  if (
    (projectId !== undefined && last === projectId) ||
    /^[$%]\((tenant_id|project_id)\)s$/.test(last) ||
    /^[0-9a-f]{32}$/.test(last)
  ) {
    base = base.slice(0, base.length - last.length - 1);
  }
  if (/\/v2$/.test(base)) base = `${base}.1`;
  if (!/\/v2\.1$/.test(base)) base = `${base}/v2.1`;
  return base;
}

/** The root of the compute API (where the version list lives). */
export function computeRoot(base: string): string {
  return base.replace(/\/v2\.1$/, '');
}

export interface VersionRange {
  readonly min: string;
  readonly max: string;
}

/** The v2.1 version document as parsed, and the microversion range read from it. */
export interface ComputeVersion {
  readonly range: VersionRange;
  readonly document: unknown;
}

/** Reads min and max microversion from the v2.1 version document, as the OpenStack clients do. */
export async function discoverVersions(http: HttpClient, base: string): Promise<VersionRange> {
  return (await readComputeVersion(http, base)).range;
}

/** The version document and its range, for a runner that also keeps the document (the bundle's manifest). */
export async function readComputeVersion(http: HttpClient, base: string): Promise<ComputeVersion> {
  const exchange = await http.send({ method: 'GET', url: `${base}/` });
  if (exchange.status !== 200) {
    throw new EnvironmentError(
      'BAD_RESPONSE',
      `GET ${base}/ (the compute version document) answered ${exchange.status}; is ${base} a Nova endpoint?`,
    );
  }
  if (exchange.json === undefined) {
    throw new EnvironmentError(
      'NOT_JSON',
      `GET ${base}/ answered ${exchange.status} with a body that is not JSON (${exchange.unparsed ?? `${exchange.text.slice(0, 80).replace(/\s+/g, ' ')}...`})`,
    );
  }
  // JSON `null` or a list parses too: read fields only from an object.
  const body = typeof exchange.json === 'object' && exchange.json !== null ? exchange.json : {};
  const raw = (body as { version?: unknown }).version;
  const version =
    typeof raw === 'object' && raw !== null
      ? (raw as { version?: unknown; min_version?: unknown })
      : undefined;
  if (
    typeof version?.version !== 'string' ||
    typeof version.min_version !== 'string' ||
    version.version === ''
  ) {
    throw new EnvironmentError(
      'BAD_RESPONSE',
      `GET ${base}/ answered without version.version and version.min_version; microversions cannot be negotiated`,
    );
  }
  return { range: { min: version.min_version, max: version.version }, document: exchange.json };
}

export type VersionHeaders = 'both' | 'standard' | 'legacy' | 'none';

export interface ComputeCall {
  readonly method: Method;
  /** Relative to the versioned endpoint, e.g. `/servers/{id}/os-interface`. */
  readonly path: string;
  readonly json?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  /** `X.Y` or `latest`; omit for no version header (2.1). */
  readonly microversion?: string;
  readonly versionHeaders?: VersionHeaders;
  /** The token to send; null sends none. */
  readonly token: string | null;
  /** Inserted between the versioned endpoint and the path: `/v2.1/{projectPrefix}/servers/...`. */
  readonly projectPrefix?: string;
  /** Replaces the `/v2.1` version segment, e.g. `v2` for the legacy endpoint. */
  readonly versionSegment?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

function versionHeaders(microversion: string, style: VersionHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  if (style === 'both' || style === 'standard') headers['OpenStack-API-Version'] = `compute ${microversion}`;
  if (style === 'both' || style === 'legacy') headers['X-OpenStack-Nova-API-Version'] = microversion;
  return headers;
}

/** Raw calls to Nova; tests assert on the exchanges, so nothing here judges an answer. */
export class ComputeClient {
  constructor(
    private readonly http: HttpClient,
    readonly base: string,
  ) {}

  url(path: string, projectPrefix?: string, versionSegment?: string): string {
    const base =
      versionSegment === undefined ? this.base : this.base.replace(/\/v2\.1$/, `/${versionSegment}`);
    return `${base}${projectPrefix !== undefined ? `/${projectPrefix}` : ''}${path}`;
  }

  call(call: ComputeCall): Promise<Exchange> {
    const headers: Record<string, string> = { ...call.headers };
    if (call.token !== null) headers['X-Auth-Token'] = call.token;
    if (call.microversion !== undefined)
      Object.assign(headers, versionHeaders(call.microversion, call.versionHeaders ?? 'both'));
    if (call.contentType !== undefined) headers['Content-Type'] = call.contentType;
    else if (call.rawBody !== undefined) headers['Content-Type'] = 'application/json';
    return this.http.send({
      method: call.method,
      url: this.url(call.path, call.projectPrefix, call.versionSegment),
      headers,
      ...(call.json !== undefined && { json: call.json }),
      ...(call.rawBody !== undefined && { rawBody: call.rawBody }),
    });
  }
}
