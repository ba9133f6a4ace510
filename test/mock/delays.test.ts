// RUN_DELAYS: each kind of asynchronous work is still in progress for a client that asks right away
// (and the mock counts that it showed it), and done shortly after.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_DELAYS } from '../../lib/mock/delays.ts';
import { setup } from './app-setup.ts';

type Json = Record<string, unknown>;
// The mock's timers run only when the test says so: no race with a slow machine.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const settle = async (ms: number): Promise<void> => {
  await vi.advanceTimersByTimeAsync(ms);
};

describe('RUN_DELAYS', () => {
  it('shows a build, a port going ACTIVE, a detach and a task state in progress, then done', async () => {
    const { app, agent, demo, boot, iface } = await setup({ delays: RUN_DELAYS });
    const sid = await boot(demo);
    const building = await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo);
    expect((building.body as { server: Json }).server.status).toBe('BUILD');
    await settle(RUN_DELAYS.build);
    const active = await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo);
    expect((active.body as { server: Json }).server.status).toBe('ACTIVE');

    const ports = async (): Promise<Json[]> =>
      ((await agent.get(iface(sid)).set('X-Auth-Token', demo)).body as { interfaceAttachments: Json[] })
        .interfaceAttachments;
    const port = (await ports())[0] ?? {};
    expect(port.port_state).toBe('ACTIVE');
    const detach = await agent.delete(`${iface(sid)}/${String(port.port_id)}`).set('X-Auth-Token', demo);
    expect(detach.status).toBe(202);
    expect((await ports()).map((p) => p.port_id)).toEqual([port.port_id]);
    await settle(RUN_DELAYS.detach);
    expect(await ports()).toEqual([]);

    const reboot = await agent
      .post(`/compute/v2.1/servers/${sid}/action`)
      .set('X-Auth-Token', demo)
      .send({ reboot: { type: 'HARD' } });
    expect(reboot.status).toBe(202);
    const rebooting = await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo);
    expect((rebooting.body as { server: Json }).server['OS-EXT-STS:task_state']).toBe('rebooting_hard');
    await settle(RUN_DELAYS.taskState);

    // The boot port was DOWN when the build ended and became ACTIVE before it was listed; a fresh
    // attach shows DOWN at once.
    const attach = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { net_id: app.state.ids.privateNet } });
    expect((attach.body as { interfaceAttachment: Json }).interfaceAttachment.port_state).toBe('DOWN');
    expect((await ports())[0]?.port_state).toBe('DOWN');
    await settle(RUN_DELAYS.portActive);
    expect((await ports())[0]?.port_state).toBe('ACTIVE');

    const observed = app.stats().observed;
    expect(observed.build).toBe(1);
    expect(observed.detach).toBe(1);
    expect(observed.taskState).toBe(1);
    expect(observed.portActive).toBeGreaterThanOrEqual(2);
  });
});
