import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRun, type OpenRun } from '../../lib/harness/open-run.ts';
import type { RunningMock } from '../../lib/mock/start.ts';
import { BIN, killGroup, mockEnv, ROOT, spawnCli, tempDir, until, withMock, type Child } from './helpers.ts';

// The footprint on someone else's server (CONFORMANCE_SERVER_ID, docs/safety.md): it is only read
// and given ports the run made. Its status, lock and lock reason, its own ports and its instance
// actions (but for attach and detach of the run's own ports) are as they were, however the run ends.

interface Snapshot {
  readonly status: string;
  readonly locked: boolean;
  readonly lockedReason: string | null;
  readonly ports: readonly string[];
  readonly actions: readonly string[];
}

/** The owner's view of their server, read through the API. */
async function snapshot(owner: OpenRun, serverId: string): Promise<Snapshot> {
  const token = (await owner.token()).value;
  const shown = await owner.compute.call({
    method: 'GET',
    path: `/servers/${serverId}`,
    token,
    microversion: '2.73',
  });
  const server = (shown.json as { server: Record<string, unknown> }).server;
  const listed = await owner.compute.call({
    method: 'GET',
    path: `/servers/${serverId}/os-interface`,
    token,
  });
  const ports = (listed.json as { interfaceAttachments: { port_id: string }[] }).interfaceAttachments
    .map((a) => a.port_id)
    .sort();
  const actions = await owner.compute.call({
    method: 'GET',
    path: `/servers/${serverId}/os-instance-actions`,
    token,
  });
  return {
    status: String(server['status']),
    locked: server['locked'] === true,
    lockedReason: (server['locked_reason'] as string | null | undefined) ?? null,
    ports,
    actions: (actions.json as { instanceActions: { action: string }[] }).instanceActions.map((a) => a.action),
  };
}

