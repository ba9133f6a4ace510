// One side of a fidelity run: a cloud described by openrc files, or the embedded mock. Each side
// gets its own session (HTTP pool, tokens, journal) so the harness's Fixtures can arrange on it.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { Fixtures } from '../harness/fixtures.ts';
import { drainJournal, type CleanupResult } from '../harness/cleanup.ts';
import { openRun, sessionOf } from '../harness/open-run.ts';
import type { Preflight } from '../harness/preflight.ts';
import { releaseRunLock, writeRunLock } from '../harness/registry.ts';
import { journalPath } from '../harness/run-context.ts';
import type { Session } from '../harness/session.ts';
import { MOCK_POLL_INTERVAL, openrcOf } from '../harness/target.ts';
import { RUN_DELAYS } from '../mock/delays.ts';
import { DEFAULT_RELEASE, type Release } from '../mock/releases.ts';
import { parseOpenrc } from '../mutants/openrc.ts';

/** Settings a user may give in the environment for both sides (never credentials). */
const PASSED_THROUGH = [
  'CONFORMANCE_WAIT_TIMEOUT',
  'CONFORMANCE_POLL_INTERVAL',
  'CONFORMANCE_REQUEST_TIMEOUT',
  'CONFORMANCE_REPORT_DIR',
];

export interface Side {
  /** `a` or `b`. */
  readonly key: 'a' | 'b';
  /** What the user named: openrc paths, or `mock`. */
  readonly label: string;
  readonly kind: 'mock' | 'cloud';
  readonly config: Config;
  readonly facts: Preflight;
  readonly fx: Fixtures;
  readonly session: Session;
  readonly journal: string;
  /** Removes everything the journal lists, releases the lock, closes connections, stops the mock. */
  finish(): Promise<CleanupResult>;
}

/** The variables of one or more openrc files (`a,b`), later files refining earlier ones. */
function readOpenrcFiles(spec: string): { vars: Record<string, string>; dir: string } {
  const paths = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const vars: Record<string, string> = {};
  for (const path of paths) {
    const full = resolve(path);
    if (!existsSync(full)) throw new Error(`openrc file ${path} does not exist`);
    Object.assign(vars, parseOpenrc(readFileSync(full, 'utf8'), {}));
  }
  // Horizon's openrc prompts for the password: then it comes from the environment, but it never
  // overrides one a file gives (a second file, e.g. conformance.env, has none of its own).
  const password = process.env['OS_PASSWORD'];
  if (vars['OS_PASSWORD'] === undefined && password !== undefined) vars['OS_PASSWORD'] = password;
  return { vars, dir: dirname(resolve(paths[0] ?? '.')) };
}

/**
 * The default A side: the devcloud's demo user, plus the suite's extra identities that sit in
 * conformance.env next to it when that file exists.
 */
export function defaultA(): string {
  const extra = '.devcloud/conformance.env';
  return existsSync(extra) ? `.devcloud/openrc-demo,${extra}` : '.devcloud/openrc-demo';
}

function passedThrough(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

async function open(
  key: 'a' | 'b',
  label: string,
  kind: 'mock' | 'cloud',
  env: Record<string, string>,
  cwd: string,
  runId: string,
  journal: string,
  stopTarget: () => Promise<void>,
): Promise<Side> {
  const config = loadConfig(env, cwd);
  let opened;
  try {
    // Fidelity writes on both sides whatever their profile says: it arranges and removes its own.
    opened = await openRun({ config, readOnly: false });
  } catch (error) {
    await stopTarget();
    throw error;
  }
  const { http, facts } = opened;
  // While this process lives, a `cleanup` run in parallel leaves this journal alone.
  writeRunLock(journal, runId);
  const session = sessionOf(opened, runId, journal);
  let finished: Promise<CleanupResult> | undefined;
  return {
    key,
    label,
    kind,
    config,
    facts,
    fx: new Fixtures(session),
    session,
    journal,
    finish() {
      finished ??= (async () => {
        try {
          return await drainJournal(journal, {
            compute: session.compute,
            network: session.network,
            token: (who) => opened.tokenOrPrimary(who),
            waitTimeoutMs: config.waitTimeoutMs,
            pollIntervalMs: config.pollIntervalMs,
          });
        } finally {
          releaseRunLock(runId);
          await http.close();
          await stopTarget();
        }
      })();
      return finished;
    },
  };
}

/** Opens a cloud side from openrc files; throws ConfigError/EnvironmentError when it cannot. */
export async function openCloud(key: 'a' | 'b', spec: string, runId: string): Promise<Side> {
  const { vars, dir } = readOpenrcFiles(spec);
  const env = { ...passedThrough(), ...vars };
  const reportDir = env['CONFORMANCE_REPORT_DIR'] ?? 'reports';
  // In the report folder's journal directory, where `nova-conformance cleanup` looks for leftovers.
  const journal = journalPath(reportDir, `${runId}-${key}`);
  return open(key, spec, 'cloud', env, dir, runId, journal, async () => {});
}

/** Starts the embedded mock in this process and opens it as a side. */
export async function openMock(
  key: 'a' | 'b',
  runId: string,
  release: Release = DEFAULT_RELEASE,
): Promise<Side> {
  const { startMock } = await import('../mock/start.ts');
  const mock = await startMock({ port: 0, release, delays: RUN_DELAYS });
  const env = {
    CONFORMANCE_POLL_INTERVAL: MOCK_POLL_INTERVAL,
    CONFORMANCE_WAIT_TIMEOUT: '20',
    ...passedThrough(),
    ...openrcOf(mock),
  };
  // The mock's ids mean nothing once it has stopped: its journal stays out of `cleanup`'s way.
  const journal = join(tmpdir(), 'nova-conformance-fidelity', `${runId}-${key}.jsonl`);
  return open(key, `mock ${release}`, 'mock', env, process.cwd(), runId, journal, () => mock.stop());
}
