// What differs between the imitated releases beyond the recordings (replay.test.ts): policy defaults for
// a reader, the 2.102 query validation, the 500 text, Neutron 29's delete_port, the default and the CLI.
import type request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { createMockApp } from '../../lib/mock/app.ts';
import { runMockCli } from '../../lib/mock/cli.ts';
import { PROFILES, RELEASES, type Release, releaseWithMaximum } from '../../lib/mock/releases.ts';
import { fault, setup } from './app-setup.ts';

type Json = Record<string, unknown>;

const MAX: Record<Release, string> = { zed: '2.93', epoxy: '2.100', '2026.2': '2.104' };

describe('default release', () => {
  it('is Zed when no release is given', async () => {
    const { agent } = await setup();
    const v = await agent.get('/compute/v2.1/').set('OpenStack-API-Version', 'compute latest');
    expect((v.body as { version: Json }).version.version).toBe('2.93');
    expect(v.headers['openstack-api-version']).toBe('compute 2.93');
  });
  it('finds the release of a real cloud by its maximum microversion', () => {
    expect(['2.93', '2.100', '2.104', '2.103', '2.1'].map(releaseWithMaximum)).toEqual([
      'zed',
      'epoxy',
      '2026.2',
      undefined,
      undefined,
    ]);
  });
  it('refuses a release it does not imitate', () => {
    // A caller from plain JavaScript (or an old `master`) gets a clear error, not a silent Zed.
    expect(() => createMockApp({ release: 'master' as Release })).toThrow(/unknown release 'master'/);
  });
});

