import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { drainJournal, type CleanupClients } from '../../lib/harness/cleanup.ts';
import { preflight, type Preflight } from '../../lib/harness/preflight.ts';
import {
  isLive,
  liveRunIds,
  outstanding,
  Registry,
  pruneDeadLocks,
  releaseRunLock,
  writeRunLock,
} from '../../lib/harness/registry.ts';
import { loadConfig } from '../../lib/config/load.ts';
import { ComputeClient, type ComputeCall } from '../../lib/openstack/compute.ts';
import { EnvironmentError } from '../../lib/openstack/errors.ts';
import { HttpClient, type Exchange } from '../../lib/openstack/http.ts';
import { NetworkClient } from '../../lib/openstack/network.ts';
import { mockEnv, tempDir, withMock } from './helpers.ts';

test('outstanding: creating then created then gone; a line cut short by a kill is ignored', () => {
  const dir = tempDir('journal');
  try {
    const path = join(dir.path, 'journal', 'r.jsonl');
    const registry = new Registry(path);
    registry.creating('server', 'a');
    registry.created('server', 'a', 'id-a');
    registry.creating('port', 'b');
    registry.creating('port', 'c');
    registry.created('port', 'c', 'id-c', { who: 'alt' });
    registry.gone('port', 'c', 'id-c');
    expect(outstanding(path)).toEqual([
      { event: 'created', kind: 'server', name: 'a', id: 'id-a' },
      { event: 'creating', kind: 'port', name: 'b' },
    ]);
  } finally {
    dir.remove();
  }
});

test('run locks: a live runner is left alone in any report folder, a dead one is pruned', () => {
  const dir = tempDir('locks');
  const previous = process.env['NOVA_CONFORMANCE_LOCK_DIR'];
  process.env['NOVA_CONFORMANCE_LOCK_DIR'] = join(dir.path, 'locks');
  try {
    writeRunLock(join(dir.path, 'one', 'journal', '20260101-aaaaaa.jsonl'), '20260101-aaaaaa');
    writeRunLock(join(dir.path, 'two', 'journal', '20260101-bbbbbb.jsonl'), '20260101-bbbbbb');
    expect(liveRunIds()).toEqual(new Set(['20260101-aaaaaa', '20260101-bbbbbb']));
    const path = join(dir.path, 'locks', '20260101-bbbbbb.lock');
    const lock = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof isLive>[0];
    // Above Linux's pid_max: no such process, as after a SIGKILL.
    writeFileSync(path, JSON.stringify({ ...lock, pid: 2 ** 22 + 7 }));
    expect(isLive({ ...lock, pid: 2 ** 22 + 7 })).toBe(false);
    expect(liveRunIds()).toEqual(new Set(['20260101-aaaaaa']));
    pruneDeadLocks();
    expect(existsSync(path)).toBe(false);
    releaseRunLock('20260101-aaaaaa');
    expect(liveRunIds()).toEqual(new Set());
  } finally {
    if (previous === undefined) delete process.env['NOVA_CONFORMANCE_LOCK_DIR'];
    else process.env['NOVA_CONFORMANCE_LOCK_DIR'] = previous;
    dir.remove();
  }
});

/** Asks the mock for a server named `name` (first image and flavor, no network); its id. */
async function askForServer(
  http: HttpClient,
  compute: ComputeClient,
  facts: Preflight,
  name: string,
): Promise<string> {
  const token = facts.tokens.primary?.value ?? '';
  const images = await http.send({
    method: 'GET',
    url: `${facts.imageBase ?? ''}/v2/images`,
    headers: { 'X-Auth-Token': token },
  });
  const flavors = await compute.call({ method: 'GET', path: '/flavors', token });
  const server = await compute.call({
    method: 'POST',
    path: '/servers',
    token,
    microversion: '2.37',
    json: {
      server: {
        name,
        imageRef: (images.json as { images: { id: string }[] }).images[0]?.id,
        flavorRef: (flavors.json as { flavors: { id: string }[] }).flavors[0]?.id,
        networks: 'none',
      },
    },
  });
  expect(server.status).toBe(202);
  return (server.json as { server: { id: string } }).server.id;
}

