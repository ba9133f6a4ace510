// Keystone v3: version documents, password and application-credential tokens, token validation,
// and the keystonemiddleware 401 the other services answer with.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type HeaderList, type MockRequest, parseJson, send, sendJson } from './http.ts';
import type { MockState, RequestContext } from './state.ts';
import type { Token, User } from './types.ts';
import { hex32, requestId } from './util.ts';

const KEYSTONE_VERSION = 'v3.14';
const KEYSTONE_UPDATED = '2020-04-07T00:00:00Z';
const MEDIA_TYPES = [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }];

const UNAUTHORIZED_BODY = {
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
};

/**
 * keystonemiddleware's authtoken filter in front of a service mounted at `base` (…/compute,
 * …/network, …/image): the caller's context, or undefined once the 401 has been answered.
 */
export function authtoken(
  state: MockState,
  req: MockRequest,
  res: ServerResponse,
  base: string,
  ids: HeaderList,
): RequestContext | undefined {
  const ctx = authenticate(state, req.headers['x-auth-token'] as string | undefined);
  if (ctx) return ctx;
  const identity = base.replace(/\/[^/]+$/, '/identity');
  send(
    res,
    401,
    [['Content-Type', 'application/json'], ['WWW-Authenticate', `Keystone uri="${identity}"`], ...ids],
    JSON.stringify(UNAUTHORIZED_BODY),
  );
  return undefined;
}

/** Resolves X-Auth-Token to a request context, as keystonemiddleware would; undefined means 401. */
function authenticate(state: MockState, tokenId: string | undefined): RequestContext | undefined {
  if (!tokenId) return undefined;
  const token = state.tokens.get(tokenId.trim());
  if (!token || token.expiresAt.getTime() <= Date.now() || token.projectId === null) return undefined;
  return {
    userId: token.userId,
    projectId: token.projectId,
    roles: token.roles,
    isAdmin: token.roles.includes('admin'),
    token,
  };
}

export interface Endpoints {
  identity: string;
  compute: string;
  network: string;
  image: string;
}

function keystoneError(
  res: ServerResponse,
  code: number,
  title: string,
  message: string,
  headers: HeaderList,
): void {
  sendJson(res, code, { error: { code, title, message } }, headers);
}

function versionDoc(identityUrl: string): Record<string, unknown> {
  return {
    id: KEYSTONE_VERSION,
    status: 'stable',
    updated: KEYSTONE_UPDATED,
    links: [{ rel: 'self', href: `${identityUrl}/v3/` }],
    'media-types': MEDIA_TYPES,
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class BadAuth extends Error {}

function required(parent: Obj, key: string, path: string): Obj {
  const v = parent[key];
  if (v === undefined)
    throw new BadAuth(`Invalid input for field '${path}': '${key}' is a required property`);
  if (!isObj(v))
    throw new BadAuth(
      `Invalid input for field '${path}/${key}': ${JSON.stringify(v)} is not of type 'object'`,
    );
  return v;
}

function domainMatches(d: unknown): boolean {
  if (!isObj(d)) return false;
  if (typeof d.id === 'string') return d.id === 'default';
  if (typeof d.name === 'string') return d.name === 'Default';
  return false;
}

function tokenBody(state: MockState, token: Token, endpoints: Endpoints): Obj {
  const user = state.users.get(token.userId);
  const domain = { id: 'default', name: 'Default' };
  const body: Obj = {
    methods: token.methods,
    user: { domain, id: token.userId, name: user?.name ?? '', password_expires_at: null },
    audit_ids: [token.auditId],
    expires_at: `${token.expiresAt.toISOString().slice(0, 23)}000Z`,
    issued_at: `${token.issuedAt.toISOString().slice(0, 23)}000Z`,
  };
  if (token.projectId) {
    const project = state.projects.get(token.projectId);
    body.project = { domain, id: token.projectId, name: project?.name ?? '' };
    body.is_domain = false;
    body.roles = token.roles.map((name) => ({ id: roleId(name), name }));
    body.catalog = catalog(endpoints);
  }
  if (token.applicationCredentialId) {
    const ac = state.appCredentials.get(token.applicationCredentialId);
    body.application_credential = { id: token.applicationCredentialId, name: ac?.name, restricted: true };
  }
  return { token: body };
}

const ROLE_IDS = new Map<string, string>();
function roleId(name: string): string {
  let id = ROLE_IDS.get(name);
  if (!id) {
    id = hex32();
    ROLE_IDS.set(name, id);
  }
  return id;
}

const SERVICE_IDS = new Map<string, string>();
function catalog(e: Endpoints): Obj[] {
  const entry = (type: string, name: string, url: string): Obj => {
    let id = SERVICE_IDS.get(type);
    if (!id) {
      id = hex32();
      SERVICE_IDS.set(type, id);
    }
    return {
      endpoints: ['public', 'internal', 'admin'].map((iface) => ({
        id: `${id.slice(0, 24)}${iface
          .slice(0, 8)
          .padEnd(8, '0')
          .replace(/[^0-9a-f]/g, '0')}`,
        interface: iface,
        region_id: 'RegionOne',
        url,
        region: 'RegionOne',
      })),
      id,
      type,
      name,
    };
  };
  return [
    entry('identity', 'keystone', e.identity),
    entry('compute', 'nova', e.compute),
    entry('network', 'neutron', e.network),
    entry('image', 'glance', e.image),
  ];
}

function issueToken(
  state: MockState,
  user: User,
  projectId: string | null,
  methods: string[],
  appCredId?: string,
): Token {
  const now = new Date();
  const token: Token = {
    id: `gAAAAA${randomBytes(60).toString('base64url')}`,
    userId: user.id,
    projectId,
    roles: projectId ? (user.roles.get(projectId) ?? []) : [],
    methods,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + state.tokenTtlSeconds * 1000),
    auditId: randomBytes(16).toString('base64url').slice(0, 22),
  };
  if (appCredId) token.applicationCredentialId = appCredId;
  state.tokens.set(token.id, token);
  return token;
}

function findUser(state: MockState, u: Obj): User | undefined {
  if (typeof u.id === 'string') return state.users.get(u.id);
  if (typeof u.name === 'string' && domainMatches(u.domain))
    return [...state.users.values()].find((x) => x.name === u.name);
  return undefined;
}

/** Returns the token, or a string naming why Keystone answers 401, or throws BadAuth for 400. */
function authenticateBody(state: MockState, body: unknown): Token | undefined {
  if (!isObj(body)) throw new BadAuth("Invalid input for field '': 'auth' is a required property");
  const auth = required(body, 'auth', '');
  const identity = required(auth, 'identity', 'auth');
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0)
    throw new BadAuth("Invalid input for field 'auth/identity': 'methods' is a required property");
  if (methods.includes('application_credential')) {
    const ac = required(identity, 'application_credential', 'auth/identity');
    if (typeof ac.secret !== 'string')
      throw new BadAuth(
        "Invalid input for field 'auth/identity/application_credential': 'secret' is a required property",
      );
    let cred = typeof ac.id === 'string' ? state.appCredentials.get(ac.id) : undefined;
    if (!cred && typeof ac.name === 'string' && isObj(ac.user)) {
      const owner = findUser(state, ac.user);
      cred = [...state.appCredentials.values()].find((c) => c.name === ac.name && c.userId === owner?.id);
    }
    if (!cred || cred.secret !== ac.secret) return undefined;
    if (auth.scope !== undefined) return undefined;
    const user = state.users.get(cred.userId);
    if (!user) return undefined;
    const token = issueToken(state, user, cred.projectId, ['application_credential'], cred.id);
    token.roles = cred.roles;
    return token;
  }
  if (!methods.includes('password')) return undefined;
  const password = required(identity, 'password', 'auth/identity');
  const u = required(password, 'user', 'auth/identity/password');
  const user = findUser(state, u);
  if (!user || typeof u.password !== 'string' || u.password !== user.password) return undefined;
  let projectId: string | null = null;
  if (auth.scope !== undefined) {
    const scope = isObj(auth.scope) ? auth.scope : {};
    const p = isObj(scope.project) ? scope.project : undefined;
    if (!p) return undefined;
    const project =
      typeof p.id === 'string'
        ? state.projects.get(p.id)
        : typeof p.name === 'string' && domainMatches(p.domain)
          ? [...state.projects.values()].find((x) => x.name === p.name)
          : undefined;
    if (!project || (user.roles.get(project.id) ?? []).length === 0) return undefined;
    projectId = project.id;
  }
  return issueToken(state, user, projectId, ['password']);
}

