import { inject } from 'vitest';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import type { ComputeClient, VersionRange } from '../openstack/compute.ts';
import type { HttpClient } from '../openstack/http.ts';
import type { Token } from '../openstack/keystone.ts';
import type { NetworkClient } from '../openstack/network.ts';
import { openRun, sessionOf } from './open-run.ts';
import type { Who } from './preflight.ts';
import type { Registry } from './registry.ts';
import { RUN_CONTEXT_KEY } from './run-context.ts';

/** Everything the suites need to talk to the target, shared by all test files of the worker. */
export interface Session {
  readonly config: Config;
  readonly http: HttpClient;
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  readonly imageBase?: string;
  readonly versions: VersionRange;
  readonly runId: string;
  readonly registry: Registry;
  /** Whether credentials for this identity are configured. */
  has(who: Who): boolean;
  /** A valid token for the identity, reused until it nears expiry. */
  token(who?: Who): Promise<Token>;
}

let current: Promise<Session> | undefined;

async function open(): Promise<Session> {
  const run = inject(RUN_CONTEXT_KEY);
  if (run === undefined)
    throw new Error('the conformance suites run through lib/harness/global-setup.ts, which provides the run');
  // Loaded once per worker: the target's variables come with the run, not through process.env.
  const config = loadConfig({ ...process.env, ...run.targetEnv });
  return sessionOf(await openRun({ config, facts: run.facts }), run.runId, run.journal);
}

/** The run's session: configuration, clients and tokens, opened once per worker. */
export function session(): Promise<Session> {
  current ??= open();
  return current;
}
