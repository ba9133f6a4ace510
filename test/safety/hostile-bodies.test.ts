import { Buffer } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { isList } from '../../lib/mutants/helpers.ts';
import { setHeader } from '../../lib/mutants/proxy.ts';
import { startProxy } from '../../lib/mutants/proxy.ts';
import type { Mutant } from '../../lib/mutants/types.ts';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

/**
 * LIST-05 against the mock behind `mutant`: the run must fail (exit 1) with LIST-05 among its
 * failures, and leave nothing on the mock. Returns what it printed, for the case's own checks.
 */
async function listBehind(mutant: Mutant): Promise<{ stdout: string; all: string }> {
  return withMock({ delays: { build: 20, detach: 20, portActive: 20 } }, async (mock) => {
    const proxy = await startProxy({ upstreamAuthUrl: mock.authUrl, mutant });
    const dir = tempDir(mutant.name);
    try {
      const run = spawnCli(['run', '--filter', 'LIST-05'], {
        ...mockEnv(mock, dir.path),
        OS_AUTH_URL: proxy.authUrl,
      });
      const { code } = await run.exited;
      const all = run.stdout() + run.stderr();
      expect(code, all).toBe(1);
      expect(run.stdout()).toMatch(/FAIL LIST-05/);
      expect({ servers: mock.stats().servers, ports: mock.stats().ports }).toEqual({ servers: 0, ports: 0 });
      return { stdout: run.stdout(), all };
    } finally {
      await proxy.stop();
      dir.remove();
    }
  });
}

// Hostile list answers made here, in front of the mock: nested 100,000 levels deep, or gzipped
// though the suite did not ask for it. The checks that read them fail readably, the harness does
// not crash (no stack overflow), no binary reaches the terminal, and the run still cleans up.
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
    const { stdout, all } = await listBehind(deepList);
    expect(all).not.toMatch(/RangeError|Maximum call stack/);
    expect(stdout).toMatch(/nested deeper than \d+ levels|deeper than/);
  },
);

const gzippedList: Mutant = {
  name: 'gzipped-list',
  description: 'the interface list answer gzipped, unasked',
  suites: ['list'],
  behaviours: [],
  onResponse: (ctx) => {
    if (!isList(ctx.request) || ctx.status !== 200) return;
    ctx.body = gzipSync(ctx.body);
    setHeader(ctx.headers, 'Content-Encoding', 'gzip');
  },
};

test(
  'a gzipped list answer nobody asked for fails LIST-05 with its size shown, no binary on the terminal',
  { timeout: 120_000 },
  async () => {
    const { stdout, all } = await listBehind(gzippedList);
    expect(stdout).toMatch(/Content-Encoding gzip, not decoded/);
    // Nothing but text: no NUL, backspace or other C0 control besides line breaks and tabs.
    const controls = [...all].filter((c) =>
      c.charCodeAt(0) < 0x20 ? c !== '\n' && c !== '\t' && c !== '\r' : c.charCodeAt(0) === 0x7f,
    );
    expect(controls).toEqual([]);
  },
);
