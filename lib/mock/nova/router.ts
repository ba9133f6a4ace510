// The nova-api pipeline for /compute: request ids, version documents (no token), keystonemiddleware,
// the routes mapper, then nova.api.openstack.wsgi.Resource's checks in Nova's order.
import type { ServerResponse } from 'node:http';
import { type HeaderList, type MockRequest, parseJson, send } from '../http.ts';
import { authtoken } from '../keystone.ts';
import type { MockState } from '../state.ts';
import { requestId } from '../util.ts';
import type { NovaRequest, NovaResult } from './context.ts';
import { badRequest, NovaFault, unexpected } from './faults.ts';
import { createInterface, deleteInterface, listInterfaces, showInterface } from './interfaces.ts';
import { maxVersion, negotiate, type Version, vstr } from './microversion.ts';
import {
  createServer,
  deleteServer,
  listFlavorExtraSpecs,
  listFlavors,
  listInstanceActions,
  listServers,
  listServersDetail,
  SERVER_ACTIONS,
  serverAction,
  showFlavor,
  showInstanceAction,
  showServer,
  updateServer,
} from './servers.ts';
import { quotaSet, showLimits } from './quotas.ts';
import { detailZones, listZones } from './zones.ts';

/** webob's HTTPNotFound page, byte for byte as nova-api sends it when no route matches. */
const NOT_FOUND_HTML =
  '<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n' +
  '  The resource could not be found.<br /><br />\n\n\n\n </body>\n</html>';

type Handler = (n: NovaRequest) => NovaResult;
interface Route {
  pattern: RegExp;
  /** the first path segment, always literal */
  head: string;
  names: string[];
  methods: Partial<Record<string, Handler>>;
  /** server actions dispatch on the body's single key */
  action?: boolean;
}

