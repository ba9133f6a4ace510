// A member's session with the embedded mock through the deviation proxy, for the mutant tests: the
// proxied catalog, the mock's own compute endpoint to compare with, and small helpers to boot
// servers and attach ports through the proxy.
import { expect } from 'vitest';
import { startMock, type MockUser, type RunningMock } from '../../lib/mock/start.ts';
import { mutantByName } from '../../lib/mutants/catalogue.ts';
import { startProxy, type RunningProxy } from '../../lib/mutants/proxy.ts';

const running: { stop(): Promise<void> }[] = [];

/** Stops every mock and proxy the tests started (call from afterEach). */
export async function stopAll(): Promise<void> {
  for (const r of running.splice(0).reverse()) await r.stop();
}

export interface Session {
  mock: RunningMock;
  proxy: RunningProxy;
  token: string;
  /** The compute endpoint of the catalog the proxy handed out. */
  compute: string;
  /** The network and image endpoints of that catalog. */
  network: string;
  image: string;
  /** The same compute endpoint on the mock itself. */
  directCompute: string;
}

type Catalog = { type: string; endpoints: { url: string; interface?: string }[] }[];

export async function login(
  authUrl: string,
  u: MockUser,
): Promise<{ token: string; compute: string; network: string; image: string }> {
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: u.username, password: u.password, domain: { name: 'Default' } } },
        },
        scope: { project: { name: u.projectName, domain: { name: 'Default' } } },
      },
    }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: { catalog: Catalog } };
  const url = (type: string): string => {
    const endpoints = body.token.catalog.find((s) => s.type === type)?.endpoints ?? [];
    return (endpoints.find((e) => e.interface === 'public') ?? endpoints[0])?.url.replace(/\/+$/, '') ?? '';
  };
  return {
    token: res.headers.get('x-subject-token') ?? '',
    compute: url('compute'),
    network: url('network'),
    image: url('image'),
  };
}

/** No mock delays: the tests poll where Nova is asynchronous, and need not wait long. */
const NO_DELAYS = { build: 0, detach: 0, portActive: 0, taskState: 0 };

export async function session(mutant?: string): Promise<Session> {
  const mock = await startMock({ port: 0, delays: NO_DELAYS });
  running.push(mock);
  const chosen = mutant === undefined ? undefined : mutantByName(mutant);
  if (mutant !== undefined) expect(chosen, `mutant ${mutant}`).toBeDefined();
  const proxy = await startProxy({ upstreamAuthUrl: mock.authUrl, mutant: chosen });
  running.push(proxy);
  const { token, compute, network, image } = await login(proxy.authUrl, mock.users.member);
  return { mock, proxy, token, compute, network, image, directCompute: `${mock.url}/compute/v2.1` };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function call(
  url: string,
  method: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token !== undefined && { 'X-Auth-Token': token }),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const get = (url: string, token?: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(url, 'GET', token, undefined, headers);

function json<T>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const got = await probe();
    if (got !== undefined) return got;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Boots a server on the project's private network and waits until it is ACTIVE. */
export async function bootServer(s: Session, name: string): Promise<string> {
  const networks = json<{ networks: { id: string; name: string }[] }>(
    await get(`${s.network}/v2.0/networks?name=private`, s.token),
  ).networks;
  const images = json<{ images: { id: string }[] }>(await get(`${s.image}/v2/images`, s.token)).images;
  const booted = await call(
    `${s.compute}/servers`,
    'POST',
    s.token,
    {
      server: { name, imageRef: images[0]?.id, flavorRef: '1', networks: [{ uuid: networks[0]?.id }] },
    },
    { 'OpenStack-API-Version': 'compute 2.37' },
  );
  expect(booted.status, booted.text).toBe(202);
  const id = json<{ server: { id: string } }>(booted).server.id;
  await until(`server ${id} ACTIVE`, async () => {
    const shown = json<{ server: { status: string } }>(await get(`${s.compute}/servers/${id}`, s.token));
    return shown.server.status === 'ACTIVE' ? true : undefined;
  });
  return id;
}

/** Attaches a new port on the private network through the proxy; returns its id. */
export async function attachNetworkPort(s: Session, serverId: string): Promise<string> {
  const networks = json<{ networks: { id: string }[] }>(
    await get(`${s.network}/v2.0/networks?name=private`, s.token),
  ).networks;
  const attached = await call(`${s.compute}/servers/${serverId}/os-interface`, 'POST', s.token, {
    interfaceAttachment: { net_id: networks[0]?.id },
  });
  expect(attached.status, attached.text).toBe(200);
  return json<{ interfaceAttachment: { port_id: string } }>(attached).interfaceAttachment.port_id;
}

/** The port ids a server's interface list shows, as `compute` (proxied or direct) answers it. */
export async function listedPorts(compute: string, token: string, serverId: string): Promise<string[]> {
  const listed = await get(`${compute}/servers/${serverId}/os-interface`, token);
  expect(listed.status, listed.text).toBe(200);
  return json<{ interfaceAttachments: { port_id: string }[] }>(listed).interfaceAttachments.map(
    (a) => a.port_id,
  );
}

/** Polls until `check` holds for the server's list (a detach ends after its 202). */
export async function untilListed(
  compute: string,
  token: string,
  serverId: string,
  check: (ports: string[]) => boolean,
): Promise<string[]> {
  return until(`the list of ${serverId} to change`, async () => {
    const ports = await listedPorts(compute, token, serverId);
    return check(ports) ? ports : undefined;
  });
}
