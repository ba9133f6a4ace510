import { Buffer } from 'node:buffer';
import { expect, test } from 'vitest';
import { isList } from '../../lib/mutants/helpers.ts';
import { startProxy } from '../../lib/mutants/proxy.ts';
import type { Mutant } from '../../lib/mutants/types.ts';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

// A list answer nested 100,000 levels deep (made here, in front of the mock): the checks that read
// it fail readably, the harness does not crash (no stack overflow), the run still cleans up.
const DEPTH = 100_000;

const deepList: Mutant = {
  name: 'deep-list',
  description: 'the interface list answer nested 100,000 levels deep',
  suites: ['list'],
  behaviours: [],
  onResponse: (ctx) => {
    if (!isList(ctx.request) || ctx.status !== 200) return;
    ctx.body = Buffer.from(`{"interfaceAttachments": ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`);
  },
};

test(
  'a list answer nested 100,000 levels deep fails LIST checks readably, without a harness crash',
  { timeout: 120_000 },
  async () => {
    await withMock({ delays: { build: 20, detach: 20, portActive: 20 } }, async (mock) => {
      const proxy = await startProxy({ upstreamAuthUrl: mock.authUrl, mutant: deepList });
      const dir = tempDir('deep');
      try {
        const run = spawnCli(['run', '--filter', 'LIST-05'], {
          ...mockEnv(mock, dir.path),
          OS_AUTH_URL: proxy.authUrl,
        });
        const { code } = await run.exited;
        const out = run.stdout() + run.stderr();
        expect(code, out).toBe(1);
        expect(out).not.toMatch(/RangeError|Maximum call stack/);
        expect(run.stdout()).toMatch(/FAIL LIST-05/);
        expect(run.stdout()).toMatch(/nested deeper than \d+ levels|deeper than/);
        expect({ servers: mock.stats().servers, ports: mock.stats().ports }).toEqual({
          servers: 0,
          ports: 0,
        });
      } finally {
        await proxy.stop();
        dir.remove();
      }
    });
  },
);
