import { afterEach, expect, test } from 'vitest';
import { Api } from '../../lib/harness/api.ts';
import { bootEarly } from '../../lib/harness/early-boots.ts';
import { Fixtures } from '../../lib/harness/fixtures.ts';
import { ServerPool } from '../../lib/harness/pool.ts';
import type { Server } from '../../lib/harness/servers.ts';
import { QuotaRefusal } from '../../lib/harness/setup-error.ts';
import { openSession, stopAll } from './helpers.ts';

// The server pool against the embedded mock, whose project may hold 10 instances (Nova's default
// quota): a run that wants more servers than the quota allows waits for its own to come back.

afterEach(stopAll);

const DELAYS = { build: 20, detach: 20, portActive: 20, taskState: 0 };
const QUOTA = 10;

test('leases past the instance quota wait for a server of the run to come back, then get it', async () => {
  const { session } = await openSession(DELAYS);
  // Warms up as many as the quota holds; the two leases after them are refused a boot.
  const pool = new ServerPool(new Api(session), QUOTA);
  const first = await Promise.all(Array.from({ length: QUOTA }, () => pool.lease()));
  let late: Server[] | undefined;
  const waiting = Promise.all([pool.lease(), pool.lease()]).then((servers) => (late = servers));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(late).toBeUndefined();
  const [a, b] = first as [Server, Server];
  await pool.release(a);
  // A server deleted for good makes room for a new boot.
  await pool.discard(b);
  const got = await waiting;
  expect(got.map((s) => s.id)).toContain(a.id);
  expect(got.map((s) => s.id)).not.toContain(b.id);
  expect(new Set([...first, ...got].map((s) => s.id)).size).toBe(QUOTA + 1);
});

test('a lease the quota refuses fails after the wait timeout when no room comes', async () => {
  const { session } = await openSession(DELAYS, { CONFORMANCE_WAIT_TIMEOUT: '1' });
  const pool = new ServerPool(new Api(session), 1);
  await Promise.all(Array.from({ length: QUOTA }, () => pool.lease()));
  const refused = await pool.lease().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(QuotaRefusal);
  expect((refused as Error).message).toContain('Quota exceeded for instances');
  expect((refused as Error).message).toContain('none came back, within 1 s');
});

test("with the quota full of another's servers, a lease waits for room and boots then", async () => {
  const { session } = await openSession(DELAYS);
  // Ten servers of someone else in the same project (another run) fill the quota.
  const other = new ServerPool(new Api(session), 1);
  const theirs = await Promise.all(Array.from({ length: QUOTA }, () => other.lease()));
  const pool = new ServerPool(new Api(session), 1);
  let got: Server | undefined;
  const waiting = pool.lease().then((server) => (got = server));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(got).toBeUndefined();
  // The other run deletes one: the waiting lease's next boot gets its place.
  await other.discard(theirs[0] as Server);
  const server = await waiting;
  expect(theirs.map((s) => s.id)).not.toContain(server.id);
});

test("servers the runner asked for early are the pool's first: waited for, not booted again", async () => {
  const { session, mock } = await openSession(DELAYS);
  // Of three the runner asked for, Nova accepted two (say); the pool is sized for four.
  const { servers: asked } = await bootEarly(session, 2);
  expect(asked.map((s) => s.name)).toEqual([
    expect.stringMatching(/-server-1$/),
    expect.stringMatching(/-server-2$/),
  ]);
  const pool = new ServerPool(new Api(session), 4, { asked: 3, servers: asked });
  const leased = await Promise.all(Array.from({ length: 4 }, () => pool.lease()));
  expect(leased.map((s) => s.id)).toEqual(expect.arrayContaining(asked.map((s) => s.id)));
  // Two more booted, named after the three asked for: no name is taken twice.
  expect(mock.stats().servers).toBe(4);
  expect(leased.map((s) => s.name.replace(/^.*-server-/, 'server-')).sort()).toEqual([
    'server-1',
    'server-2',
    'server-4',
    'server-5',
  ]);
});

