import { afterEach, expect, test } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isEnvironmentError } from '../../lib/openstack/errors.ts';
import { HttpClient } from '../../lib/openstack/http.ts';
import { hostile, uwsgiLike } from './servers.ts';

// A server or a proxy may close a kept-alive connection just as the next request goes out on it
// (the 2026.2 devcloud's uwsgi did, once, under the drain's burst of reads): a read is sent once
// more on a fresh connection; a write never, since sent twice it could act twice.

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.close()));
  open = [];
});

/** Drops the connection of the first `drops` requests, then answers 200. */
async function flaky(drops: number): Promise<{ url: string; seen: () => string[] }> {
  const seen: string[] = [];
  const server = await hostile((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.method ?? '');
    if (seen.length <= drops) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok": true}');
  });
  open.push(server);
  return { url: server.url, seen: () => seen };
}

function client(): HttpClient {
  const http = new HttpClient({ timeoutMs: 2000, maxResponseBytes: 1024 * 1024, maxRetries: 3 });
  open.push(http);
  return http;
}

test('a read whose connection was dropped is sent once more and answered', async () => {
  const server = await flaky(1);
  const got = await client().send({ method: 'GET', url: `${server.url}/servers/x` });
  expect(got.status).toBe(200);
  expect(server.seen()).toEqual(['GET', 'GET']);
});

test('only once: a read dropped twice fails as an unreachable endpoint', async () => {
  const server = await flaky(2);
  const error = await client()
    .send({ method: 'GET', url: `${server.url}/servers/x` })
    .catch((e: unknown) => e);
  expect(isEnvironmentError(error) && error.code).toBe('UNREACHABLE');
  expect(server.seen()).toEqual(['GET', 'GET']);
});

test('a write whose connection was dropped is not sent again', async () => {
  const server = await flaky(1);
  const error = await client()
    .send({ method: 'POST', url: `${server.url}/servers`, json: { server: {} } })
    .catch((e: unknown) => e);
  expect(isEnvironmentError(error) && error.code).toBe('UNREACHABLE');
  expect(server.seen()).toEqual(['POST']);
});

test('a write after a 204 does not go out on the connection the server is closing', async () => {
  const server = await uwsgiLike(50);
  open.push(server);
  const http = client();
  for (let round = 0; round < 3; round += 1) {
    expect((await http.send({ method: 'DELETE', url: `${server.url}/servers/x` })).status).toBe(204);
    const created = await http.send({ method: 'POST', url: `${server.url}/servers`, json: {} });
    expect(created.status).toBe(200);
  }
  expect(server.seen()).toEqual(['DELETE', 'POST', 'DELETE', 'POST', 'DELETE', 'POST']);
});
