import { expect, test } from 'vitest';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

test(
  'two runs at once against one cloud and project both pass and both clean up',
  { timeout: 150_000 },
  async () => {
    await withMock({ delays: { build: 50, detach: 20, portActive: 20, taskState: 50 } }, async (mock) => {
      const dirs = [tempDir('parallel-a'), tempDir('parallel-b')];
      try {
        // A slice of the suites that creates and removes servers and ports, in both runs at once.
        const filter = 'DETACH-01|ATTACH-02|LIST-01';
        const runs = dirs.map((dir) => spawnCli(['run', '--filter', filter], mockEnv(mock, dir.path)));
        const results = await Promise.all(runs.map((run) => run.exited));
        for (const [index, result] of results.entries()) {
          const run = runs[index];
          expect(result.code, `${run?.stdout().slice(-3000) ?? ''}${run?.stderr() ?? ''}`).toBe(0);
          expect(run?.stdout()).toContain('Verdict: PASSED');
        }
        const ids = runs.map((run) => /run (\d{8}-[0-9a-f]+)/.exec(run.stdout())?.[1]);
        expect(new Set(ids).size).toBe(2);
        expect({ servers: mock.stats().servers, ports: mock.stats().ports }).toEqual({
          servers: 0,
          ports: 0,
        });
      } finally {
        for (const dir of dirs) dir.remove();
      }
    });
  },
);
