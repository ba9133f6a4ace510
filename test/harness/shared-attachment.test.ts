import { afterEach, expect, test } from 'vitest';
import { Api } from '../../lib/harness/api.ts';
import { ServerPool } from '../../lib/harness/pool.ts';
import { outstanding } from '../../lib/harness/registry.ts';
import type { Server } from '../../lib/harness/servers.ts';
import { SetupError } from '../../lib/harness/setup-error.ts';
import { SharedAttachment } from '../../lib/harness/shared-attachment.ts';
import type { RunningMock } from '../../lib/mock/start.ts';
import { drain, ghostPool, openSession, stopAll, type Opened } from './helpers.ts';

// The shared "server with one interface" of lib/harness/shared-attachment.ts against the embedded
// mock: created once however many ask at once, settled, a failure kept for every later asker,
// and removed through the journal's removal path at the end.

afterEach(stopAll);

const open = (): Promise<Opened> => openSession({ build: 20, detach: 20, portActive: 60, taskState: 0 });

function count(mock: RunningMock, method: string, path: RegExp): number {
  return mock.stats().requests.filter((r) => r.method === method && path.test(r.path)).length;
}

const ATTACH = /\/servers\/[^/]+\/os-interface$/;
const CREATE_PORT = /\/v2\.0\/ports$/;

test("one attach however many ask at once; the port listed and ACTIVE; the run's drain removes it with its server, no detach", async () => {
  const opened = await open();
  const { mock, session, journal } = opened;
  const pool = new ServerPool(new Api(session), 2);
  const shared = new SharedAttachment(session, pool);

  const asked = await Promise.all(Array.from({ length: 6 }, () => shared.attached()));
  const first = asked[0];
  if (first === undefined) throw new Error('no answer');
  for (const other of asked) expect(other).toBe(first);
  expect(count(mock, 'POST', ATTACH)).toBe(1);
  expect(count(mock, 'POST', CREATE_PORT)).toBe(1);
  expect(first.port?.status).toBe('ACTIVE');
  expect(first.port?.device_id).toBe(first.id);
  expect([...first.baseline]).toEqual([first.port?.id]);
  // Asked again later: still the same, nothing more sent.
  expect(await shared.attached()).toBe(first);
  expect(count(mock, 'POST', ATTACH)).toBe(1);

  const portId = first.port?.id ?? '';
  expect(outstanding(journal).some((e) => e.kind === 'port' && e.id === portId)).toBe(true);
  // Left to the drain at the run's end, which deletes the servers first.
  const drained = await drain(opened);
  expect(drained.failed).toEqual([]);
  const token = (await session.token()).value;
  expect((await session.network.call('GET', `/ports/${portId}`, token)).status).toBe(404);
  // The server went first, which unbound the port: nothing waited on a detach, which a real
  // guest may take many seconds to carry out.
  const shown = await session.compute.call({ method: 'GET', path: `/servers/${first.id}`, token });
  expect(shown.status).toBe(404);
  expect(count(mock, 'DELETE', /\/os-interface\//)).toBe(0);
  expect(outstanding(journal).some((e) => e.kind === 'port' || e.id === first.id)).toBe(false);
});

test('a failed attach is kept: every asker gets the same error and nothing is sent again', async () => {
  const opened = await open();
  const { mock, session } = opened;
  // A server Nova does not know: the attach answers 404.
  const pool = ghostPool(session);
  const shared = new SharedAttachment(session, pool);

  const errors = await Promise.all(
    Array.from({ length: 4 }, () =>
      shared.attached().then(
        () => undefined,
        (error: unknown) => error,
      ),
    ),
  );
  expect(errors[0]).toBeInstanceOf(SetupError);
  expect((errors[0] as Error).message).toContain('answered 404');
  for (const error of errors) expect(error).toBe(errors[0]);
  expect(await shared.attached().catch((error: unknown) => error)).toBe(errors[0]);
  expect(count(mock, 'POST', ATTACH)).toBe(1);
  // The server stage itself went well: only the attach failed.
  await expect(shared.server()).resolves.toMatchObject({ name: 'ghost' });

  await drain(opened);
  expect(mock.stats().ports).toBe(0);
});

test('a failed boot is kept too, and reported at the server stage', async () => {
  const opened = await open();
  const { mock, session } = opened;
  let leases = 0;
  class FailingPool extends ServerPool {
    override lease(): Promise<Server> {
      leases += 1;
      return Promise.reject(new SetupError('no server for you'));
    }
  }
  const shared = new SharedAttachment(session, new FailingPool(new Api(session), 1));
  await expect(shared.attached()).rejects.toThrow('no server for you');
  // The boot failed at once, the port took a round trip: the failure waited for it, so that
  // nothing of the arrangement is in flight once a check is told.
  expect(mock.stats().ports).toBe(1);
  await expect(shared.server()).rejects.toThrow('no server for you');
  await expect(shared.attached()).rejects.toThrow('no server for you');
  await shared.settled();
  expect(leases).toBe(1);
  expect(count(mock, 'POST', ATTACH)).toBe(0);
  await drain(opened);
  expect(mock.stats().ports).toBe(0);
});

test('nothing asked, nothing made', async () => {
  const { mock, session } = await open();
  const shared = new SharedAttachment(session, new ServerPool(new Api(session), 1));
  expect(shared).toBeInstanceOf(SharedAttachment);
  expect(count(mock, 'POST', /\/servers$/)).toBe(0);
  expect(count(mock, 'POST', CREATE_PORT)).toBe(0);
});