test("a worker killed mid-create: the journal's 'creating' entries are resolved by name and removed", async () => {
  await withMock({ delays: { build: 10 } }, async (mock) => {
    const dir = tempDir('creating');
    const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 10 * 1024 * 1024 });
    try {
      const config = loadConfig(mockEnv(mock, dir.path));
      const facts = await preflight(config, http);
      const token = facts.tokens.primary?.value ?? '';
      const clients: CleanupClients = {
        compute: new ComputeClient(http, facts.computeBase),
        network: new NetworkClient(http, facts.networkBase),
        token: async (who) => (facts.tokens[who] ?? facts.tokens.primary)?.value ?? '',
        waitTimeoutMs: 5000,
        pollIntervalMs: 20,
        settleMs: 50,
      };
      const journal = new Registry(join(dir.path, 'journal', 'run.jsonl'));
      // The create requests reached the cloud, but the worker died before it learnt the ids.
      const serverName = 'nova-conformance-20260101-abcdef-server';
      const portName = 'nova-conformance-20260101-abcdef-port';
      journal.creating('server', serverName);
      journal.creating('port', portName);
      journal.creating('port', 'nova-conformance-20260101-abcdef-never-sent');
      await askForServer(http, clients.compute, facts, serverName);
      const networks = await clients.network.call('GET', '/networks', token);
      const network = (networks.json as { networks: { id: string; shared: boolean }[] }).networks[0];
      const port = await clients.network.call('POST', '/ports', token, {
        port: { name: portName, network_id: network?.id },
      });
      expect(port.status).toBe(201);
      expect(mock.stats().servers).toBe(1);

      const result = await drainJournal(journal.path, clients);
      expect(result.failed).toEqual([]);
      expect(result.removed).toHaveLength(2);
      expect({ servers: mock.stats().servers, ports: mock.stats().ports }).toEqual({ servers: 0, ports: 0 });
      // Everything resolved: a second drain (or `cleanup`) has nothing to do.
      expect(outstanding(journal.path)).toEqual([]);
    } finally {
      await http.close();
      dir.remove();
    }
  });
});

/** Nova's client, with the connection of the first `drops` deletes of a server dropped. */
class DroppingCompute extends ComputeClient {
  dropped = 0;
  constructor(
    http: HttpClient,
    base: string,
    private readonly drops: number,
  ) {
    super(http, base);
  }

  override call(call: ComputeCall): Promise<Exchange> {
    if (call.method === 'DELETE' && /^\/servers\/[^/]+$/.test(call.path) && this.dropped < this.drops) {
      this.dropped += 1;
      return Promise.reject(new EnvironmentError('UNREACHABLE', `DELETE ${call.path}: connection dropped`));
    }
    return super.call(call);
  }
}

test.each([
  { drops: 1, left: 0, outcome: 'removed' },
  { drops: 2, left: 1, outcome: 'left in the journal' },
])(
  'a removal whose connection dropped is taken again, once: dropped $drops times, $outcome',
  async ({ drops, left }) => {
    await withMock({ delays: { build: 10 } }, async (mock) => {
      const dir = tempDir('dropped');
      const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 10 * 1024 * 1024 });
      try {
        const facts = await preflight(loadConfig(mockEnv(mock, dir.path)), http);
        const token = facts.tokens.primary?.value ?? '';
        const compute = new DroppingCompute(http, facts.computeBase, drops);
        const id = await askForServer(http, compute, facts, 'nova-conformance-20260101-abcdef-server');
        const journal = new Registry(join(dir.path, 'journal', 'run.jsonl'));
        journal.created('server', 'nova-conformance-20260101-abcdef-server', id);

        const result = await drainJournal(journal.path, {
          compute,
          network: new NetworkClient(http, facts.networkBase),
          token: async () => token,
          waitTimeoutMs: 5000,
          pollIntervalMs: 20,
        });
        expect(compute.dropped).toBe(drops);
        expect(result.failed).toHaveLength(left);
        expect(outstanding(journal.path)).toHaveLength(left);
      } finally {
        await http.close();
        dir.remove();
      }
    });
  },
);
