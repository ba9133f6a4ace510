import { afterEach, expect, test } from 'vitest';
import { Api } from '../../lib/harness/api.ts';
import { SharedDetachCycle } from '../../lib/harness/detach-cycle.ts';
import { ServerPool } from '../../lib/harness/pool.ts';
import { outstanding } from '../../lib/harness/registry.ts';
import { SetupError } from '../../lib/harness/setup-error.ts';
import type { RunningMock } from '../../lib/mock/start.ts';
import { ghostPool, openSession, stopAll } from './helpers.ts';

// The observed attach and detach of lib/harness/detach-cycle.ts against the embedded mock: made
// once however many checks ask, every answer kept for them, the effect waited for once, the port
// removed after it and the server kept for later readers.

afterEach(stopAll);

const DELAYS = { build: 20, detach: 60, portActive: 20, taskState: 0 };

function count(mock: RunningMock, method: string, path: RegExp): number {
  return mock.stats().requests.filter((r) => r.method === method && path.test(r.path)).length;
}

const ATTACH = /\/servers\/[^/]+\/os-interface$/;
const DETACH = /\/servers\/[^/]+\/os-interface\/[^/]+$/;

test('one attach and one detach however many ask; the effect is waited for; the port goes, the server stays', async () => {
  const { mock, session, journal } = await openSession(DELAYS);
  const pool = new ServerPool(new Api(session), 2);
  const cycle = new SharedDetachCycle(session, pool);

  const observed = await Promise.all(Array.from({ length: 5 }, () => cycle.start().detached));
  const first = observed[0];
  if (first === undefined) throw new Error('no answer');
  for (const other of observed) expect(other).toBe(first);
  expect(count(mock, 'POST', ATTACH)).toBe(1);
  expect(count(mock, 'DELETE', DETACH)).toBe(1);
  expect(first.attach.status).toBe(200);
  expect(first.show.status).toBe(200);
  expect(first.detach.status).toBe(202);
  // The effect: unlisted, then unbound in Neutron (the user's port survives a detach).
  const unbound = await first.effect;
  expect(unbound?.id).toBe(first.port.id);
  expect(unbound?.device_id).toBe('');

  // The port is removed in the background once the effect is in; the server is not given back.
  await pool.settle();
  const token = (await session.token()).value;
  expect((await session.network.call('GET', `/ports/${first.port.id}`, token)).status).toBe(404);
  expect(outstanding(journal).some((e) => e.kind === 'port')).toBe(false);
  const other = await pool.lease();
  expect(other.id).not.toBe(first.serverId);
  const kept = await session.compute.call({ method: 'GET', path: `/servers/${first.serverId}`, token });
  expect(kept.status).toBe(200);
});

test('an attach the cloud refuses is kept for every reader: nothing is detached, the port is removed', async () => {
  const { mock, session, journal } = await openSession(DELAYS);
  // A server Nova does not know: the attach answers 404.
  const pool = ghostPool(session);
  const cycle = new SharedDetachCycle(session, pool);

  const errors = await Promise.all(
    Array.from({ length: 3 }, () =>
      cycle.start().detached.then(
        () => undefined,
        (error: unknown) => error,
      ),
    ),
  );
  expect(errors[0]).toBeInstanceOf(SetupError);
  expect((errors[0] as Error).message).toContain('status 200 with an interfaceAttachment naming port');
  for (const other of errors) expect(other).toBe(errors[0]);
  await expect(cycle.start().attached).rejects.toBe(errors[0]);
  expect(count(mock, 'POST', ATTACH)).toBe(1);
  expect(count(mock, 'DELETE', DETACH)).toBe(0);
  await pool.settle();
  expect(outstanding(journal).some((e) => e.kind === 'port')).toBe(false);
});
