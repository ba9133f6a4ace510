import type { Config } from '../config/types.ts';
import { Api } from './api.ts';
import { poolServerPurpose } from './pool.ts';
import { SUITES_VARIABLE, type EarlyServers } from './run-context.ts';
import { requestServer } from './servers.ts';
import type { Session } from './session.ts';

/**
 * The pool's first servers, asked for by the runner as soon as the preflight is done, so that
 * Nova builds them while vitest and its worker start (a second or two); the worker's pool then
 * waits for these instead of asking for its own (lib/harness/pool.ts). They are named and
 * journaled as the pool's (server-1 … server-N), so the run's drain removes them however it ends.
 *
 * A request that fails is left out: the pool asks again for what is missing, and a failure that
 * repeats there is reported as the one prerequisite it is.
 */
export async function bootEarly(session: Session, count: number): Promise<EarlyServers> {
  const api = new Api(session);
  const asked = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => requestServer(api, poolServerPurpose(i + 1))),
  );
  return {
    asked: count,
    servers: asked.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])),
  };
}

/**
 * Whether a run asks for its servers early: one that boots servers (not read-only, no configured
 * server) and runs every suite file. A selection may need none, and is left to the pool.
 */
export function bootsEarly(config: Config, selected: boolean, env: NodeJS.ProcessEnv): boolean {
  return !selected && env[SUITES_VARIABLE] === undefined && !config.readOnly && config.serverId === undefined;
}