const seg = '([^/]+)';
function route(path: string, methods: Route['methods'], action = false): Route {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return seg;
    })}$`,
  );
  return { pattern, head: path.split('/')[1] ?? '', names, methods, action };
}

const ROUTES: Route[] = [
  route('/servers', { GET: listServers, POST: createServer }),
  route('/servers/detail', { GET: listServersDetail }),
  route('/servers/{server_id}', { GET: showServer, PUT: updateServer, DELETE: deleteServer }),
  route('/servers/{server_id}/action', { POST: () => ({ status: 500 }) }, true),
  route('/servers/{server_id}/os-interface', { GET: listInterfaces, POST: createInterface }),
  route('/servers/{server_id}/os-interface/{port_id}', { GET: showInterface, DELETE: deleteInterface }),
  route('/servers/{server_id}/os-instance-actions', { GET: listInstanceActions }),
  route('/servers/{server_id}/os-instance-actions/{request_id}', { GET: showInstanceAction }),
  route('/flavors', { GET: (n) => listFlavors(n, false) }),
  route('/flavors/detail', { GET: (n) => listFlavors(n, true) }),
  route('/flavors/{flavor_id}', { GET: showFlavor }),
  route('/flavors/{flavor_id}/os-extra_specs', { GET: listFlavorExtraSpecs }),
  route('/limits', { GET: showLimits }),
  route('/os-availability-zone', { GET: listZones }),
  route('/os-availability-zone/detail', { GET: detailZones }),
  route('/os-quota-sets/{project_id}', { GET: (n) => quotaSet(n, 'show') }),
  route('/os-quota-sets/{project_id}/detail', { GET: (n) => quotaSet(n, 'detail') }),
  route('/os-quota-sets/{project_id}/defaults', { GET: (n) => quotaSet(n, 'defaults') }),
];

/** The routes by their first (always literal) segment, in table order: a request tries only its own. */
const ROUTES_BY_HEAD = new Map<string, Route[]>();
for (const r of ROUTES) {
  const group = ROUTES_BY_HEAD.get(r.head) ?? [];
  group.push(r);
  ROUTES_BY_HEAD.set(r.head, group);
}

interface Match {
  route: Route;
  params: Record<string, string>;
}

/** The first route (in table order) whose pattern and method fit, as the routes mapper picks it. */
function matchRoute(p: string, method: string): Match | undefined {
  const clean = p.length > 1 && p.endsWith('/') ? p.replace(/\/+$/, '') : p;
  const slash = clean.indexOf('/', 1);
  const group = ROUTES_BY_HEAD.get(clean.slice(1, slash < 0 ? undefined : slash));
  if (group === undefined) return undefined;
  for (const r of group) {
    if (!r.methods[method]) continue;
    const mm = r.pattern.exec(clean);
    if (!mm) continue;
    const params: Record<string, string> = {};
    for (let i = 0; i < r.names.length; i++) params[r.names[i] ?? ''] = decodeURIComponent(mm[i + 1] ?? '');
    return { route: r, params };
  }
  return undefined;
}

function sendJsonBody(res: ServerResponse, status: number, body: unknown, headers: HeaderList): void {
  send(res, status, [['Content-Type', 'application/json'], ...headers], JSON.stringify(body));
}

const SUPPORTED_CONTENT_TYPES = ['application/json', 'application/vnd.openstack.compute+json'];

const VERSION_HEADERS = new Map<string, HeaderList>();

/** The microversion headers of an answer (the same few lists over and over: kept, never changed). */
function versionHeaders(v: Version): HeaderList {
  const key = vstr(v);
  let headers = VERSION_HEADERS.get(key);
  if (headers === undefined) {
    headers = versionHeaderList(v);
    // Any version a client can name in a header is kept: bound the cache all the same.
    if (VERSION_HEADERS.size < 1000) VERSION_HEADERS.set(key, headers);
  }
  return headers;
}

function versionHeaderList(v: Version): HeaderList {
  return [
    ['OpenStack-API-Version', `compute ${vstr(v)}`],
    ['X-OpenStack-Nova-API-Version', vstr(v)],
    ['Vary', 'OpenStack-API-Version'],
    ['Vary', 'X-OpenStack-Nova-API-Version'],
  ];
}

function sendFault(res: ServerResponse, fault: NovaFault, headers: HeaderList): void {
  send(
    res,
    fault.status,
    [...headers, ['Content-Type', 'application/json; charset=UTF-8']],
    JSON.stringify(fault.body()),
  );
}

function versionEntry(state: MockState, base: string, id: 'v2.0' | 'v2.1'): Record<string, unknown> {
  if (id === 'v2.0')
    return {
      id: 'v2.0',
      status: state.profile.v20.status,
      version: '',
      min_version: '',
      updated: state.profile.v20.updated,
      links: [{ rel: 'self', href: `${base}/v2/` }],
    };
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: vstr(maxVersion(state.profile)),
    min_version: '2.1',
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/v2.1/` }],
  };
}

