import type { ComputeClient } from '../openstack/compute.ts';
import type { Exchange } from '../openstack/http.ts';
import type { NetworkClient } from '../openstack/network.ts';
import type { Who } from './preflight.ts';
import { outstanding, type JournalEntry } from './registry.ts';
import { waitFor } from './wait.ts';

export interface CleanupClients {
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  readonly token: (who: Who) => Promise<string>;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface CleanupResult {
  readonly removed: string[];
  readonly failed: string[];
}

async function serverGone(clients: CleanupClients, id: string, token: string): Promise<void> {
  await waitFor(
    async () => {
      const got = await clients.compute.call({ method: 'GET', path: `/servers/${id}`, token });
      return got.status === 404
        ? { done: true, value: true }
        : { done: false, state: `GET answered ${got.status}` };
    },
    {
      what: `server ${id} to be deleted`,
      timeoutMs: clients.waitTimeoutMs,
      intervalMs: clients.pollIntervalMs,
    },
  );
}

/** Deletes a server the run made, unlocking it first: Nova refuses to delete a locked server. */
export async function removeServer(clients: CleanupClients, id: string): Promise<Exchange> {
  const token = await clients.token('primary');
  await clients.compute.call({
    method: 'POST',
    path: `/servers/${id}/action`,
    json: { unlock: null },
    token,
  });
  let answer = await clients.compute.call({ method: 'DELETE', path: `/servers/${id}`, token });
  if (answer.status === 409) {
    // A server in a transitional state (e.g. rebooting) refuses; the force-delete path does not.
    answer = await clients.compute.call({
      method: 'POST',
      path: `/servers/${id}/action`,
      json: { forceDelete: null },
      token,
    });
  }
  if (answer.status === 204 || answer.status === 202) await serverGone(clients, id, token);
  return answer;
}

export async function removePort(clients: CleanupClients, id: string, who: Who): Promise<Exchange> {
  return clients.network.call('DELETE', `/ports/${id}`, await clients.token(who));
}

async function idsByName(clients: CleanupClients, entry: JournalEntry): Promise<string[]> {
  const token = await clients.token('primary');
  if (entry.kind === 'server') {
    const got = await clients.compute.call({
      method: 'GET',
      path: `/servers?name=${encodeURIComponent(`^${entry.name}$`)}`,
      token,
    });
    return ((got.json as { servers?: { id: string }[] } | undefined)?.servers ?? []).map((s) => s.id);
  }
  const got = await clients.network.call('GET', `/ports?name=${encodeURIComponent(entry.name)}`, token);
  return ((got.json as { ports?: { id: string }[] } | undefined)?.ports ?? []).map((p) => p.id);
}

/**
 * Removes everything the journal says the run made and did not remove itself: servers first
 * (which frees their ports), then ports, then quotas back to what they were.
 */
export async function drainJournal(path: string, clients: CleanupClients): Promise<CleanupResult> {
  const removed: string[] = [];
  const failed: string[] = [];
  const order: Record<JournalEntry['kind'], number> = { server: 0, port: 1, quota: 2 };
  const entries = outstanding(path).sort((a, b) => order[a.kind] - order[b.kind]);
  for (const entry of entries) {
    try {
      const ids = entry.id !== undefined ? [entry.id] : await idsByName(clients, entry);
      for (const id of ids) {
        if (entry.kind === 'server') {
          const answer = await removeServer(clients, id);
          if (answer.status === 404 || answer.status === 204 || answer.status === 202)
            removed.push(`server ${entry.name} (${id})`);
          else failed.push(`server ${entry.name} (${id}): DELETE answered ${answer.status}`);
        } else if (entry.kind === 'port') {
          const who = (entry.detail?.['who'] as Who | undefined) ?? 'primary';
          const answer = await removePort(clients, id, who);
          if (answer.status === 204 || answer.status === 404) removed.push(`port ${entry.name} (${id})`);
          else failed.push(`port ${entry.name} (${id}): DELETE answered ${answer.status}`);
        } else {
          const project = String(entry.detail?.['projectId'] ?? '');
          const previous = entry.detail?.['port'];
          const token = await clients.token('admin');
          const answer =
            typeof previous === 'number'
              ? await clients.network.call('PUT', `/quotas/${project}`, token, { quota: { port: previous } })
              : await clients.network.call('DELETE', `/quotas/${project}`, token);
          if (answer.status < 300) removed.push(`port quota of project ${project} restored`);
          else failed.push(`port quota of project ${project}: answered ${answer.status}`);
        }
      }
    } catch (error) {
      failed.push(`${entry.kind} ${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { removed, failed };
}