/** The owner's server, booted with two ports of their own, locked by them when `lock` is given. */
async function ownersServer(owner: OpenRun, lock: string | undefined): Promise<string> {
  const token = (await owner.token()).value;
  const networks = await owner.network.call('GET', '/networks', token);
  const network = (networks.json as { networks: { id: string; subnets: string[] }[] }).networks.find(
    (n) => n.subnets.length > 0,
  );
  const ports: string[] = [];
  for (const name of ['owners-a', 'owners-b']) {
    const made = await owner.network.call('POST', '/ports', token, {
      port: { name, network_id: network?.id },
    });
    ports.push((made.json as { port: { id: string } }).port.id);
  }
  const images = await owner.http.send({
    method: 'GET',
    url: `${owner.facts.imageBase ?? ''}/v2/images`,
    headers: { 'X-Auth-Token': token },
  });
  const flavors = await owner.compute.call({ method: 'GET', path: '/flavors', token });
  const booted = await owner.compute.call({
    method: 'POST',
    path: '/servers',
    token,
    json: {
      server: {
        name: 'owners-server',
        imageRef: (images.json as { images: { id: string }[] }).images[0]?.id,
        flavorRef: (flavors.json as { flavors: { id: string }[] }).flavors[0]?.id,
        networks: ports.map((port) => ({ port })),
      },
    },
  });
  const id = (booted.json as { server: { id: string } }).server.id;
  await until(() => true, 'nothing');
  for (let i = 0; i < 200; i += 1) {
    const got = await owner.compute.call({ method: 'GET', path: `/servers/${id}`, token });
    if ((got.json as { server: { status: string } }).server.status === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (lock !== undefined)
    await owner.compute.call({
      method: 'POST',
      path: `/servers/${id}/action`,
      token,
      microversion: '2.73',
      json: { lock: { locked_reason: lock } },
    });
  return id;
}

/** Resources of any run still on the mock (their names carry the marker). */
function runLeftovers(mock: RunningMock): { servers: number; ports: number } {
  const { servers, ports } = mock.stats();
  // The owner's server and two ports stay; anything beyond them is the run's.
  return { servers: servers - 1, ports: ports - 2 };
}

describe.each([
  { label: 'locked by its owner', lock: 'owner maintenance' },
  { label: 'unlocked', lock: undefined },
])('CONFORMANCE_SERVER_ID naming a server $label', ({ lock }) => {
  let mock: RunningMock;
  let stop: () => Promise<void>;
  let owner: OpenRun;
  let serverId: string;
  let before: Snapshot;
  const dir = tempDir('footprint');
  const env = (): Record<string, string> => ({ ...mockEnv(mock, dir.path), CONFORMANCE_SERVER_ID: serverId });

  beforeAll(async () => {
    await new Promise<void>((ready) => {
      void withMock({ delays: { build: 20, detach: 20, portActive: 20, taskState: 50 } }, async (m) => {
        mock = m;
        await new Promise<void>((resolve) => {
          stop = async () => resolve();
          ready();
        });
      });
    });
    owner = await openRun({ env: mockEnv(mock, dir.path) });
    serverId = await ownersServer(owner, lock);
    before = await snapshot(owner, serverId);
  });

  afterAll(async () => {
    await owner.close();
    await stop();
    dir.remove();
  });

  /** The server as the owner left it, and nothing of the run on the cloud. */
  async function expectUntouched(): Promise<void> {
    const after = await snapshot(owner, serverId);
    expect({ ...after, actions: undefined }).toEqual({ ...before, actions: undefined });
    // Nova lists the newest first: compare as counts per action.
    const added = [...new Set(after.actions)].filter(
      (a) => after.actions.filter((x) => x === a).length > before.actions.filter((x) => x === a).length,
    );
    expect(added.filter((a) => a !== 'attach_interface' && a !== 'detach_interface')).toEqual([]);
    expect(runLeftovers(mock)).toEqual({ servers: 0, ports: 0 });
  }

  test('a whole standard run leaves it as it was', { timeout: 120_000 }, async () => {
    const first = mock.stats().requests.length;
    const run = spawnCli(['run'], env());
    const { code } = await run.exited;
    expect(code, run.stdout().slice(-2000) + run.stderr()).toBe(0);
    await expectUntouched();
    const server = `/servers/${serverId}`;
    // Never a server action, rename or metadata change on a server the run did not create.
    const writes = mock
      .stats()
      .requests.slice(first)
      .filter((r) => r.method !== 'GET' && r.path.includes(server) && !r.path.includes('/os-interface'));
    expect(writes).toEqual([]);
    if (lock !== undefined) expect(run.stdout()).not.toMatch(/POST [^\n]*os-interface/);
  });

  const points: [string, string, RegExp][] = [
    ['reading the server', 'GET', new RegExp(`/servers/[0-9a-f-]+$`)],
    ['creating a port', 'POST', /\/v2\.0\/ports$/],
    ['attaching', 'POST', /\/os-interface$/],
    ['detaching', 'DELETE', /\/os-interface\/[0-9a-f-]+$/],
    ['deleting a port', 'DELETE', /\/v2\.0\/ports\/[0-9a-f-]+$/],
  ];
  test.for(points)(
    'SIGINT while %s: exit 130, nothing of the run left',
    { timeout: 120_000 },
    async ([, method, path]) => {
      const count = mock.stats().requests.filter((r) => r.method === method && path.test(r.path)).length;
      const run = spawnCli(['run'], env());
      await until(
        () =>
          mock.stats().requests.filter((r) => r.method === method && path.test(r.path)).length > count ||
          run.process.exitCode !== null,
        `${method} ${String(path)}`,
        90_000,
        run,
      );
      killGroup(run.process, 'SIGINT');
      const { code } = await run.exited;
      // A run that reached the point only after its last check ends normally.
      expect([0, 130], run.stderr()).toContain(code);
      await expectUntouched();
    },
  );

  test(
    'SIGHUP (a closed terminal) mid-run: exit 129, nothing of the run left',
    { timeout: 120_000 },
    async () => {
      const ports = (): number =>
        mock.stats().requests.filter((r) => r.method === 'POST' && /\/v2\.0\/ports$/.test(r.path)).length;
      const count = ports();
      const run: Child = spawnCli(['run'], env());
      await until(() => ports() > count || run.process.exitCode !== null, 'a port', 90_000, run);
      run.process.kill('SIGHUP');
      const { code } = await run.exited;
      expect(code, run.stderr()).toBe(129);
      await expectUntouched();
    },
  );

  test(
    '`run | head -n 5` (a closed stdout): the run stops, nothing of it left',
    { timeout: 120_000 },
    async () => {
      const shell = spawn(
        'bash',
        ['-c', `"${process.execPath}" "${BIN}" run | head -n 5; echo "status \${PIPESTATUS[0]}"`],
        {
          cwd: ROOT,
          env: { ...env(), NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await new Promise((resolve) => shell.once('close', resolve));
      const status = Number(/status (\d+)/.exec(out)?.[1]);
      // 141 when the closed pipe was noticed; 0 when the run had written its last line first.
      expect([0, 141], out).toContain(status);
      await expectUntouched();
    },
  );
});
