import type { Credentials } from '../config/types.ts';
import { EnvironmentError } from './errors.ts';
import { header, type HttpClient } from './http.ts';
import { registerSecret } from './redact.ts';

export interface CatalogEndpoint {
  readonly interface: string;
  readonly region?: string;
  readonly url: string;
}

export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

export interface Token {
  readonly value: string;
  readonly expiresAt: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly catalog: readonly CatalogService[];
}

/** Keystone v3 URL of the tokens resource, whether the auth URL names /v3 or the bare root. */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(base) ? `${base}/auth/tokens` : `${base}/v3/auth/tokens`;
}

function identityOf(credentials: Credentials): Record<string, unknown> {
  if (credentials.method === 'application_credential') {
    return {
      methods: ['application_credential'],
      application_credential: {
        id: credentials.applicationCredentialId,
        secret: credentials.applicationCredentialSecret,
      },
    };
  }
  const domain =
    credentials.userDomainId !== undefined
      ? { id: credentials.userDomainId }
      : credentials.userDomainName !== undefined
        ? { name: credentials.userDomainName }
        : undefined;
  const user =
    credentials.userId !== undefined
      ? { id: credentials.userId, password: credentials.password }
      : {
          name: credentials.username,
          password: credentials.password,
          ...(domain !== undefined && { domain }),
        };
  return { methods: ['password'], password: { user } };
}

function scopeOf(credentials: Credentials): Record<string, unknown> | undefined {
  if (credentials.method === 'application_credential') return undefined;
  if (credentials.projectId !== undefined) return { project: { id: credentials.projectId } };
  const domain =
    credentials.projectDomainId !== undefined
      ? { id: credentials.projectDomainId }
      : { name: credentials.projectDomainName };
  return { project: { name: credentials.projectName, domain } };
}

function who(credentials: Credentials): string {
  if (credentials.method === 'application_credential')
    return `application credential ${credentials.applicationCredentialId ?? ''}`;
  return `user '${credentials.username ?? credentials.userId ?? ''}'`;
}

interface TokenBody {
  token?: {
    expires_at?: unknown;
    project?: { id?: unknown; name?: unknown };
    user?: { id?: unknown };
    roles?: { name?: unknown }[];
    catalog?: {
      type?: unknown;
      name?: unknown;
      endpoints?: { interface?: unknown; region?: unknown; region_id?: unknown; url?: unknown }[];
    }[];
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Obtains a project-scoped token. Failures are environment failures: the run cannot start. */
export async function authenticate(http: HttpClient, credentials: Credentials): Promise<Token> {
  const url = tokensUrl(credentials.authUrl);
  const scope = scopeOf(credentials);
  const exchange = await http.send({
    method: 'POST',
    url,
    json: { auth: { identity: identityOf(credentials), ...(scope !== undefined && { scope }) } },
  });
  if (exchange.status === 401) {
    throw new EnvironmentError(
      'AUTH_FAILED',
      `Keystone at ${credentials.authUrl} rejected ${who(credentials)}: authentication failed (401); check the user name, password, domain and project`,
    );
  }
  if (exchange.status !== 201 && exchange.status !== 200) {
    throw new EnvironmentError(
      'AUTH_FAILED',
      `Keystone at ${url} answered ${exchange.status} to the token request for ${who(credentials)}: ${exchange.text.slice(0, 200)}`,
    );
  }
  const value = header(exchange, 'x-subject-token');
  if (value === undefined)
    throw new EnvironmentError(
      'BAD_RESPONSE',
      `Keystone at ${url} answered ${exchange.status} without an X-Subject-Token header`,
    );
  registerSecret(value);
  if (exchange.json === undefined)
    throw new EnvironmentError(
      'NOT_JSON',
      `Keystone at ${url} answered ${exchange.status} with a body that is not JSON`,
    );
  const token = (exchange.json as TokenBody).token;
  const projectId = str(token?.project?.id);
  if (token === undefined || projectId === undefined) {
    throw new EnvironmentError(
      'BAD_RESPONSE',
      `Keystone at ${url} issued a token that is not scoped to a project; the suite needs a project-scoped token`,
    );
  }
  const catalog: CatalogService[] = (token.catalog ?? []).map((service) => ({
    type: str(service.type) ?? '',
    ...(str(service.name) !== undefined && { name: str(service.name) as string }),
    endpoints: (service.endpoints ?? []).flatMap((endpoint) => {
      const endpointUrl = str(endpoint.url);
      const region = str(endpoint.region_id) ?? str(endpoint.region);
      return endpointUrl === undefined
        ? []
        : [
            {
              interface: str(endpoint.interface) ?? '',
              url: endpointUrl,
              ...(region !== undefined && { region }),
            },
          ];
    }),
  }));
  return {
    value,
    expiresAt: str(token.expires_at) ?? new Date(Date.now() + 3600_000).toISOString(),
    projectId,
    projectName: str(token.project?.name) ?? '',
    userId: str(token.user?.id) ?? '',
    roles: (token.roles ?? []).map((role) => str(role.name) ?? '').filter((name) => name !== ''),
    catalog,
  };
}

/** The URL of a service from the catalog, by type, interface and (when given) region. */
export function endpointFor(
  catalog: readonly CatalogService[],
  types: readonly string[],
  iface: string,
  region?: string,
): string {
  const services = catalog.filter((service) => types.includes(service.type));
  for (const service of services) {
    const match = service.endpoints.find(
      (e) => e.interface === iface && (region === undefined || e.region === region),
    );
    if (match !== undefined) return match.url.replace(/\/+$/, '');
  }
  const seen = services.flatMap((s) => s.endpoints.map((e) => `${e.interface}@${e.region ?? '?'}`));
  throw new EnvironmentError(
    'NO_ENDPOINT',
    `no '${types[0] ?? ''}' endpoint with interface '${iface}'${region !== undefined ? ` in region '${region}'` : ''} in the service catalog` +
      (seen.length > 0
        ? ` (it has: ${seen.join(', ')}; set OS_INTERFACE / OS_REGION_NAME)`
        : ` (set CONFORMANCE_${(types[0] ?? 'compute').toUpperCase()}_ENDPOINT to skip the catalog)`),
  );
}

/** True when the token expires within `marginMs`. */
export function expiresSoon(token: Token, marginMs = 5 * 60_000): boolean {
  return Date.parse(token.expiresAt) - Date.now() < marginMs;
}