function versionDocument(state: MockState, base: string, id: 'v2.0' | 'v2.1'): Record<string, unknown> {
  const entry = versionEntry(state, base, id);
  return {
    version: {
      ...entry,
      links: [
        ...(entry.links as unknown[]),
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [
        { base: 'application/json', type: `application/vnd.openstack.compute+json;version=${id.slice(1)}` },
      ],
    },
  };
}

/**
 * The microversion of a /v2.1 request, or undefined once the 400 (malformed) or 406 (out of
 * range) fault has been sent.
 */
function negotiateOrFail(
  state: MockState,
  req: MockRequest,
  res: ServerResponse,
  ids: HeaderList,
): Version | undefined {
  const neg = negotiate(req.headers, state.profile);
  if (neg.kind === 'invalid') {
    sendFault(
      res,
      badRequest(`API Version String ${neg.text} is of invalid format. Must be of format MajorNum.MinorNum.`),
      ids,
    );
    return undefined;
  }
  if (neg.kind === 'unsupported') {
    const max = vstr(maxVersion(state.profile));
    sendFault(
      res,
      new NovaFault(
        406,
        `Version ${vstr(neg.version)} is not supported by the API. Minimum is 2.1 and maximum is ${max}.`,
      ),
      [...versionHeaders(neg.version), ...ids],
    );
    return undefined;
  }
  return neg.version;
}

/**
 * webob's answer to an unrouted request, in the form the Accept header asks for (as
 * webob.exc.WSGIHTTPException.generate_response chooses it; seen on the devcloud): text/html for
 * any type or text/html, webob's JSON for application/json, plain text when Accept is absent or
 * offers neither.
 */
function notFoundPage(accept: string | undefined): { contentType: string; body: string } {
  const offers = ['text/html', 'application/json'];
  let best: { offer: string; q: number } | undefined;
  for (const offer of offers) {
    let q = -1;
    let specificity = -1;
    for (const part of (accept ?? '').split(',')) {
      const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      if (range === '') continue;
      const [type, sub] = range.split('/');
      const [otype, osub] = offer.split('/');
      const matches = (type === '*' && sub === '*') || (type === otype && (sub === '*' || sub === osub));
      if (!matches) continue;
      const spec = type === '*' ? 0 : sub === '*' ? 1 : 2;
      const qParam = params.find((p) => p.startsWith('q='));
      const value = qParam === undefined ? 1 : Number(qParam.slice(2));
      if (spec > specificity) {
        specificity = spec;
        q = Number.isFinite(value) ? value : 1;
      }
    }
    if (q > 0 && (best === undefined || q > best.q)) best = { offer, q };
  }
  if (best?.offer === 'text/html') return { contentType: 'text/html; charset=UTF-8', body: NOT_FOUND_HTML };
  if (best?.offer === 'application/json')
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        message: 'The resource could not be found.<br /><br />\n\n\n',
        code: '404 Not Found',
        title: 'Not Found',
      }),
    };
  return {
    contentType: 'text/plain; charset=UTF-8',
    body: '404 Not Found\n\nThe resource could not be found.\n\n   ',
  };
}