describe.each(RELEASES)('release %s', (release) => {
  const newDefaults = release !== 'zed';

  it(`negotiates up to ${MAX[release]} and refuses the next one`, async () => {
    const { agent, demo, boot, iface } = await setup({ release });
    const sid = await boot(demo);
    const latest = await agent
      .get(iface(sid))
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute latest');
    expect(latest.status).toBe(200);
    expect(latest.headers['openstack-api-version']).toBe(`compute ${MAX[release]}`);
    const next = `2.${PROFILES[release].maxMinor + 1}`;
    fault(
      await agent.get(iface(sid)).set('X-Auth-Token', demo).set('OpenStack-API-Version', `compute ${next}`),
      406,
      'computeFault',
      `Version ${next} is not supported by the API. Minimum is 2.1 and maximum is ${MAX[release]}.`,
    );
  });

  it(`lets a reader-only token list${newDefaults ? ' but not attach or detach' : ', attach and detach'}`, async () => {
    const { agent, demo, reader, boot, iface, ids } = await setup({ release });
    const sid = await boot(demo);
    expect((await agent.get(iface(sid)).set('X-Auth-Token', reader)).status).toBe(200);
    const attach = await agent
      .post(iface(sid))
      .set('X-Auth-Token', reader)
      .send({ interfaceAttachment: { net_id: ids.privateNet } });
    const detach = await agent.delete(`${iface(sid)}/x`).set('X-Auth-Token', reader);
    if (newDefaults) {
      const rule = 'os_compute_api:os-attach-interfaces';
      fault(attach, 403, 'forbidden', `Policy doesn't allow ${rule}:create to be performed.`);
      fault(detach, 403, 'forbidden', `Policy doesn't allow ${rule}:delete to be performed.`);
    } else {
      expect(attach.status, attach.text).toBe(200);
      expect(detach.status, detach.text).toBe(202);
    }
    const create = await agent
      .post('/compute/v2.1/servers')
      .set('X-Auth-Token', reader)
      .set('OpenStack-API-Version', 'compute 2.37')
      .send({ server: { name: 'vm', imageRef: ids.image, flavorRef: '1', networks: 'none' } });
    if (newDefaults)
      fault(create, 403, 'forbidden', "Policy doesn't allow os_compute_api:servers:create to be performed.");
    else expect(create.status, create.text).toBe(202);
  });

  it(`lets a reader-only token ${newDefaults ? 'see but not change' : 'change'} a server of its project`, async () => {
    const { agent, demo, reader, boot } = await setup({ release });
    const sid = await boot(demo);
    const server = `/compute/v2.1/servers/${sid}`;
    expect((await agent.get(server).set('X-Auth-Token', reader)).status).toBe(200);
    const attempts: [string, request.Test][] = [
      ['os-lock-server:lock', agent.post(`${server}/action`).send({ lock: null })],
      ['servers:stop', agent.post(`${server}/action`).send({ 'os-stop': null })],
      ['servers:reboot', agent.post(`${server}/action`).send({ reboot: { type: 'SOFT' } })],
      ['servers:update', agent.put(server).send({ server: { name: 'renamed' } })],
      ['servers:delete', agent.delete(server)],
    ];
    for (const [rule, attempt] of attempts) {
      const res = await attempt.set('X-Auth-Token', reader);
      if (newDefaults)
        fault(res, 403, 'forbidden', `Policy doesn't allow os_compute_api:${rule} to be performed.`);
      else expect(res.status, `${rule}: ${res.text}`).toBeLessThan(300);
      // Zed's reader really did it: undo what blocks the next attempt.
      if (!newDefaults && rule === 'os-lock-server:lock')
        expect(
          (await agent.post(`${server}/action`).set('X-Auth-Token', demo).send({ unlock: null })).status,
        ).toBe(202);
      if (!newDefaults && rule === 'servers:stop')
        expect(
          (await agent.post(`${server}/action`).set('X-Auth-Token', demo).send({ 'os-start': null })).status,
        ).toBe(202);
    }
  });

  it('says what the release says in an Unexpected API Error', async () => {
    const { agent, demo, boot, iface } = await setup({ release });
    const sid = await boot(demo);
    const res = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { net_id: '964c0797-fd9e-4913-9805-22713639660b' } });
    const support =
      release === '2026.2'
        ? 'Please contact the administrator'
        : 'Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.';
    fault(
      res,
      500,
      'computeFault',
      `Unexpected API Error. ${support}\n<class 'oslo_messaging.rpc.client.RemoteError'>`,
    );
  });

  it(
    release === '2026.2'
      ? 'rejects unknown query parameters on list and show from 2.102, not before'
      : 'ignores query parameters on list and show at every microversion it has',
    async () => {
      const { agent, demo, boot, iface, app } = await setup({ release });
      const sid = await boot(demo);
      const port = [...app.state.ports.values()].find((p) => p.deviceId === sid)?.id ?? '';
      const get = (path: string, version: string) =>
        agent.get(path).set('X-Auth-Token', demo).set('OpenStack-API-Version', `compute ${version}`);
      const rejects = release === '2026.2';
      for (const path of [iface(sid), `${iface(sid)}/${port}`]) {
        expect((await get(`${path}?foo=bar`, '2.1')).status).toBe(200);
        expect((await get(`${path}?foo=bar`, rejects ? '2.101' : MAX[release])).status).toBe(200);
        if (rejects)
          fault(
            await get(`${path}?foo=bar`, MAX[release]),
            400,
            'badRequest',
            "Additional properties are not allowed ('foo' was unexpected)",
          );
      }
      if (!rejects) return;
      fault(
        await get(`${iface(sid)}?foo=1&bar=2`, '2.102'),
        400,
        'badRequest',
        "Additional properties are not allowed ('foo', 'bar' were unexpected)",
      );
      // The legacy /v2 endpoint has no microversions, so no query schema either.
      expect(
        (await agent.get(`/compute/v2/servers/${sid}/os-interface?foo=bar`).set('X-Auth-Token', demo)).status,
      ).toBe(200);
    },
  );
});

