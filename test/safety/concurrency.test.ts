import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mostChecksAtOnce } from '../../lib/bench/overlap.ts';
import { readCloudEnv } from '../../lib/bench/openrc.ts';
import { runCli, type CliRun } from '../../lib/bench/run.ts';
import { openRun } from '../../lib/harness/open-run.ts';
import { NAME_PREFIX } from '../../lib/harness/run-context.ts';
import { cleanEnv, tempDir } from './helpers.ts';

// The results of a run do not depend on how many checks run at once: per check the same status,
// skip reason, failure and blocking prerequisite, the same totals and verdict, and the same
// cleanup (nothing failed, nothing of the run left on the cloud), at CONFORMANCE_CONCURRENCY=1 and
// at the default. Against the embedded mock always; against a cloud when EQUIVALENCE_OPENRC names
// its openrc (a conformance.env beside it is read too).

interface Summary {
  readonly verdict: string;
  readonly runId: string;
  readonly totals: unknown;
  readonly behaviours: readonly {
    readonly id: string;
    readonly status: string;
    readonly tests: readonly {
      readonly name: string;
      readonly status: string;
      readonly reason?: string;
      readonly failure?: string;
      readonly blockedBy?: string;
    }[];
  }[];
  readonly prerequisites: readonly { readonly name: string; readonly status: string }[];
  readonly cleanup: { readonly reported: boolean; readonly removed?: string[]; readonly failed?: string[] };
}

/** Ids, addresses and timings differ from run to run; what a check concluded does not. */
function stable(text: string | undefined): string | undefined {
  return text
    ?.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/req-<uuid>/g, '<request>')
    .replace(/\b\d{8}-[0-9a-f]{6}\b/g, '<run>')
    .replace(/\b[0-9a-f]{32}\b/g, '<hex>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi, '<mac>')
    .replace(/\d+(?:\.\d+)? ?(?:ms|s)\b/g, '<time>');
}

/** What must be the same at any concurrency. */
function outcomes(summary: Summary): unknown {
  return {
    verdict: summary.verdict,
    totals: summary.totals,
    checks: summary.behaviours.flatMap((b) =>
      b.tests.map((t) => ({
        behaviour: b.id,
        name: t.name,
        status: t.status,
        reason: stable(t.reason),
        failure: stable(t.failure),
        blockedBy: t.blockedBy,
      })),
    ),
    prerequisites: summary.prerequisites.map((p) => ({ name: p.name, status: p.status })),
    // The drain removes the pool's servers, as many as checks ran at once: their kind is the same,
    // not their number. Nothing may have failed.
    cleanup: {
      reported: summary.cleanup.reported,
      kinds: [...new Set((summary.cleanup.removed ?? []).map((r) => r.split(' ')[0]))].sort(),
      failed: summary.cleanup.failed,
    },
  };
}

interface Measured {
  readonly run: CliRun;
  readonly summary: Summary;
}

async function measure(env: NodeJS.ProcessEnv, concurrency: string | undefined): Promise<Measured> {
  const dir = tempDir(`concurrency-${concurrency ?? 'default'}`);
  try {
    const run = await runCli({
      env: { ...env, ...(concurrency !== undefined && { CONFORMANCE_CONCURRENCY: concurrency }) },
      args: [],
      reportDir: dir.path,
    });
    const summary = JSON.parse(readFileSync(join(dir.path, 'latest', 'summary.json'), 'utf8')) as Summary;
    return { run, summary };
  } finally {
    dir.remove();
  }
}

/** Servers and ports of the run still on the cloud, found by the run's name, as the primary user. */
async function leftovers(env: NodeJS.ProcessEnv, runId: string): Promise<string[]> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  const api = await openRun({ env: clean });
  try {
    const token = (await api.token()).value;
    const marker = `${NAME_PREFIX}-${runId}-`;
    const servers = await api.compute.call({ method: 'GET', path: '/servers', token });
    const ports = await api.network.call('GET', '/ports', token);
    return [
      ...((servers.json as { servers?: { name: string }[] }).servers ?? []).map((s) => `server ${s.name}`),
      ...((ports.json as { ports?: { name: string }[] }).ports ?? []).map((p) => `port ${p.name}`),
    ].filter((name) => name.includes(marker));
  } finally {
    await api.close();
  }
}

async function compare(env: NodeJS.ProcessEnv, cloud: boolean): Promise<void> {
  const one = await measure(env, '1');
  const many = await measure(env, undefined);
  for (const { run } of [one, many]) expect([0, 1], run.outputTail).toContain(run.exitCode);
  expect(one.run.exitCode).toBe(many.run.exitCode);
  // Without checks really at once, the comparison would prove nothing.
  expect(mostChecksAtOnce(one.run.owned)).toBe(1);
  expect(mostChecksAtOnce(many.run.owned), 'checks in flight at once at the default').toBeGreaterThan(1);
  // Nor does a suite file wait for another to end: all of them are one pool (suites/all.ts).
  const files = mostChecksAtOnce(many.run.owned, (check) => check.file);
  expect(files, 'suite files with checks in flight at once at the default').toBeGreaterThan(1);
  expect(outcomes(many.summary)).toEqual(outcomes(one.summary));
  if (cloud) for (const { summary } of [one, many]) expect(await leftovers(env, summary.runId)).toEqual([]);
}

describe('results at CONFORMANCE_CONCURRENCY=1 and at the default', () => {
  test('the embedded mock', { timeout: 600_000 }, async () => {
    // No cloud configured: each run starts its own embedded mock (empty shadows a .env file).
    await compare({ ...cleanEnv(), OS_AUTH_URL: '', OS_CLOUD: '' }, false);
  });

  const openrc = process.env['EQUIVALENCE_OPENRC'];
  test.skipIf(openrc === undefined || openrc === '')(
    'the cloud of EQUIVALENCE_OPENRC',
    { timeout: 3_600_000 },
    async () => {
      const { vars } = readCloudEnv(resolve(openrc ?? ''));
      await compare({ ...cleanEnv(), ...vars }, true);
    },
  );
});
