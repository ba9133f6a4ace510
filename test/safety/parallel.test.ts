import { expect, test } from 'vitest';
import { openRun } from '../../lib/harness/open-run.ts';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

test(
  'three standard runs at once against one cloud and project all pass; the quota and what they did not create are unchanged',
  { timeout: 240_000 },
  async () => {
    await withMock({ delays: { build: 50, detach: 20, portActive: 20, taskState: 50 } }, async (mock) => {
      const setup = tempDir('parallel-setup');
      const dirs = [tempDir('parallel-a'), tempDir('parallel-b'), tempDir('parallel-c')];
      const api = await openRun({ env: mockEnv(mock, setup.path) });
      try {
        const member = (await api.token()).value;
        const admin = (await api.token('admin')).value;
        const project = (await api.token()).projectId;
        // Someone else's port in the same project, and the project's quota, before the runs.
        const networks = await api.network.call('GET', '/networks', member);
        const network = (networks.json as { networks: { id: string; subnets: string[] }[] }).networks.find(
          (n) => n.subnets.length > 0,
        );
        await api.network.call('POST', '/ports', member, {
          port: { name: 'not-ours', network_id: network?.id },
        });
        const read = async (): Promise<unknown> => ({
          quota: (await api.network.call('GET', `/quotas/${project}`, admin)).json,
          ports: (
            (await api.network.call('GET', '/ports', member)).json as { ports: Record<string, unknown>[] }
          ).ports
            .filter((p) => p['name'] === 'not-ours')
            .map(({ id, name, device_id, device_owner, fixed_ips, status }) => ({
              id,
              name,
              device_id,
              device_owner,
              fixed_ips,
              status,
            })),
          servers: mock.stats().servers,
        });
        const before = await read();

        const runs = dirs.map((dir) =>
          spawnCli(['run'], { ...mockEnv(mock, dir.path), CONFORMANCE_PROFILE: 'standard' }),
        );
        const results = await Promise.all(runs.map((run) => run.exited));
        for (const [index, result] of results.entries()) {
          const run = runs[index];
          expect(result.code, `${run?.stdout().slice(-3000) ?? ''}${run?.stderr() ?? ''}`).toBe(0);
          expect(run?.stdout()).toContain('Verdict: PASSED');
        }
        const ids = runs.map((run) => /run (\d{8}-[0-9a-f]+)/.exec(run.stdout())?.[1]);
        expect(new Set(ids).size).toBe(3);
        expect(await read()).toEqual(before);
        expect(mock.stats().ports).toBe(1);
      } finally {
        await api.close();
        for (const dir of [setup, ...dirs]) dir.remove();
      }
    });
  },
);
