import { expect, test } from 'vitest';
import { startRecordingProxy } from '../../lib/bench/proxy.ts';
import { mockEnv, spawnCli, tempDir, withMock } from '../safety/helpers.ts';

// The suites already wait for detaches to take effect; through a proxy that delays every detach
// (as a real guest does) a full run must still pass, and the delay must really have acted.
const DELAY_MS = 1000;

test(
  'a full run through the detach-delay proxy passes, and leaves nothing behind',
  { timeout: 300_000 },
  async () => {
    await withMock({ delays: { build: 50, detach: 20, portActive: 20, taskState: 50 } }, async (mock) => {
      const proxy = await startRecordingProxy(mock.authUrl, { detachDelayMs: DELAY_MS });
      const dir = tempDir('detach-delay');
      try {
        const env = { ...mockEnv(mock, dir.path), OS_AUTH_URL: proxy.authUrl };
        const run = spawnCli(['run'], env);
        const { code } = await run.exited;
        expect(code, `${run.stdout().slice(-4000)}${run.stderr()}`).toBe(0);
        expect(run.stdout()).toContain('Verdict: PASSED');
        expect(proxy.delay?.detaches).toBeGreaterThan(10);
        // Reads were answered as if the detach had not taken effect yet, and the run waited them out.
        expect(proxy.delay?.rewrites).toBeGreaterThan(proxy.delay?.detaches ?? 0);
        expect(mock.stats()).toMatchObject({ servers: 0, ports: 0 });
      } finally {
        await proxy.stop();
        dir.remove();
      }
    });
  },
);