describe("Neutron's delete_port for compute ports", () => {
  const computePort = async (m: Awaited<ReturnType<typeof setup>>): Promise<string> => {
    const res = await m.agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', m.demo)
      .send({
        port: {
          network_id: m.ids.privateNet,
          device_id: '4f1c2d6e-0000-4000-8000-000000000001',
          device_owner: 'compute:nova',
        },
      });
    expect(res.status, res.text).toBe(201);
    return String((res.body as { port: Json }).port.id);
  };

  it('2026.2: a member may not delete a compute:* port, even one bound to no server', async () => {
    const m = await setup({ release: '2026.2' });
    const pid = await computePort(m);
    const res = await m.agent.delete(`/network/v2.0/ports/${pid}`).set('X-Auth-Token', m.demo);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      NeutronError: {
        type: 'PolicyNotAuthorized',
        message: 'rule:delete_port is disallowed by policy',
        detail: '',
      },
    });
    expect(m.app.state.ports.has(pid)).toBe(true);
  });

  it('2026.2: clearing device_owner and device_id first lets the member delete it', async () => {
    const m = await setup({ release: '2026.2' });
    const pid = await computePort(m);
    const put = await m.agent
      .put(`/network/v2.0/ports/${pid}`)
      .set('X-Auth-Token', m.demo)
      .send({ port: { device_owner: '', device_id: '' } });
    expect(put.status, put.text).toBe(200);
    expect((put.body as { port: Json }).port).toMatchObject({ device_owner: '', device_id: '' });
    expect((await m.agent.delete(`/network/v2.0/ports/${pid}`).set('X-Auth-Token', m.demo)).status).toBe(204);
  });

  it('2026.2: an admin may delete a compute port; a port Nova attached is freed by a detach', async () => {
    const m = await setup({ release: '2026.2' });
    const pid = await computePort(m);
    expect((await m.agent.delete(`/network/v2.0/ports/${pid}`).set('X-Auth-Token', m.admin)).status).toBe(
      204,
    );
    const sid = await m.boot(m.demo);
    const own = await m.agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', m.demo)
      .send({ port: { network_id: m.ids.privateNet } });
    const userPort = String((own.body as { port: Json }).port.id);
    const attach = await m.agent
      .post(m.iface(sid))
      .set('X-Auth-Token', m.demo)
      .send({ interfaceAttachment: { port_id: userPort } });
    expect(attach.status, attach.text).toBe(200);
    expect((await m.agent.delete(`/network/v2.0/ports/${userPort}`).set('X-Auth-Token', m.demo)).status).toBe(
      403,
    );
    expect((await m.agent.delete(`${m.iface(sid)}/${userPort}`).set('X-Auth-Token', m.demo)).status).toBe(
      202,
    );
    expect((await m.agent.delete(`/network/v2.0/ports/${userPort}`).set('X-Auth-Token', m.demo)).status).toBe(
      204,
    );
  });

  it.each(['zed', 'epoxy'] as const)('%s: a member deletes a compute port directly', async (release) => {
    const m = await setup({ release });
    const pid = await computePort(m);
    expect((await m.agent.delete(`/network/v2.0/ports/${pid}`).set('X-Auth-Token', m.demo)).status).toBe(204);
  });

  it('a port whose device_id moves away from a server leaves its interface list', async () => {
    const m = await setup({ release: 'zed' });
    const sid = await m.boot(m.demo);
    const port = [...m.app.state.ports.values()].find((p) => p.deviceId === sid)?.id ?? '';
    const put = await m.agent
      .put(`/network/v2.0/ports/${port}`)
      .set('X-Auth-Token', m.demo)
      .send({ port: { device_id: '' } });
    expect(put.status).toBe(200);
    const list = await m.agent.get(m.iface(sid)).set('X-Auth-Token', m.demo);
    expect((list.body as { interfaceAttachments: unknown[] }).interfaceAttachments).toEqual([]);
  });
});

describe('mock --release', () => {
  const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    try {
      return { code: await runMockCli(argv), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };
  it('names the three releases in --help, Zed as the default', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('[--release zed|epoxy|2026.2]');
    expect(out).toMatch(/zed +Nova 26 \(Zed\), maximum microversion 2\.93 \(default\)/);
    expect(out).toMatch(/2026\.2 +Nova 34 \(2026\.2\), maximum microversion 2\.104\n/);
  });
  it.each([['master'], ['Zed'], []])('refuses --release %s with exit 2', async (...value: string[]) => {
    const { code, err } = await run(['--release', ...value]);
    expect(code).toBe(2);
    expect(err).toMatch(/^mock: --release must be one of zed, epoxy, 2026\.2, got /);
  });
});