test('a lease while a server is on its way back waits for it instead of booting another', async () => {
  const { session, mock } = await openSession(DELAYS);
  const pool = new ServerPool(new Api(session), 1);
  const first = await pool.lease();
  let tidied!: () => void;
  // The check's tidy (its detaches taking effect) ends only when this test says so.
  pool.giveBack(first, () => new Promise<void>((resolve) => (tidied = resolve)));
  let next: Server | undefined;
  const leasing = pool.lease().then((server) => (next = server));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(next).toBeUndefined();
  expect(mock.stats().servers).toBe(1);
  tidied();
  expect((await leasing).id).toBe(first.id);
  // Nothing left in the background once it is back.
  await pool.settle();
  expect(mock.stats().servers).toBe(1);
});

test('settle waits for what the pool does after checks, and for what that starts', async () => {
  const { session, mock } = await openSession(DELAYS);
  const pool = new ServerPool(new Api(session), 3);
  const [kept, changed, dirty] = (await Promise.all([pool.lease(), pool.lease(), pool.lease()])) as [
    Server,
    Server,
    Server,
  ];
  let tracked = false;
  pool.track(new Promise((resolve) => setTimeout(resolve, 100)).then(() => (tracked = true)));
  void pool.discard(changed);
  // Given back with an interface its tidy left: taken back, found not clean, then deleted.
  const fx = new Fixtures(session);
  const { network } = await fx.attachNetwork();
  expect((await fx.attach(dirty.id, { interfaceAttachment: { net_id: network.id } })).status).toBe(200);
  pool.giveBack(dirty, async () => undefined);
  pool.giveBack(kept, async () => undefined);
  await pool.settle();
  expect(tracked).toBe(true);
  expect(mock.stats().servers).toBe(1);
  expect((await pool.lease()).id).toBe(kept.id);
});

test('a server given back is looked at only when its check sent it a write and did not list it empty since', async () => {
  const { session } = await openSession(DELAYS);
  const lists: string[] = [];
  class Counting extends Api {
    override list(serverId: string) {
      lists.push(serverId);
      return super.list(serverId);
    }
  }
  const pool = new ServerPool(new Counting(session), 1);
  const server = await pool.lease();
  // Reads only: the server is as the check found it, and goes back unlooked at.
  const reader = new Fixtures(session);
  expect((await reader.list(server.id)).status).toBe(200);
  expect(reader.mayHaveChanged(server.id)).toBe(false);
  pool.giveBack(server, () => reader.tidy(), reader.mayHaveChanged(server.id));
  await pool.settle();
  expect(lists).toEqual([]);
  expect((await pool.lease()).id).toBe(server.id);
  // A write, even one refused, may have changed it: the pool looks before lending it again.
  const writer = new Fixtures(session);
  expect((await writer.attach(server.id, { interfaceAttachment: { net_id: 'not-a-uuid' } })).status).toBe(
    400,
  );
  expect(writer.mayHaveChanged(server.id)).toBe(true);
  expect(writer.mayHaveChanged('another-server')).toBe(false);
  pool.giveBack(server, () => writer.tidy(), writer.mayHaveChanged(server.id));
  await pool.settle();
  expect(lists).toEqual([server.id]);
  expect((await pool.lease()).id).toBe(server.id);
  // A list sent while the write was in flight may not see what it did: the pool still looks.
  const racing = new Fixtures(session);
  const refused = { interfaceAttachment: { net_id: 'not-a-uuid' } };
  await Promise.all([racing.list(server.id), racing.attach(server.id, refused)]);
  expect(racing.mayHaveChanged(server.id)).toBe(true);
  // Listed empty after its last write was answered: what the pool's own look would see.
  const checked = new Fixtures(session);
  expect((await checked.attach(server.id, refused)).status).toBe(400);
  expect((await checked.list(server.id)).status).toBe(200);
  expect(checked.mayHaveChanged(server.id)).toBe(false);
  pool.giveBack(server, () => checked.tidy(), checked.mayHaveChanged(server.id));
  await pool.settle();
  expect(lists).toEqual([server.id]);
});
