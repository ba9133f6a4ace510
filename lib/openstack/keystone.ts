import type { Credentials } from '../config/types.ts';
import { parseCatalog, type CatalogService } from './catalog.ts';
import { EnvironmentError } from './errors.ts';
import { header, type HttpClient } from './http.ts';
import { registerSecret } from './redact.ts';

export { endpointFor, type CatalogService } from './catalog.ts';

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
    roles?: unknown;
    catalog?: unknown;
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
      `Keystone at ${url} answered ${exchange.status} with a body that is not JSON${exchange.unparsed !== undefined ? ` (${exchange.unparsed})` : ''}`,
    );
  const body = exchange.json;
  const token = typeof body === 'object' && body !== null ? (body as TokenBody).token : undefined;
  const projectId = str(token?.project?.id);
  if (token === undefined || projectId === undefined) {
    throw new EnvironmentError(
      'BAD_RESPONSE',
      `Keystone at ${url} issued a token that is not scoped to a project; the suite needs a project-scoped token`,
    );
  }
  const catalog: CatalogService[] = parseCatalog(token.catalog, url);
  return {
    value,
    expiresAt: str(token.expires_at) ?? new Date(Date.now() + 3600_000).toISOString(),
    projectId,
    projectName: str(token.project?.name) ?? '',
    userId: str(token.user?.id) ?? '',
    roles: (Array.isArray(token.roles) ? (token.roles as unknown[]) : [])
      .map((role) =>
        typeof role === 'object' && role !== null ? str((role as { name?: unknown }).name) : undefined,
      )
      .filter((name): name is string => name !== undefined && name !== ''),
    catalog,
  };
}

/** True when the token expires within `marginMs`. */
export function expiresSoon(token: Token, marginMs = 5 * 60_000): boolean {
  return Date.parse(token.expiresAt) - Date.now() < marginMs;
}
