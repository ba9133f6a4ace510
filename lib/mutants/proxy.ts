// The deviation proxy: an HTTP server in front of any OpenStack cloud (the embedded mock or a real
// one) that forwards every request and lets at most one mutant rewrite it or its answer. Keeping the
// deviations here, outside the mock, leaves the mock a clean description of Nova and lets the same
// mutants run against a real cloud.
//
// Routing: every upstream origin the proxy learns (the auth URL's, then each catalog endpoint's) is
// served under a path prefix `/_u<n>` of the proxy. The Keystone token answer's catalog, every other
// JSON body and the Location/WWW-Authenticate headers are rewritten to those prefixes, so a client
// that starts at the proxied auth URL sends all its traffic through the proxy.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type {
  HeaderList,
  InterfaceRoute,
  Mutant,
  ProxyMemory,
  Reply,
  RequestContext,
  ResponseContext,
  Service,
  TokenInfo,
} from './types.ts';

export interface ProxyOptions {
  /** Keystone URL of the target, e.g. `http://127.0.0.1:5000/v3` or the mock's authUrl. */
  readonly upstreamAuthUrl: string;
  readonly mutant?: Mutant | undefined;
  /** PEM file of CA certificates for an https target (OS_CACERT). */
  readonly caFile?: string | undefined;
  /** Skip certificate verification of the target (OS_INSECURE). */
  readonly insecure?: boolean | undefined;
  /** Errors of the proxy itself (not of the target) are reported here. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

export interface RunningProxy {
  /** Base URL of the proxy. */
  readonly url: string;
  /** The target's auth URL, as seen through the proxy. */
  readonly authUrl: string;
  readonly memory: ProxyMemory;
  /** How many exchanges the mutant changed (or answered itself), to tell a mutant that never fired. */
  readonly counters: { fired: number };
  stop(): Promise<void>;
}

interface ServiceRoot {
  readonly service: Service;
  readonly origin: number;
  /** Path prefix under the origin where the service lives (no trailing slash; '' for the root). */
  readonly path: string;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'te',
  'trailer',
]);

const INTERFACE_ROUTE = /^\/(v2(?:\.1)?)(?:\/([^/]+))?\/servers\/([^/]+)\/os-interface(?:\/([^/]+))?\/?$/;

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

export function setHeader(headers: HeaderList, name: string, value: string): void {
  removeHeader(headers, name);
  headers.push([name, value]);
}

export function removeHeader(headers: HeaderList, name: string): void {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--)
    if (headers[i]?.[0].toLowerCase() === lower) headers.splice(i, 1);
}

/** The compute microversion a request asks for, resolved as Nova does (the standard header wins). */
function requestedMicroversion(headers: HeaderList): string | undefined {
  const standard = headerValue(headers, 'OpenStack-API-Version');
  if (standard !== undefined) {
    for (const entry of standard.split(',')) {
      const [service, version] = entry.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && version !== undefined) return version;
    }
  }
  return headerValue(headers, 'X-OpenStack-Nova-API-Version');
}

/** Strips the version suffix of a catalog endpoint so that every path of the service matches it. */
function serviceRootPath(service: Service, path: string): string {
  let p = path.replace(/\/+$/, '');
  if (service === 'compute') p = p.replace(/\/v2(?:\.1)?(?:\/[^/]*)?$/, '');
  else if (service === 'identity') p = p.replace(/\/v3$/, '');
  else p = p.replace(/\/v2(?:\.0)?$/, '');
  return p;
}

