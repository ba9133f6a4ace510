import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { drainJournal, type CleanupResult } from '../../lib/harness/cleanup.ts';
import { Api } from '../../lib/harness/api.ts';
import { openRun, sessionOf } from '../../lib/harness/open-run.ts';
import { ServerPool } from '../../lib/harness/pool.ts';
import type { Server } from '../../lib/harness/servers.ts';
import type { Session } from '../../lib/harness/session.ts';
import type { MockDelays } from '../../lib/mock/types.ts';
import { startMock, type RunningMock } from '../../lib/mock/start.ts';
import { mockEnv, tempDir } from '../safety/helpers.ts';

// A harness session against an embedded mock of its own, for tests of the harness's parts.

const stops: (() => Promise<void>)[] = [];

/** Stops every mock and session opened since the last call (an afterEach). */
export async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop();
}

export interface Opened {
  readonly mock: RunningMock;
  readonly session: Session;
  readonly journal: string;
}

export async function openSession(delays: MockDelays, env: Record<string, string> = {}): Promise<Opened> {
  const mock = await startMock({ port: 0, delays });
  const dir = tempDir('harness');
  stops.push(async () => {
    await mock.stop();
    dir.remove();
  });
  const run = await openRun({ env: { ...mockEnv(mock, dir.path), ...env } });
  stops.push(() => run.close());
  const journal = join(dir.path, 'journal.jsonl');
  const session = sessionOf(run, `test-${randomUUID().slice(0, 6)}`, journal);
  return { mock, session, journal };
}

/** A pool that lends a server Nova does not know: an attach to it answers 404. */
export function ghostPool(session: Session): ServerPool {
  class GhostPool extends ServerPool {
    override lease(): Promise<Server> {
      return Promise.resolve({ id: randomUUID(), name: 'ghost', ownedByRun: true });
    }
  }
  return new GhostPool(new Api(session), 1);
}

/** What the runner does when the run ends: everything the journal holds, removed. */
export function drain({ session, journal }: Opened): Promise<CleanupResult> {
  return drainJournal(journal, {
    compute: session.compute,
    network: session.network,
    token: async (who) => (await session.token(who)).value,
    waitTimeoutMs: session.config.waitTimeoutMs,
    pollIntervalMs: session.config.pollIntervalMs,
  });
}
