import { afterEach, describe, expect, test } from 'vitest';
import { discoverVersions } from '../../lib/openstack/compute.ts';
import type { EnvironmentError } from '../../lib/openstack/errors.ts';
import { isEnvironmentError } from '../../lib/openstack/errors.ts';
import { HttpClient } from '../../lib/openstack/http.ts';
import { authenticate, endpointFor, type CatalogService } from '../../lib/openstack/keystone.ts';
import { parseCatalog } from '../../lib/openstack/catalog.ts';
import { hostile } from '../http/servers.ts';

const KEYSTONE = 'http://keystone/v3/auth/tokens';

function problem(raw: unknown): EnvironmentError {
  try {
    parseCatalog(raw, KEYSTONE);
  } catch (error) {
    if (isEnvironmentError(error)) return error;
    throw error;
  }
  throw new Error('expected an EnvironmentError');
}

function catalogOf(endpoints: number, services = 1): unknown[] {
  return Array.from({ length: services }, (_, s) => ({
    type: s === services - 1 ? 'compute' : `service-${s}`,
    name: `n${s}`,
    endpoints: Array.from({ length: Math.ceil(endpoints / services) }, (_, e) => ({
      interface: 'internal',
      region_id: `Region${e}`,
      url: `http://host-${s}-${e}:8774/v2.1`,
    })),
  }));
}

describe('a catalog the run cannot use is one readable line', () => {
  test.each([
    ['not a list', { compute: 'http://x' }, /token\.catalog must be a list/],
    ['a service that is not an object', ['compute'], /token\.catalog\[0\] must be an object/],
    ['a service without a type', [{ endpoints: [] }], /token\.catalog\[0\]\.type must be a non-empty string/],
    ['endpoints that are not a list', [{ type: 'compute', endpoints: {} }], /\.endpoints must be a list/],
    [
      'an endpoint without a URL',
      [{ type: 'compute', endpoints: [{ interface: 'public' }] }],
      /token\.catalog\[0\]\.endpoints\[0\]\.url must be a non-empty string, got nothing/,
    ],
    [
      'a URL that is a number',
      [{ type: 'compute', endpoints: [{ interface: 'public', url: 42 }] }],
      /\.url must be a non-empty string, got 42/,
    ],
    [
      'an interface that is not a string',
      [{ type: 'compute', endpoints: [{ interface: null, url: 'http://x' }] }],
      /\.interface must be a string/,
    ],
    [
      'a region that is an object',
      [{ type: 'compute', endpoints: [{ interface: 'public', url: 'http://x', region_id: {} }] }],
      /\.region_id must be a string or null/,
    ],
  ])('%s', (_name, raw, expected) => {
    const error = problem(raw);
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(
      /^Keystone at http:\/\/keystone\/v3\/auth\/tokens issued a service catalog the run cannot use: /,
    );
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain('\n');
  });

  test('a long value is cut in the message', () => {
    const error = problem([
      { type: 'compute', endpoints: [{ interface: 'x'.repeat(10_000), url: 'http://x', region_id: 5 }] },
    ]);
    expect(error.message.length).toBeLessThan(300);
  });

  test('the endpoint the run would use is not http(s)', () => {
    const catalog = parseCatalog(
      [{ type: 'compute', endpoints: [{ interface: 'public', url: 'file:///etc/passwd' }] }],
      KEYSTONE,
    );
    expect(() => endpointFor(catalog, ['compute'], 'public')).toThrow(
      /'compute' endpoint \(interface 'public'\) is not an http:\/\/ or https:\/\/ URL: "file:\/\/\/etc\/passwd" \(set CONFORMANCE_COMPUTE_ENDPOINT/,
    );
  });

  test('userinfo in a catalog URL is removed before it is stored; null regions are no region', () => {
    const catalog = parseCatalog(
      [
        {
          type: 'compute',
          endpoints: [{ interface: 'public', region_id: null, url: 'http://svc:Sup3rS3cret@nova/v2.1' }],
        },
      ],
      KEYSTONE,
    );
    expect(catalog).toEqual([
      { type: 'compute', endpoints: [{ interface: 'public', url: 'http://nova/v2.1' }] },
    ]);
  });
});

describe('large catalogs', () => {
  test.each([1000, 5000])('%i endpoints: parsed and searched in linear time', (count) => {
    const started = performance.now();
    const catalog = parseCatalog(catalogOf(count, 50), KEYSTONE);
    const last = `Region${Math.ceil(count / 50) - 1}`;
    expect(endpointFor(catalog, ['compute'], 'internal', last)).toMatch(/^http:\/\/host-49-/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  test('"no such endpoint" lists a few of 5,000 and counts the rest, on one short line', () => {
    const catalog: CatalogService[] = parseCatalog(catalogOf(5000), KEYSTONE);
    let message = '';
    try {
      endpointFor(catalog, ['compute'], 'public');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('internal@Region0, internal@Region1');
    expect(message).toContain('and 4992 more; set OS_INTERFACE / OS_REGION_NAME');
    expect(message.length).toBeLessThan(400);
  });
});

describe('hostile token and version bodies end in a readable line, not a TypeError', () => {
  let open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.map((x) => x.close()));
    open = [];
  });

  async function keystoneAnswering(body: string): Promise<{ url: string; http: HttpClient }> {
    const server = await hostile((_req, res) => {
      res.writeHead(201, {
        'Content-Type': 'application/json',
        'X-Subject-Token': 'gAAAAA-test-token-value',
      });
      res.end(body);
    });
    const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 64 * 1024 * 1024 });
    open.push(server, http);
    return { url: server.url, http };
  }

  const credentials = (url: string) =>
    ({ authUrl: `${url}/v3`, method: 'password', username: 'u', password: 'p', projectName: 'p' }) as const;

  test.each([
    'null',
    '[]',
    '{"token": null}',
    '{"token": {"project": {"id": "p"}, "roles": 7, "catalog": "x"}}',
  ])('token body %s', async (body) => {
    const { url, http } = await keystoneAnswering(body);
    const error = await authenticate(http, credentials(url)).catch((e: unknown) => e);
    expect(isEnvironmentError(error), String(error)).toBe(true);
  });

  test('a token with a catalog of 5,000 endpoints authenticates', async () => {
    const { url, http } = await keystoneAnswering(
      JSON.stringify({ token: { project: { id: 'p' }, catalog: catalogOf(5000, 10) } }),
    );
    const token = await authenticate(http, credentials(url));
    expect(token.catalog.flatMap((s) => s.endpoints)).toHaveLength(5000);
  });

  test('a token nested past the JSON depth limit says so', async () => {
    const { url, http } = await keystoneAnswering(`{"token": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const error = (await authenticate(http, credentials(url)).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/not JSON \(it nests arrays and objects more than 64 levels deep/);
  });

  test.each(['null', '[1]', '{"version": "2.1"}'])('a version document %s', async (body) => {
    const server = await hostile((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
    open.push(server, http);
    const error = await discoverVersions(http, `${server.url}/v2.1`).catch((e: unknown) => e);
    expect(isEnvironmentError(error), String(error)).toBe(true);
  });
});
