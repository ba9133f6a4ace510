import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import type { HttpClient } from '../openstack/http.ts';
import { drainJournal, type CleanupResult } from './cleanup.ts';
import { openRun, sessionOf } from './open-run.ts';
import type { Preflight } from './preflight.ts';
import { releaseRunLock, writeRunLock } from './registry.ts';
import { journalPath, newRunId, type EarlyServers, type RunContext } from './run-context.ts';
import type { Session } from './session.ts';
import { startTarget, type Target } from './target.ts';

export interface PreparedRun {
  readonly config: Config;
  readonly target: Target;
  readonly facts: Preflight;
  readonly runId: string;
  readonly journal: string;
  readonly http: HttpClient;
  /** What the test worker receives through vitest's provide/inject. */
  readonly context: RunContext;
  /** The harness's session in the runner's process (the early boots use it). */
  readonly session: Session;
  /** The configuration's variables plus the target's (the reporter loads its configuration from these). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Removes what the run left, stops the mock if one was started, closes connections. */
  finish(): Promise<CleanupResult>;
}

/**
 * Validates the configuration, starts the target, authenticates and discovers the endpoints.
 * Throws ConfigError or EnvironmentError when the run cannot start.
 */
export async function prepareRun(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<PreparedRun> {
  const first = loadConfig(env);
  const target = await startTarget(first, env);
  try {
    const runEnv = { ...env, ...target.env };
    const config = target.kind === 'mock' ? loadConfig(runEnv) : first;
    const opened = await openRun({ config });
    const runId = newRunId();
    const journal = journalPath(config.reportDir, runId);
    // While this process lives, `cleanup` (run by someone else, in parallel) leaves the run alone.
    writeRunLock(journal, runId);
    let finished: Promise<CleanupResult> | undefined;
    return {
      config,
      target,
      facts: opened.facts,
      runId,
      journal,
      http: opened.http,
      env: runEnv,
      context: { runId, journal, targetEnv: target.env, facts: opened.facts },
      session: sessionOf(opened, runId, journal),
      finish() {
        finished ??= (async () => {
          try {
            return await drainJournal(journal, {
              compute: opened.compute,
              network: opened.network,
              token: (who) => opened.tokenOrPrimary(who),
              waitTimeoutMs: config.waitTimeoutMs,
              pollIntervalMs: config.pollIntervalMs,
            });
          } finally {
            releaseRunLock(runId);
            await opened.close();
            await target.stop();
          }
        })();
        return finished;
      },
    };
  } catch (error) {
    await target.stop();
    throw error;
  }
}

/**
 * The runner (lib/cli/run.ts) prepares the run in its own process before vitest starts; vitest's
 * global setup runs in that same process and finds it here. A global, not a module variable:
 * vitest loads the global setup through its own module graph.
 */
const HANDOFF = Symbol.for('nova-conformance.prepared-run');

/** The prepared run, and the servers the runner is asking for meanwhile (early-boots.ts). */
export interface HandOff {
  readonly run: PreparedRun;
  readonly early: Promise<EarlyServers> | undefined;
}

export function handOver(handoff: HandOff | undefined): void {
  (globalThis as Record<symbol, unknown>)[HANDOFF] = handoff;
}

export function handedOver(): HandOff | undefined {
  return (globalThis as Record<symbol, unknown>)[HANDOFF] as HandOff | undefined;
}
