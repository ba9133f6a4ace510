import { afterEach, describe, expect, test } from 'vitest';
import { formatExchange } from '../../lib/harness/exchange-log.ts';
import { discoverVersions } from '../../lib/openstack/compute.ts';
import { isEnvironmentError } from '../../lib/openstack/errors.ts';
import { HttpClient, ReadOnlyViolation } from '../../lib/openstack/http.ts';
import { authenticate } from '../../lib/openstack/keystone.ts';
import * as s from './servers.ts';

const TIMEOUT_MS = 500;
const CAP = 1024 * 1024;

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.close()));
  open = [];
});

async function serve(handler: Parameters<typeof s.hostile>[0]): Promise<string> {
  const server = await s.hostile(handler);
  open.push(server);
  return server.url;
}

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  const http = new HttpClient({ timeoutMs: TIMEOUT_MS, maxResponseBytes: CAP, maxRetries: 3, ...extra });
  open.push(http);
  return http;
}

/** Runs `body`, expecting it to fail, within `withinMs`; returns the error for inspection. */
async function failure(body: () => Promise<unknown>, withinMs = TIMEOUT_MS + 1500): Promise<Error> {
  const started = Date.now();
  let caught: unknown;
  try {
    await body();
  } catch (error) {
    caught = error;
  }
  const elapsed = Date.now() - started;
  expect(caught, 'expected a failure').toBeInstanceOf(Error);
  expect(elapsed).toBeLessThan(withinMs);
  const error = caught as Error;
  // One readable line: what failed, where, and what to check.
  expect(error.message).not.toContain('\n');
  expect(error.message.length).toBeLessThan(400);
  return error;
}

describe('the HTTP client against hostile or broken endpoints', () => {
  test('an endpoint that never answers: TIMEOUT after the request timeout', async () => {
    const url = await serve(s.silent);
    const error = await failure(() => client().send({ method: 'GET', url }));
    expect(isEnvironmentError(error) && error.code).toBe('TIMEOUT');
    expect(error.message).toContain('no complete answer within 0.5 s (CONFORMANCE_REQUEST_TIMEOUT)');
  });

  test('an endpoint that answers slowly (a byte every 100 ms): the deadline covers the body', async () => {
    const url = await serve(s.trickle);
    const error = await failure(() => client().send({ method: 'GET', url }));
    expect(isEnvironmentError(error) && error.code).toBe('TIMEOUT');
  });

  test('an endpoint that closes the connection', async () => {
    const url = await serve(s.hangUp);
    const error = await failure(() => client().send({ method: 'GET', url }));
    expect(isEnvironmentError(error) && error.code).toBe('UNREACHABLE');
    expect(error.message).toMatch(/closed before a complete answer/);
  });

  test('a truncated answer (fewer bytes than Content-Length)', async () => {
    const url = await serve(s.truncated);
    const error = await failure(() => client().send({ method: 'GET', url }));
    expect(isEnvironmentError(error) && error.code).toBe('UNREACHABLE');
    expect(error.message).toMatch(/closed before a complete answer/);
  });

  test.each([
    ['HTML', s.html],
    ['plain text', s.plainText],
    ['invalid JSON', s.invalidJson],
  ])(
    '%s instead of JSON: the exchange keeps the text, and the version discovery says NOT_JSON',
    async (_name, handler) => {
      const url = await serve(handler);
      const exchange = await client().send({ method: 'GET', url });
      expect(exchange.status).toBe(200);
      expect(exchange.json).toBeUndefined();
      const error = await failure(() => discoverVersions(client(), `${url}/compute/v2.1`));
      expect(isEnvironmentError(error) && error.code).toBe('NOT_JSON');
    },
  );

  test('HTML from Keystone: a readable authentication failure', async () => {
    const url = await serve(s.html);
    const error = await failure(() =>
      authenticate(client(), {
        authUrl: `${url}/v3`,
        method: 'password',
        username: 'u',
        password: 'p',
        projectName: 'p',
      }),
    );
    expect(isEnvironmentError(error)).toBe(true);
    expect(error.message).toMatch(/Keystone at .* (without an X-Subject-Token header|not JSON)/);
  });

  test('100 MB streamed without a length: stopped at the cap, memory bounded', async () => {
    const url = await serve(s.huge);
    const before = process.memoryUsage().rss;
    const error = await failure(() => client().send({ method: 'GET', url }), 5000);
    expect(isEnvironmentError(error) && error.code).toBe('TOO_LARGE');
    expect(error.message).toContain(`exceeded ${CAP} bytes (CONFORMANCE_MAX_RESPONSE_BYTES)`);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  test('100 MB announced in Content-Length: refused before reading', async () => {
    const url = await serve(s.hugeDeclared);
    const error = await failure(() => client().send({ method: 'GET', url }));
    expect(isEnvironmentError(error) && error.code).toBe('TOO_LARGE');
  });

  test('a redirect loop is not followed: the 302 itself is the answer, and Keystone fails readably', async () => {
    const url = await serve(s.redirectLoop);
    const exchange = await client().send({ method: 'GET', url: `${url}/loop` });
    expect(exchange.status).toBe(302);
    const error = await failure(() =>
      authenticate(client(), {
        authUrl: `${url}/v3`,
        method: 'password',
        username: 'u',
        password: 'p',
        projectName: 'p',
      }),
    );
    expect(error.message).toMatch(/answered 302 to the token request/);
  });

  test('a certificate no CA vouches for: TLS failure naming OS_CACERT', async () => {
    const server = await s.hostileTls(s.plainText);
    open.push(server);
    const error = await failure(() => client().send({ method: 'GET', url: server.url }), 5000);
    expect(isEnvironmentError(error) && error.code).toBe('TLS');
    expect(error.message).toContain('OS_CACERT');
  });

  test('429 with Retry-After: retried a bounded number of times, and the retries are reported', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'application/json' });
      res.end('{"message": "slow down"}');
    });
    const exchange = await client().send({ method: 'GET', url });
    expect(exchange.status).toBe(429);
    expect(calls).toBe(4);
    expect(exchange.retries).toBe(3);
    expect(formatExchange(exchange)).toContain('after 3 retries on 429/503');
  });

  test('503 with Retry-After is retried; 503 without it is not', async () => {
    let calls = 0;
    const url = await serve((req, res) => {
      calls += 1;
      const withHeader = req.url === '/retry' && calls === 1;
      res.writeHead(withHeader || req.url !== '/retry' ? 503 : 200, withHeader ? { 'Retry-After': '0' } : {});
      res.end();
    });
    expect((await client().send({ method: 'GET', url: `${url}/retry` })).retries).toBe(1);
    calls = 0;
    const plain = await client().send({ method: 'GET', url: `${url}/plain` });
    expect([plain.status, plain.retries, calls]).toEqual([503, 0, 1]);
  });

  test('read-only: POST, PUT, PATCH and DELETE are refused before they leave, except the token request', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(201).end('{}');
    });
    const http = client({ readOnly: true });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const)
      await expect(http.send({ method, url: `${url}/compute/v2.1/servers` })).rejects.toBeInstanceOf(
        ReadOnlyViolation,
      );
    await http.send({ method: 'POST', url: `${url}/identity/v3/auth/tokens`, json: {} });
    await http.send({ method: 'GET', url: `${url}/compute/v2.1/servers` });
    expect(seen).toEqual(['POST /identity/v3/auth/tokens', 'GET /compute/v2.1/servers']);
  });
});
