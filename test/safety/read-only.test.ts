import { expect, test } from 'vitest';
import type { RunningMock } from '../../lib/mock/start.ts';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Boots a server in the mock through its public API, as an operator's existing server. */
async function bootServer(mock: RunningMock): Promise<string> {
  const { member } = mock.users;
  const auth = await fetch(`${mock.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: member.username,
              password: member.password,
              domain: { name: member.userDomainName },
            },
          },
        },
        scope: { project: { name: member.projectName, domain: { name: member.projectDomainName } } },
      },
    }),
  });
  const token = auth.headers.get('x-subject-token') ?? '';
  const headers = { 'X-Auth-Token': token, 'Content-Type': 'application/json' };
  const compute = `${mock.url}/compute/v2.1`;
  const images = (await (await fetch(`${mock.url}/image/v2/images`, { headers })).json()) as {
    images: { id: string }[];
  };
  const flavors = (await (await fetch(`${compute}/flavors`, { headers })).json()) as {
    flavors: { id: string }[];
  };
  const created = await fetch(`${compute}/servers`, {
    method: 'POST',
    headers: { ...headers, 'OpenStack-API-Version': 'compute 2.37' },
    body: JSON.stringify({
      server: {
        name: 'operator-server',
        imageRef: images.images[0]?.id,
        flavorRef: flavors.flavors[0]?.id,
        networks: 'none',
      },
    }),
  });
  expect(created.status).toBe(202);
  return ((await created.json()) as { server: { id: string } }).server.id;
}

test(
  'a read-only run sends no POST, PUT, PATCH or DELETE except the token request',
  { timeout: 150_000 },
  async () => {
    await withMock({ delays: { build: 50 } }, async (mock) => {
      const serverId = await bootServer(mock);
      const before = mock.stats();
      const dir = tempDir('read-only');
      try {
        const child = spawnCli(['run'], {
          ...mockEnv(mock, dir.path),
          CONFORMANCE_READ_ONLY: '1',
          CONFORMANCE_SERVER_ID: serverId,
        });
        const { code } = await child.exited;
        const requests = mock.stats().requests.slice(before.requests.length);
        const writes = requests
          .filter((r) => MUTATING.has(r.method))
          .filter((r) => !(r.method === 'POST' && r.path === '/identity/v3/auth/tokens'))
          .map((r) => `${r.method} ${r.path} ${r.status}`);
        expect(writes, child.stdout().slice(-3000)).toEqual([]);
        expect(requests.length).toBeGreaterThan(0);
        expect(child.stdout()).toMatch(/skipped/);
        // Every check that changes the cloud skips through requireWrites: none may reach the HTTP
        // client's read-only guard, which would fail the test instead.
        const output = child.stdout() + child.stderr();
        expect(output, output.slice(-3000)).not.toContain('refused to send');
        expect(code, output.slice(-3000)).toBe(0);
        expect({ servers: mock.stats().servers, ports: mock.stats().ports }).toEqual({
          servers: before.servers,
          ports: before.ports,
        });
      } finally {
        dir.remove();
      }
    });
  },
);
