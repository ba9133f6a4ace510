import { describe, expect, it } from 'vitest';
import {
  criticalPath,
  isDetach,
  portOf,
  serverOf,
  type OwnedExchange,
  type RunnerRequest,
} from '../../lib/bench/critical-path.ts';

const C = 'http://127.0.0.1:1/compute/v2.1';

function check(id: string) {
  return { id, name: `${id.toUpperCase()}-01 a check`, file: '/x/suites/attach.test.ts' };
}

/** One exchange of check `id` (or of the pool, with id undefined) from `start` to `end`. */
function ex(
  id: string | undefined,
  method: string,
  path: string,
  start: number,
  end: number,
  extra: Partial<OwnedExchange> = {},
): OwnedExchange {
  return {
    check: id === undefined ? undefined : check(id),
    method,
    url: `${C}${path}`,
    status: 200,
    start,
    end,
    retries: 0,
    createdServer: undefined,
    ...extra,
  };
}

const runner = (method: string, path: string, start: number, end: number): RunnerRequest => ({
  method,
  url: `${C}${path}`,
  start,
  end,
});

describe('critical path', () => {
  it('is the time in flight of one sequential check, without the client work between its requests', () => {
    const path = criticalPath([
      ex('a', 'POST', '/servers/s1/os-interface', 0, 100),
      ex('a', 'GET', '/servers/s1/os-interface', 130, 140), // 30 ms of client work before it
      ex('a', 'GET', '/servers/s1/os-interface/p', 150, 155),
    ]);
    expect(path.lengthMs).toBe(115);
    expect(path.inFlightMs).toBe(115);
    expect(path.waitMs).toBe(0);
    expect(path.steps).toHaveLength(3);
    expect(path.checks).toBe(1);
  });

  it('counts the pause before a repeated GET as a wait (a poll), also when the probe reads two URLs', () => {
    const path = criticalPath([
      ex('a', 'DELETE', '/servers/s1/os-interface/p', 0, 10),
      ex('a', 'GET', '/servers/s1/os-interface', 10, 15),
      ex('a', 'GET', '/ports/p', 15, 20),
      ex('a', 'GET', '/servers/s1/os-interface', 45, 50), // 25 ms poll pause
      ex('a', 'GET', '/ports/p', 50, 55),
      ex('a', 'GET', '/servers/s1/os-interface', 105, 110), // 50 ms poll pause
    ]);
    expect(path.waitMs).toBe(75);
    expect(path).toMatchObject({ allWaitMs: 75, allWaits: 2 });
    expect(path.lengthMs).toBe(35 + 75);
    expect(path.detaches).toBe(1);
  });

  it('does not count a pause as a wait when a write came between the two GETs', () => {
    const path = criticalPath([
      ex('a', 'GET', '/servers/s1/os-interface', 0, 5),
      ex('a', 'POST', '/servers/s1/os-interface', 5, 10),
      ex('a', 'GET', '/servers/s1/os-interface', 60, 65),
    ]);
    expect(path.waitMs).toBe(0);
    expect(path.lengthMs).toBe(15);
  });

  it('counts the pause before a retried request (429) as a wait', () => {
    const path = criticalPath([
      ex('a', 'GET', '/servers/s1', 0, 5),
      ex('a', 'POST', '/servers/s1/os-interface', 1005, 1010, { retries: 1 }),
    ]);
    expect(path.waitMs).toBe(1000);
    expect(path.lengthMs).toBe(1010);
  });

  it('takes the longest of concurrent checks, not their sum', () => {
    const path = criticalPath([
      ex('a', 'GET', '/servers/s1/os-interface', 0, 300),
      ex('b', 'GET', '/servers/s2/os-interface', 10, 110),
      ex('b', 'GET', '/servers/s2/os-interface/p', 110, 210),
      ex('c', 'GET', '/servers/s3/os-interface', 400, 450),
    ]);
    expect(path.lengthMs).toBe(300);
    expect(path.chains.map((c) => c.chain)).toEqual(['check attach: A-01 a check [a]']);
    expect(path.checks).toBe(3);
  });

  it('does not add up requests of one check that were in flight together', () => {
    const path = criticalPath([
      ex('a', 'GET', '/servers/s1/os-interface', 0, 100),
      ex('a', 'GET', '/servers/s2/os-interface', 0, 80),
      ex('a', 'GET', '/servers/s3/os-interface', 5, 120),
      ex('a', 'DELETE', '/servers/s1/os-interface/p', 120, 130),
    ]);
    expect(path.lengthMs).toBe(125);
    expect(path.steps.map((s) => s.url.slice(C.length))).toEqual([
      '/servers/s3/os-interface',
      '/servers/s1/os-interface/p',
    ]);
  });

  it('makes a check wait for the boot of the pool server it uses, and the boot for the pool look-ups', () => {
    const path = criticalPath([
      ex(undefined, 'GET', '/flavors', 0, 50),
      ex(undefined, 'POST', '/servers', 50, 100, { status: 202, createdServer: 's1' }),
      ex(undefined, 'POST', '/servers', 50, 90, { status: 202, createdServer: 's2' }),
      ex(undefined, 'GET', '/servers/s1', 100, 110),
      ex(undefined, 'GET', '/servers/s2', 100, 105),
      ex(undefined, 'GET', '/servers/s1', 1110, 1120), // 1 s poll pause: s1 boots slowly
      ex(undefined, 'GET', '/servers/s2', 205, 210), // s2 boots in 100 ms
      // The check creates its port while the boot runs, then uses s1.
      ex('a', 'POST', '/ports', 60, 70),
      ex('a', 'POST', '/servers/s1/os-interface', 1130, 1230),
      // Another check uses s2 and is done long before s1 is ACTIVE.
      ex('b', 'POST', '/servers/s2/os-interface', 220, 320),
    ]);
    // flavors 50 + POST 50 + GET 10 + wait 1000 + GET 10 + attach 100
    expect(path.lengthMs).toBe(1220);
    expect(path.waitMs).toBe(1000);
    // s2's 100 ms poll is a wait too, and so are the 10 ms before its first look: not on the path.
    expect(path).toMatchObject({ allWaitMs: 1110, allWaits: 3 });
    expect(path.chains.map((c) => c.chain)).toEqual(['pool', 'server s1', 'check attach: A-01 a check [a]']);
    expect(path.servers).toBe(2);
  });

  it('does not chain boots the quota refused, nor count a second look-up of the same flavors as a poll', () => {
    const refused = { status: 403 };
    const path = criticalPath([
      ex(undefined, 'GET', '/flavors/detail', 0, 50),
      ex(undefined, 'POST', '/servers', 50, 100, { status: 202, createdServer: 's1' }),
      ex(undefined, 'POST', '/servers', 100, 400, refused),
      ex(undefined, 'POST', '/servers', 1400, 1700, refused),
      ex(undefined, 'POST', '/servers', 3700, 4000, refused),
      // Another session looks the flavors up for its own boots, much later: no wait of the pool's.
      ex(undefined, 'GET', '/flavors/detail', 5000, 5050),
      ex('a', 'POST', '/servers/s1/os-interface', 200, 300),
    ]);
    // Each refused boot follows the look-ups alone (50 + 300), not the boots refused before it.
    expect(path.lengthMs).toBe(350);
    expect(path.allWaits).toBe(0);
  });

  it("counts the pause between a boot asked for early and the worker's first look as the boot's", () => {
    const path = criticalPath(
      [
        // The runner asked for s1 at 50; the worker started and first looked at 900.
        ex(undefined, 'POST', '/servers', 50, 100, { status: 202, createdServer: 's1' }),
        ex(undefined, 'GET', '/servers/s1', 900, 910),
        ex(undefined, 'GET', '/servers/s1', 1010, 1020),
        ex('a', 'POST', '/servers/s1/os-interface', 1030, 1130),
      ],
      [runner('GET', '/', 0, 40)],
    );
    // preflight 40 + POST 50 + (800 + 10) + (100 + 10) + attach 100
    expect(path.lengthMs).toBe(40 + 50 + 810 + 110 + 100);
    expect(path.waitMs).toBe(900);
  });

  it('puts the preflight before the suites and the drain after everything', () => {
    const path = criticalPath(
      [
        ex('a', 'GET', '/servers/s1/os-interface', 100, 200),
        ex('b', 'GET', '/servers/s2/os-interface', 110, 160),
      ],
      [
        runner('GET', '/', 0, 40),
        runner('GET', '/servers', 40, 60),
        runner('DELETE', '/servers/s1', 300, 310),
        runner('GET', '/servers/s1', 310, 320),
        runner('GET', '/servers/s1', 420, 430), // the drain polls: 100 ms wait
      ],
    );
    expect(path.lengthMs).toBe(60 + 100 + 10 + 10 + 100 + 10);
    expect(path.chains.map((c) => c.chain)).toEqual(['runner', 'check attach: A-01 a check [a]', 'runner']);
  });

  it('treats checks that share a pooled server one after another as independent', () => {
    const path = criticalPath([
      ex(undefined, 'POST', '/servers', 0, 10, { status: 202, createdServer: 's1' }),
      ex('a', 'GET', '/servers/s1/os-interface', 20, 1020),
      ex(undefined, 'GET', '/servers/s1/os-interface', 1030, 1035), // the pool takes it back
      ex('b', 'GET', '/servers/s1/os-interface', 1040, 1100),
      ex(undefined, 'GET', '/servers/s1/os-interface', 1110, 1115), // and again: no poll of the pool's
    ]);
    // boot 10 + a 1000 + the pool's look 5; b does not wait for a
    expect(path.lengthMs).toBe(1015);
    expect(path.allWaits).toBe(0);
    expect(path.chains.map((c) => c.chain)).toEqual([
      'server s1',
      'check attach: A-01 a check [a]',
      'server s1 back in the pool (1)',
    ]);
  });

  it('gives a check the teardown requests that name its port, which the harness published no owner for', () => {
    const path = criticalPath(
      [
        ex('a', 'POST', '/ports', 0, 10, { createdPort: 'p1' }),
        ex('a', 'POST', '/servers/s1/os-interface', 10, 20, { createdPort: 'p1' }),
        ex('b', 'GET', '/servers/s2/os-interface', 0, 50),
      ],
      [],
      [
        runner('DELETE', '/servers/s1/os-interface/p1', 20, 30),
        runner('GET', '/ports/p1', 30, 35),
        runner('GET', '/ports/p1', 85, 90), // waits 50 ms for Neutron to unbind it
        runner('DELETE', '/ports/p1', 90, 95),
        runner('POST', '/v3/auth/tokens', 0, 5), // names no port: left out
      ],
    );
    expect(path.lengthMs).toBe(10 + 10 + 10 + 5 + 50 + 5 + 5);
    expect(path.detaches).toBe(1);
    expect(path.unattributed).toBe(1);
  });

  it('is empty for no records', () => {
    expect(criticalPath([])).toMatchObject({ lengthMs: 0, steps: [], detaches: 0 });
  });

  it('reads server ids and detaches from URLs', () => {
    expect(serverOf(`${C}/servers/abc/os-interface`)).toBe('abc');
    expect(serverOf(`${C}/servers/detail?name=x`)).toBeUndefined();
    expect(serverOf(`${C}/servers`)).toBeUndefined();
    expect(portOf(`${C}/servers/abc/os-interface/p1`)).toBe('p1');
    expect(portOf('http://n:1/v2.0/ports/p2?fields=id')).toBe('p2');
    expect(portOf('http://n:1/v2.0/ports?device_id=abc')).toBeUndefined();
    expect(isDetach('DELETE', `${C}/servers/abc/os-interface/p1`)).toBe(true);
    expect(isDetach('DELETE', `${C}/servers/abc`)).toBe(false);
    expect(isDetach('GET', `${C}/servers/abc/os-interface/p1`)).toBe(false);
  });
});