function serviceOfType(type: string): Service {
  if (type === 'identity' || type === 'compute' || type === 'network' || type === 'image') return type;
  return 'other';
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function pairs(raw: string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
}

/** A fingerprint of an exchange's parts, to tell whether a mutant changed anything. */
function snapshot(a: string, b: string, headers: HeaderList, body: Buffer | undefined): string {
  return JSON.stringify([a, b, headers, body?.toString('base64') ?? null]);
}

/** Header pairs as a Node header object: the first spelling of a name wins, repeats become arrays. */
function headerObject(headers: HeaderList): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const names = new Map<string, string>();
  for (const [k, v] of headers) {
    const name = names.get(k.toLowerCase()) ?? k;
    names.set(k.toLowerCase(), name);
    const had = out[name];
    out[name] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

function isJson(headers: HeaderList): boolean {
  return /json/i.test(headerValue(headers, 'content-type') ?? '');
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const auth = new URL(options.upstreamAuthUrl);
  const origins: string[] = [auth.origin];
  const roots: ServiceRoot[] = [
    { service: 'identity', origin: 0, path: serviceRootPath('identity', auth.pathname) },
  ];
  const memory: ProxyMemory = { tokens: [], notes: new Map() };
  const counters = { fired: 0 };
  const mutant = options.mutant;
  const tls: https.AgentOptions = {
    keepAlive: true,
    ...(options.caFile !== undefined && { ca: readFileSync(options.caFile) }),
    ...(options.insecure === true && { rejectUnauthorized: false }),
  };
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent(tls) };
  let self = '';

  const originIndex = (origin: string): number => {
    const known = origins.indexOf(origin);
    if (known >= 0) return known;
    origins.push(origin);
    return origins.length - 1;
  };

  /** Upstream URL → the same resource through the proxy. */
  const viaProxy = (text: string): string => {
    let out = text;
    // Longest origins first, so that http://h:80 never eats part of http://h:8080.
    const order = origins.map((o, i) => [o, i] as const).sort((a, b) => b[0].length - a[0].length);
    for (const [origin, i] of order) out = out.split(origin).join(`${self}/_u${i}`);
    return out;
  };

  const send = (
    method: string,
    origin: number,
    path: string,
    headers: HeaderList,
    body: Buffer | undefined,
  ): Promise<Reply> => {
    const target = new URL(path, origins[origin] ?? auth.origin);
    const secure = target.protocol === 'https:';
    const outHeaders: HeaderList = headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()));
    if (body !== undefined && (body.length > 0 || method === 'POST' || method === 'PUT'))
      outHeaders.push(['Content-Length', String(body.length)]);
    return new Promise<Reply>((resolve, reject) => {
      const req = (secure ? https : http).request(
        target,
        {
          method,
          agent: secure ? agents.https : agents.http,
          // Names keep the case the client sent; repeated headers stay separate lines.
          headers: headerObject(outHeaders),
        },
        (res) => {
          readAll(res).then(
            (buf) =>
              resolve({
                status: res.statusCode ?? 502,
                headers: pairs(res.rawHeaders),
                body: buf,
              }),
            reject,
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  const locate = (pathname: string): { origin: number; rest: string } | undefined => {
    const m = /^\/_u(\d+)(\/.*)?$/.exec(pathname);
    if (m === null) return undefined;
    const origin = Number(m[1]);
    if (origins[origin] === undefined) return undefined;
    return { origin, rest: m[2] ?? '/' };
  };

  const serviceOf = (origin: number, rest: string): { service: Service; root: string; path: string } => {
    let best: ServiceRoot | undefined;
    for (const root of roots) {
      if (root.origin !== origin) continue;
      if (rest !== root.path && !rest.startsWith(`${root.path}/`) && root.path !== '') continue;
      if (best === undefined || root.path.length > best.path.length) best = root;
    }
    if (best === undefined) return { service: 'other', root: '', path: rest };
    return { service: best.service, root: best.path, path: rest.slice(best.path.length) };
  };

  const learnToken = (reply: Reply): void => {
    const value = headerValue(reply.headers, 'x-subject-token');
    if (value === undefined || reply.status >= 300) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.body.toString('utf8'));
    } catch {
      return;
    }
    const token = (parsed as { token?: Record<string, unknown> }).token;
    if (token === undefined) return;
    const user = token['user'] as { name?: string } | undefined;
    const project = token['project'] as { id?: string } | undefined;
    const roles = (token['roles'] as { name?: string }[] | undefined) ?? [];
    const info: TokenInfo = {
      value,
      userName: user?.name ?? '',
      projectId: project?.id ?? '',
      roles: roles.map((r) => r.name ?? ''),
    };
    memory.tokens.push(info);
    const catalog =
      (token['catalog'] as { type?: string; endpoints?: { url?: string }[] }[] | undefined) ?? [];
    for (const entry of catalog) {
      const service = serviceOfType(entry.type ?? '');
      for (const endpoint of entry.endpoints ?? []) {
        if (endpoint.url === undefined) continue;
        let url: URL;
        try {
          url = new URL(endpoint.url);
        } catch {
          continue;
        }
        const origin = originIndex(url.origin);
        const path = serviceRootPath(service, url.pathname);
        if (!roots.some((r) => r.origin === origin && r.path === path && r.service === service))
          roots.push({ service, origin, path });
      }
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const where = locate(url.pathname);
    if (where === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a proxied path\n');
      return;
    }
    const raw = await readAll(req);
    const { service, root, path } = serviceOf(where.origin, where.rest);
    const headers = pairs(req.rawHeaders).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()));
    const tokenValue = headerValue(headers, 'x-auth-token');
    const route = service === 'compute' ? INTERFACE_ROUTE.exec(path) : null;
    const interfaceRoute: InterfaceRoute | undefined =
      route === null
        ? undefined
        : {
            version: route[1] ?? 'v2.1',
            projectId: route[2],
            serverId: route[3] ?? '',
            portId: route[4],
          };
    const hasBody = raw.length > 0 || req.headers['content-length'] !== undefined;
    const ctx: RequestContext = {
      method: req.method ?? 'GET',
      service,
      path,
      query: url.search,
      headers,
      body: hasBody ? raw : undefined,
      route: interfaceRoute,
      microversion: requestedMicroversion(headers),
      token: memory.tokens.find((t) => t.value === tokenValue),
      proxy: memory,
      upstream: (method, servicePath, h, body) =>
        send(method, where.origin, `${root}${servicePath}`, h, body),
      upstreamTo: (other, method, servicePath, h, body) => {
        const at = roots.find((r) => r.service === other);
        if (at === undefined) return Promise.reject(new Error(`no ${other} endpoint in the catalog`));
        return send(method, at.origin, `${at.path}${servicePath}`, h, body);
      },
    };
    let reply: Reply | undefined;
    let fired = false;
    if (mutant?.onRequest !== undefined) {
      const before = snapshot(ctx.path, ctx.query, ctx.headers, ctx.body);
      reply = (await mutant.onRequest(ctx)) ?? undefined;
      fired = reply !== undefined || before !== snapshot(ctx.path, ctx.query, ctx.headers, ctx.body);
    }
    reply ??= await send(ctx.method, where.origin, `${root}${ctx.path}${ctx.query}`, ctx.headers, ctx.body);
    if (service === 'identity') learnToken(reply);
    const out: ResponseContext = {
      request: ctx,
      status: reply.status,
      headers: reply.headers,
      body: reply.body,
    };
    // Point every URL the client may follow at the proxy before the mutant sees the answer.
    if (isJson(out.headers) && out.body.length > 0)
      out.body = Buffer.from(viaProxy(out.body.toString('utf8')));
    out.headers = out.headers.map(([k, v]) => [
      k,
      /^(location|www-authenticate)$/i.test(k) ? viaProxy(v) : v,
    ]);
    if (mutant?.onResponse !== undefined) {
      const before = snapshot(String(out.status), '', out.headers, out.body);
      await mutant.onResponse(out);
      fired ||= before !== snapshot(String(out.status), '', out.headers, out.body);
    }
    if (fired) counters.fired++;
    const hadLength = headerValue(reply.headers, 'content-length') !== undefined;
    const final = out.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()));
    // Send a Content-Length only where the target did (Debian's uwsgi sends none: HEADERS-03);
    // otherwise Node frames the body itself (chunked).
    if (hadLength) final.push(['Content-Length', String(out.body.length)]);
    res.writeHead(out.status, headerObject(final));
    res.end(ctx.method === 'HEAD' ? undefined : out.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  return {
    url: self,
    authUrl: `${self}/_u0${auth.pathname.replace(/\/+$/, '')}`,
    memory,
    counters,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agents.http.destroy();
        agents.https.destroy();
      });
      return stopped;
    },
  };
}
