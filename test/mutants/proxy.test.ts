// The deviation proxy: faithful with no mutant, and a few mutants transform as they say.
import { afterEach, describe, expect, it } from 'vitest';
import { MUTANTS } from '../../lib/mutants/catalogue.ts';
import { parseOpenrc } from '../../lib/mutants/openrc.ts';
import { get, session, stopAll, type Session } from './session.ts';

afterEach(stopAll);

const RANDOM = '0b2b1f7e-5a43-4c55-9d57-1c2a3b4c5d6e';

describe('deviation proxy without a mutant', () => {
  it('hands out a catalog that points at the proxy and learns the token', async () => {
    const s = await session();
    expect(s.compute.startsWith(`${s.proxy.url}/_u`)).toBe(true);
    expect(s.proxy.memory.tokens.map((t) => t.userName)).toEqual([s.mock.users.member.username]);
  });

  it('answers as the target does: success, fault, 401 and the version document', async () => {
    const s = await session();
    for (const [path, token, headers] of [
      ['/servers', s.token, {}],
      [`/servers/${RANDOM}/os-interface`, s.token, { 'OpenStack-API-Version': 'compute 2.70' }],
      [`/servers/${RANDOM}/os-interface`, undefined, {}],
      ['/', undefined, {}],
    ] as const) {
      const via = await get(`${s.compute}${path}`, token, headers);
      const direct = await get(`${s.directCompute}${path}`, token, headers);
      expect(via.status).toBe(direct.status);
      // Bodies differ only in the origin of links, which point at the proxy.
      expect(
        via.text
          .split(s.proxy.url)
          .join('ORIGIN')
          .replace(/\/_u\d+/g, ''),
      ).toBe(direct.text.split(s.mock.url).join('ORIGIN'));
      for (const name of ['content-type', 'openstack-api-version', 'x-openstack-nova-api-version', 'vary'])
        expect(via.headers.get(name)).toBe(direct.headers.get(name));
      expect(via.headers.get('x-openstack-request-id')).toMatch(/^req-/);
    }
    const challenge = (await get(`${s.compute}/servers`)).headers.get('www-authenticate') ?? '';
    expect(challenge).toContain(s.proxy.url);
  });
});

describe('mutants', () => {
  it('are at least 40, named uniquely, each with suites and a description', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    for (const m of MUTANTS) {
      expect(m.suites.length, m.name).toBeGreaterThan(0);
      expect(m.description, m.name).not.toBe('');
      expect(m.onRequest !== undefined || m.onResponse !== undefined, m.name).toBe(true);
      // The contract of the precision check: at least one behaviour, each a behaviour ID, once.
      expect(m.behaviours.length, m.name).toBeGreaterThan(0);
      for (const b of m.behaviours) expect(b, m.name).toMatch(/^[A-Z]+-\d{2}$/);
      expect(new Set(m.behaviours).size, m.name).toBe(m.behaviours.length);
    }
  });

  it('fault-generic-error-key turns itemNotFound into {"error": ...}', async () => {
    const s = await session('fault-generic-error-key');
    const got = await get(`${s.compute}/servers/${RANDOM}/os-interface`, s.token);
    expect(got.status).toBe(404);
    expect(Object.keys(JSON.parse(got.text) as object)).toEqual(['error']);
  });

  it('mv-header-missing drops OpenStack-API-Version but keeps the legacy header', async () => {
    const s = await session('mv-header-missing');
    const got = await get(`${s.compute}/servers`, s.token);
    expect(got.headers.get('openstack-api-version')).toBeNull();
    expect(got.headers.get('x-openstack-nova-api-version')).toBe('2.1');
  });

  it("tenant-mismatch-ignored answers for the token's project instead of 400", async () => {
    const other = 'f'.repeat(32);
    const plain = await session();
    const url = (s: Session) =>
      `${s.compute.replace(/\/v2\.1$/, '')}/v2.1/${other}/servers/${RANDOM}/os-interface`;
    expect((await get(url(plain), plain.token)).status).toBe(400);
    const s = await session('tenant-mismatch-ignored');
    expect((await get(url(s), s.token)).status).toBe(404);
  });

  it('server-id-not-uuid-400 answers 400 for /servers/abc', async () => {
    const s = await session('server-id-not-uuid-400');
    const got = await get(`${s.compute}/servers/abc/os-interface`, s.token);
    expect(got.status).toBe(400);
    expect(JSON.parse(got.text)).toEqual({ badRequest: { code: 400, message: 'Invalid server id abc' } });
  });
});

describe('openrc', () => {
  it('reads literal OS_* assignments and takes a prompted password from the environment', () => {
    const text = [
      '#!/usr/bin/env bash',
      'export OS_AUTH_URL=http://10.0.0.1:5000/v3',
      'export OS_PROJECT_NAME="demo"',
      "export OS_USERNAME='alice'",
      'read -sr OS_PASSWORD_INPUT',
      'export OS_PASSWORD=$OS_PASSWORD_INPUT',
      'export PATH=/bin',
    ].join('\n');
    expect(parseOpenrc(text, { OS_PASSWORD: 'secret' })).toEqual({
      OS_AUTH_URL: 'http://10.0.0.1:5000/v3',
      OS_PROJECT_NAME: 'demo',
      OS_USERNAME: 'alice',
      OS_PASSWORD: 'secret',
    });
  });
});
