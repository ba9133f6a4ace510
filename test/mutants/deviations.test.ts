// The mutants of issue 13 deviate as they say, through the proxy in front of the mock: each test
// shows the faithful answer without the mutant and the deviation with it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attachNetworkPort,
  bootServer,
  call,
  get,
  listedPorts,
  session,
  stopAll,
  untilListed,
  type Session,
} from './session.ts';

afterEach(async () => {
  vi.useRealTimers();
  await stopAll();
});

const RANDOM = '0b2b1f7e-5a43-4c55-9d57-1c2a3b4c5d6e';

const settle = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function detach(s: Session, serverId: string, portId: string) {
  return call(`${s.compute}/servers/${serverId}/os-interface/${portId}`, 'DELETE', s.token);
}

describe('detach-answers-204', () => {
  it('answers 204 with the same empty body where Nova answers 202, and still detaches', async () => {
    for (const mutant of [undefined, 'detach-answers-204']) {
      const s = await session(mutant);
      const server = await bootServer(s, 'vm');
      const port = await attachNetworkPort(s, server);
      const got = await detach(s, server, port);
      expect(got.status).toBe(mutant === undefined ? 202 : 204);
      expect(got.text).toBe('');
      await untilListed(s.compute, s.token, server, (ports) => !ports.includes(port));
    }
  });
});

describe('list-lags-attach', () => {
  it('keeps a freshly attached port out of that server list for 5 s, then shows it', async () => {
    const s = await session('list-lags-attach');
    const server = await bootServer(s, 'vm');
    const port = await attachNetworkPort(s, server);
    expect(await listedPorts(s.directCompute, s.token, server)).toContain(port);
    expect(await listedPorts(s.compute, s.token, server)).not.toContain(port);
    // Only the clock the mutant reads moves on; the mock's timers stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5_100 });
    expect(await listedPorts(s.compute, s.token, server)).toContain(port);
  });

  it('hides only ports attached through the API, not those a server was booted with', async () => {
    const s = await session('list-lags-attach');
    const server = await bootServer(s, 'vm');
    const booted = await listedPorts(s.directCompute, s.token, server);
    expect(booted.length).toBeGreaterThan(0);
    expect(await listedPorts(s.compute, s.token, server)).toEqual(booted);
  });
});

describe('charset-on-2xx-json', () => {
  it('adds charset=utf-8 to successful JSON answers and leaves faults as Nova types them', async () => {
    const plain = await session();
    const s = await session('charset-on-2xx-json');
    for (const [who, expected] of [
      [plain, 'application/json'],
      [s, 'application/json; charset=utf-8'],
    ] as const) {
      const server = await bootServer(who, 'vm');
      const listed = await get(`${who.compute}/servers/${server}/os-interface`, who.token);
      expect(listed.status).toBe(200);
      expect(listed.headers.get('content-type')).toBe(expected);
      const fault = await get(`${who.compute}/servers/${RANDOM}/os-interface`, who.token);
      expect(fault.status).toBe(404);
      expect(fault.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    }
  });
});

describe('detach-through-other-server', () => {
  async function detachThroughB(mutant: string | undefined) {
    const s = await session(mutant);
    const a = await bootServer(s, 'a');
    const b = await bootServer(s, 'b');
    const port = await attachNetworkPort(s, a);
    const got = await detach(s, b, port);
    return { s, a, port, got };
  }

  it('without it, Nova answers 202 and the port stays on the server that holds it', async () => {
    const { s, a, port, got } = await detachThroughB(undefined);
    expect(got.status).toBe(202);
    // The detach runs after the 202 (no mock delay): give it time to do the wrong thing.
    await settle(200);
    expect(await listedPorts(s.compute, s.token, a)).toContain(port);
  });

  it('with it, the detach through B removes the port from A', async () => {
    const { s, a, port, got } = await detachThroughB('detach-through-other-server');
    expect(got.status).toBe(202);
    await untilListed(s.compute, s.token, a, (ports) => !ports.includes(port));
    expect(s.proxy.counters.fired).toBe(1);
  });

  it('leaves a detach through the server that holds the port alone', async () => {
    const s = await session('detach-through-other-server');
    const a = await bootServer(s, 'a');
    const port = await attachNetworkPort(s, a);
    expect((await detach(s, a, port)).status).toBe(202);
    await untilListed(s.compute, s.token, a, (ports) => !ports.includes(port));
    expect(s.proxy.counters.fired).toBe(0);
  });
});