export function handleKeystone(
  state: MockState,
  req: MockRequest,
  res: ServerResponse,
  endpoints: Endpoints,
): void {
  const rid = requestId();
  const headers: HeaderList = [
    ['x-openstack-request-id', rid],
    ['Vary', 'X-Auth-Token'],
  ];
  const path = req.path.replace(/\/+$/, '');
  const www: HeaderList = [['WWW-Authenticate', `Keystone uri="${endpoints.identity}/v3"`]];
  if (path === '' && (req.method === 'GET' || req.method === 'HEAD')) {
    sendJson(res, 300, { versions: { values: [versionDoc(endpoints.identity)] } }, headers);
    return;
  }
  if (path === '/v3' && (req.method === 'GET' || req.method === 'HEAD')) {
    sendJson(res, 200, { version: versionDoc(endpoints.identity) }, headers);
    return;
  }
  if (path === '/v3/auth/tokens' && req.method === 'POST') {
    const parsed = req.body ? parseJson(req.body) : { ok: false as const };
    if (!parsed.ok) {
      keystoneError(
        res,
        400,
        'Bad Request',
        'The browser (or proxy) sent a request that this server could not understand.',
        headers,
      );
      return;
    }
    let token: Token | undefined;
    try {
      token = authenticateBody(state, parsed.value);
    } catch (e) {
      if (e instanceof BadAuth) {
        keystoneError(res, 400, 'Bad Request', e.message, headers);
        return;
      }
      throw e;
    }
    if (!token) {
      keystoneError(res, 401, 'Unauthorized', UNAUTHORIZED_BODY.error.message, [...headers, ...www]);
      return;
    }
    sendJson(res, 201, tokenBody(state, token, endpoints), [...headers, ['X-Subject-Token', token.id]]);
    return;
  }
  if (path === '/v3/auth/tokens' && (req.method === 'GET' || req.method === 'HEAD')) {
    const caller = authenticate(state, req.headers['x-auth-token'] as string | undefined);
    if (!caller) {
      keystoneError(res, 401, 'Unauthorized', UNAUTHORIZED_BODY.error.message, [...headers, ...www]);
      return;
    }
    const subjectId = String(req.headers['x-subject-token'] ?? '');
    const subject = state.tokens.get(subjectId);
    if (!subject || subject.expiresAt.getTime() <= Date.now()) {
      keystoneError(res, 404, 'Not Found', `Could not find token: ${subjectId}.`, headers);
      return;
    }
    sendJson(res, 200, tokenBody(state, subject, endpoints), [...headers, ['X-Subject-Token', subject.id]]);
    return;
  }
  keystoneError(res, 404, 'Not Found', 'The resource could not be found.', headers);
}
