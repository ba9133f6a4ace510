// Child process of part 3: serves either the mock (with a server and an interface ready) or a bare
// node:http server answering one fixed body, and prints one JSON line describing itself. The
// server runs in its own process so that it does not share an event loop with the load generator.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMock } from '../mock/start.ts';

export interface Served {
  readonly url: string;
  readonly token: string;
  readonly serverId: string;
  readonly portId: string;
  readonly netId: string;
  /** The mock's own answer to the interface list, byte for byte, with its content type. */
  readonly listBody: string;
  readonly listContentType: string;
}

async function call(
  url: string,
  init: { method?: string; token?: string; json?: unknown; microversion?: string },
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers['X-Auth-Token'] = init.token;
  if (init.microversion !== undefined) headers['OpenStack-API-Version'] = `compute ${init.microversion}`;
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
  if (response.status >= 400)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response;
}

async function json<T>(response: Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

async function serveMock(): Promise<Served> {
  const mock = await startMock({ port: 0 });
  const { member } = mock.users;
  const auth = await call(`${mock.authUrl}/auth/tokens`, {
    method: 'POST',
    json: {
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: member.username, domain: { name: 'Default' }, password: member.password },
          },
        },
        scope: { project: { name: member.projectName, domain: { name: 'Default' } } },
      },
    },
  });
  const token = auth.headers.get('x-subject-token') ?? '';
  const compute = `${mock.url}/compute/v2.1`;
  const { images } = await json<{ images: { id: string }[] }>(call(`${mock.url}/image/v2/images`, { token }));
  const { flavors } = await json<{ flavors: { id: string }[] }>(call(`${compute}/flavors`, { token }));
  const { networks } = await json<{ networks: { id: string; 'router:external'?: boolean }[] }>(
    call(`${mock.url}/network/v2.0/networks`, { token }),
  );
  const net = networks.find((n) => n['router:external'] !== true) ?? networks[0];
  if (images[0] === undefined || flavors[0] === undefined || net === undefined)
    throw new Error('the mock offers no image, flavor or network to boot with');
  const { server } = await json<{ server: { id: string } }>(
    call(`${compute}/servers`, {
      method: 'POST',
      token,
      json: {
        server: {
          name: 'bench',
          imageRef: images[0].id,
          flavorRef: flavors[0].id,
          networks: [{ uuid: net.id }],
        },
      },
    }),
  );
  for (let i = 0; i < 200; i += 1) {
    const got = await json<{ server: { status: string } }>(
      call(`${compute}/servers/${server.id}`, { token }),
    );
    if (got.server.status === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const list = await call(`${compute}/servers/${server.id}/os-interface`, { token, microversion: '2.70' });
  const listBody = await list.text();
  const first = (JSON.parse(listBody) as { interfaceAttachments: { port_id: string }[] })
    .interfaceAttachments[0];
  if (first === undefined) throw new Error('the benchmark server has no interface');
  return {
    url: mock.url,
    token,
    serverId: server.id,
    portId: first.port_id,
    netId: net.id,
    listBody,
    listContentType: list.headers.get('content-type') ?? 'application/json',
  };
}

/**
 * The limit: fixed answers, no logic. GET answers the mock's list body; POST the attach body the
 * mock answers (its list's first element, wrapped as an attach answer), DELETE Nova's 202 without a
 * body, so that attach+detach is measured against the same request sequence.
 */
async function serveBare(body: string, contentType: string): Promise<{ url: string }> {
  const first = (JSON.parse(body) as { interfaceAttachments?: unknown[] }).interfaceAttachments?.[0] ?? {};
  const attached = JSON.stringify({ interfaceAttachment: first });
  const server = createServer((req, res) => {
    // Drain the request as a real server must, then the fixed answer.
    req.resume();
    req.once('end', () => {
      if (req.method === 'DELETE') {
        res.writeHead(202, { 'Content-Length': 0 });
        res.end();
        return;
      }
      const answer = req.method === 'POST' ? attached : body;
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const kind = process.argv[2];
if (kind === 'mock') {
  process.stdout.write(`${JSON.stringify(await serveMock())}\n`);
} else if (kind === 'bare') {
  const body = process.env['BENCH_BODY'] ?? '{}';
  process.stdout.write(
    `${JSON.stringify(await serveBare(body, process.env['BENCH_CONTENT_TYPE'] ?? 'application/json'))}\n`,
  );
} else {
  process.stderr.write('usage: serve.ts mock|bare\n');
  process.exit(2);
}
// Ends when the parent closes stdin (or kills it): a benchmark server never outlives its bench.
process.stdin.resume();
process.stdin.once('end', () => process.exit(0));
