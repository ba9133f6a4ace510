import { describe, expect, test } from 'vitest';
import type { RunningMock } from '../../lib/mock/start.ts';
import { killGroup, mockEnv, seen, spawnCli, tempDir, until, withMock, type Child } from './helpers.ts';

// Each case starts a mock in this process, runs `nova-conformance run` against it as a child,
// interrupts it at a chosen point (once the mock has seen the request to interrupt), and then
// counts what is left on the mock: nothing of the run may remain.

const SERVER_CREATE = /^\/compute\/v2\.1\/servers$/;
const ATTACH = /^\/compute\/v2\.1\/servers\/[^/]+\/os-interface$/;
const DETACH = /^\/compute\/v2\.1\/servers\/[^/]+\/os-interface\/[^/]+$/;

function leftovers(mock: RunningMock): { servers: number; ports: number } {
  const { servers, ports } = mock.stats();
  return { servers, ports };
}

async function interrupt(
  mock: RunningMock,
  filter: string,
  method: string,
  path: RegExp,
  send: (child: Child) => void,
): Promise<{ code: number | null; child: Child; ms: number }> {
  const dir = tempDir('interrupt');
  try {
    const child = spawnCli(['run', '--filter', filter], mockEnv(mock, dir.path));
    await until(
      () => seen(mock, method, path) || child.process.exitCode !== null,
      `${method} ${String(path)}`,
      90_000,
      child,
    );
    expect(child.process.exitCode, child.stdout() + child.stderr()).toBeNull();
    // The window is open (the mock is building, attaching or detaching): interrupt now.
    const sentAt = Date.now();
    send(child);
    const { code } = await child.exited;
    return { code, child, ms: Date.now() - sentAt };
  } finally {
    dir.remove();
  }
}

// Children are heavy (a vitest each) and CI machines small: generous timeouts, and the cases
// overlap their waits by running concurrently.
describe.concurrent('an interrupted run removes everything it created', { timeout: 150_000 }, () => {
  test('SIGINT during the server boot', async () => {
    await withMock({ delays: { build: 3000 } }, async (mock) => {
      const { code, child } = await interrupt(mock, 'LIST-05', 'POST', SERVER_CREATE, (c) =>
        c.process.kill('SIGINT'),
      );
      expect(code, child.stderr()).toBe(130);
      expect(child.stderr()).toContain('SIGINT received');
      expect(child.stdout()).toContain('Verdict: INTERRUPTED');
      expect(leftovers(mock)).toEqual({ servers: 0, ports: 0 });
    });
  });

  test('SIGINT mid-attach (the port not yet ACTIVE)', async () => {
    await withMock({ delays: { build: 50, portActive: 3000 } }, async (mock) => {
      const { code, child } = await interrupt(mock, 'ATTACH-07', 'POST', ATTACH, (c) =>
        c.process.kill('SIGINT'),
      );
      expect(code, child.stderr()).toBe(130);
      expect(leftovers(mock)).toEqual({ servers: 0, ports: 0 });
    });
  });

  test('SIGTERM mid-detach (the port still listed)', async () => {
    await withMock({ delays: { build: 50, detach: 3000 } }, async (mock) => {
      const { code, child } = await interrupt(mock, 'DETACH-01', 'DELETE', DETACH, (c) =>
        c.process.kill('SIGTERM'),
      );
      expect(code, child.stderr()).toBe(143);
      expect(child.stderr()).toContain('SIGTERM received');
      expect(leftovers(mock)).toEqual({ servers: 0, ports: 0 });
    });
  });

  test('Ctrl-C in a terminal (SIGINT to the runner and its test worker at once), mid-attach', async () => {
    await withMock({ delays: { build: 50, portActive: 3000 } }, async (mock) => {
      const { code, child } = await interrupt(mock, 'ATTACH-07', 'POST', ATTACH, (c) =>
        killGroup(c.process, 'SIGINT'),
      );
      expect(code, child.stderr()).toBe(130);
      expect(leftovers(mock)).toEqual({ servers: 0, ports: 0 });
    });
  });

  test(
    'SIGKILL (runner and worker) mid-attach, then `cleanup` lists and removes, and a second finds nothing',
    { timeout: 150_000 },
    async () => {
      await withMock({ delays: { build: 50, portActive: 3000 } }, async (mock) => {
        const dir = tempDir('sigkill');
        try {
          const env = mockEnv(mock, dir.path);
          const child = spawnCli(['run', '--filter', 'ATTACH-07'], env);
          await until(
            () => seen(mock, 'POST', ATTACH) || child.process.exitCode !== null,
            'the attach',
            90_000,
            child,
          );
          killGroup(child.process, 'SIGKILL');
          await child.exited;
          // Power loss: nothing ran the drain, so the run's server and port are still there.
          const left = leftovers(mock);
          expect(left.servers).toBeGreaterThan(0);
          expect(left.ports).toBeGreaterThan(0);

          const dry = spawnCli(['cleanup', '--dry-run'], env);
          expect((await dry.exited).code, dry.stderr()).toBe(0);
          expect(dry.stdout()).toMatch(/would remove server nova-conformance-\d{8}-[0-9a-f]+-server-\d+/);
          expect(leftovers(mock)).toEqual(left);

          const first = spawnCli(['cleanup'], env);
          expect((await first.exited).code, first.stderr()).toBe(0);
          expect(first.stdout()).toMatch(/removed server nova-conformance-\d{8}-[0-9a-f]+-server-\d+ \(/);
          expect(first.stdout()).toMatch(/removed port nova-conformance-\d{8}-[0-9a-f]+-attach-07/);
          expect(leftovers(mock)).toEqual({ servers: 0, ports: 0 });

          const second = spawnCli(['cleanup'], env);
          expect((await second.exited).code, second.stderr()).toBe(0);
          expect(second.stdout()).toContain('No leftovers of earlier runs found.');
        } finally {
          dir.remove();
        }
      });
    },
  );
});
