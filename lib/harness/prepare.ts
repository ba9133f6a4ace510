import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { HttpClient } from '../openstack/http.ts';
import { ComputeClient } from '../openstack/compute.ts';
import { NetworkClient } from '../openstack/network.ts';
import { tokenCache } from './tokens.ts';
import { drainJournal, type CleanupResult } from './cleanup.ts';
import { credentialsOf, PREFLIGHT_VARIABLE, preflight, type Preflight, type Who } from './preflight.ts';
import { releaseRunLock, writeRunLock } from './registry.ts';
import { JOURNAL_VARIABLE, journalPath, newRunId, RUN_ID_VARIABLE } from './run-context.ts';
import { startTarget, type Target } from './target.ts';

/** Set once the runner has prepared the target, so vitest's global setup does not do it again. */
export const PREPARED_VARIABLE = 'NOVA_CONFORMANCE_PREPARED';

export interface PreparedRun {
  readonly config: Config;
  readonly target: Target;
  readonly facts: Preflight;
  readonly runId: string;
  readonly journal: string;
  readonly http: HttpClient;
  /** Removes what the run left, stops the mock if one was started, closes connections. */
  finish(): Promise<CleanupResult>;
}

/**
 * Validates the configuration, starts the target, authenticates and discovers the endpoints,
 * then publishes what the test worker needs through its environment. Throws ConfigError or
 * EnvironmentError when the run cannot start.
 */
export async function prepareRun(env: NodeJS.ProcessEnv = process.env): Promise<PreparedRun> {
  const first = loadConfig(env);
  const target = await startTarget(first, env);
  try {
    Object.assign(env, target.env);
    const config = target.kind === 'mock' ? loadConfig(env) : first;
    const http = new HttpClient({
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      readOnly: config.readOnly,
      ...(config.cloud !== undefined && { tls: config.cloud.tls }),
    });
    const facts = await preflight(config, http);
    const runId = env[RUN_ID_VARIABLE] ?? newRunId();
    const journal = journalPath(config.reportDir, runId);
    env[PREFLIGHT_VARIABLE] = JSON.stringify(facts);
    env[RUN_ID_VARIABLE] = runId;
    env[JOURNAL_VARIABLE] = journal;
    env[PREPARED_VARIABLE] = '1';
    // While this process lives, `cleanup` (run by someone else, in parallel) leaves the run alone.
    writeRunLock(journal, runId);
    const tokenOf = tokenCache(config, http, facts.tokens);
    // Cleanup acts as the identity that made a resource, or as the primary one if that is gone.
    const token = async (who: Who): Promise<string> =>
      (await tokenOf(credentialsOf(config, who) !== undefined ? who : 'primary')).value;
    let finished: Promise<CleanupResult> | undefined;
    return {
      config,
      target,
      facts,
      runId,
      journal,
      http,
      finish() {
        finished ??= (async () => {
          try {
            return await drainJournal(journal, {
              compute: new ComputeClient(http, facts.computeBase),
              network: new NetworkClient(http, facts.networkBase),
              token,
              waitTimeoutMs: config.waitTimeoutMs,
              pollIntervalMs: config.pollIntervalMs,
            });
          } finally {
            releaseRunLock(journal);
            await http.close();
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