export function handleNova(state: MockState, req: MockRequest, res: ServerResponse): void {
  const rid = requestId();
  const ids: HeaderList = [
    ['x-openstack-request-id', rid],
    ['x-compute-request-id', rid],
  ];
  const base = req.baseUrl;
  const path = req.path;
  // The versions app at / (and its 300 for unknown paths) has no request-id middleware in
  // Nova's paste pipeline (oscomputeversions); /v2 and /v2.1 do (seen on the devcloud).
  if (path === '' || path === '/') {
    const versions = [versionEntry(state, base, 'v2.0'), versionEntry(state, base, 'v2.1')];
    sendJsonBody(res, 200, { versions }, []);
    return;
  }
  if (path === '/v2.1' || path === '/v2.1/') {
    // A wsgi.Resource like every v2.1 controller: it negotiates and echoes the microversion.
    const version = negotiateOrFail(state, req, res, ids);
    if (version !== undefined)
      sendJsonBody(res, 200, versionDocument(state, base, 'v2.1'), [...versionHeaders(version), ...ids]);
    return;
  }
  if (path === '/v2' || path === '/v2/') {
    sendJsonBody(res, 200, versionDocument(state, base, 'v2.0'), ids);
    return;
  }
  const m = /^\/(v2\.1|v2)(\/.*)$/.exec(path);
  if (!m) {
    // Anything outside /v2 and /v2.1 goes to the versions app's "multiple choices" answer.
    const choices = (['v2.0', 'v2.1'] as const).map((id) => ({
      id,
      status: versionEntry(state, base, id).status,
      links: [{ rel: 'self', href: `${base}/${id === 'v2.0' ? 'v2' : 'v2.1'}${path}` }],
      'media-types': [
        { base: 'application/json', type: `application/vnd.openstack.compute+json;version=${id.slice(1)}` },
      ],
    }));
    sendJsonBody(res, 300, { choices }, []);
    return;
  }
  const legacyV2 = m[1] === 'v2';
  let rest = m[2] ?? '';
  const endpoint = `${base}/${m[1]}`;

  // keystonemiddleware runs before any routing.
  const ctx = authtoken(state, req, res, base, ids);
  if (!ctx) return;

  // ProjectMapper registers each route with and without a leading /{project_id} ([0-9a-f-]+).
  let urlProject: string | undefined;
  let match = matchRoute(rest, req.method);
  if (!match) {
    const pm = /^\/([0-9a-f-]+)(\/.*)$/.exec(rest);
    if (pm) {
      match = matchRoute(pm[2] ?? '', req.method);
      if (match) {
        urlProject = pm[1];
        rest = pm[2] ?? '';
      }
    }
  }
  if (!match) {
    const page = notFoundPage(req.headers['accept']);
    send(res, 404, [['Content-Type', page.contentType], ...ids], page.body);
    return;
  }

  let version: Version = { major: 2, minor: 0 };
  let vh: HeaderList = [];
  if (!legacyV2) {
    const neg = negotiateOrFail(state, req, res, ids);
    if (neg === undefined) return;
    version = neg;
    vh = versionHeaders(version);
  }
  const headers: HeaderList = [...vh, ...ids];

  const ctHeader = req.headers['content-type'];
  if (ctHeader !== undefined) {
    const ct = ctHeader.split(';')[0]?.trim().toLowerCase() ?? '';
    if (ct !== '' && ct !== 'text/plain' && !SUPPORTED_CONTENT_TYPES.includes(ct)) {
      sendFault(res, new NovaFault(415, 'Unsupported Content-Type'), headers);
      return;
    }
  }

  let body: unknown = null;
  let action: string | undefined;
  const hasBody = req.method === 'POST' || req.method === 'PUT';
  if (hasBody && req.body !== undefined && req.body.length > 0) {
    const parsed = parseJson(req.body);
    if (!parsed.ok) {
      sendFault(res, badRequest('Malformed request body'), headers);
      return;
    }
    body = parsed.value;
  }
  if (match.route.action) {
    // Resource.get_method peeks at the single top-level key to find the action.
    if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length !== 1) {
      sendFault(res, badRequest('Malformed request body'), headers);
      return;
    }
    action = Object.keys(body)[0] ?? '';
    if (!SERVER_ACTIONS.has(action)) {
      sendFault(res, badRequest(`There is no such action: ${action}`), headers);
      return;
    }
  }

  if (urlProject !== undefined && urlProject !== ctx.projectId) {
    sendFault(
      res,
      badRequest(
        `Malformed request URL: URL's project_id '${urlProject}' doesn't match Context's project_id '${ctx.projectId}'`,
      ),
      headers,
    );
    return;
  }

  const n: NovaRequest = {
    state,
    req,
    ctx,
    version,
    legacyV2,
    requestId: rid,
    body,
    params: match.params,
    endpoint,
  };
  let result: NovaResult;
  try {
    // From 2.102 list/show validate their query strings (additionalProperties: false).
    const from = state.profile.queryValidationFromMinor;
    const isQueryChecked =
      from !== undefined &&
      !legacyV2 &&
      req.method === 'GET' &&
      /\/os-interface(\/[^/]+)?$/.test(rest) &&
      version.minor >= from;
    if (isQueryChecked) {
      const keys = [...new Set(req.query.keys())];
      if (keys.length > 0) {
        const verb = keys.length === 1 ? 'was' : 'were';
        throw badRequest(
          `Additional properties are not allowed (${keys.map((k) => `'${k}'`).join(', ')} ${verb} unexpected)`,
        );
      }
    }
    const handler = match.route.methods[req.method];
    if (action !== undefined) result = serverAction(n, action);
    else if (handler) result = handler(n);
    else throw new Error('route without handler');
  } catch (e) {
    if (e instanceof NovaFault) {
      sendFault(res, e, headers);
      return;
    }
    const name = e instanceof Error ? e.constructor.name : 'Exception';
    sendFault(res, unexpected(state.profile, `builtins.${name}`), headers);
    return;
  }
  const extra = result.headers ?? [];
  if (result.body === undefined) {
    send(res, result.status, [['Content-Type', 'application/json'], ...extra, ...headers], undefined);
    return;
  }
  send(
    res,
    result.status,
    [['Content-Type', 'application/json'], ...extra, ...headers],
    JSON.stringify(result.body),
  );
}
