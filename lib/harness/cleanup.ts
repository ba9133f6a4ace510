import type { ComputeClient } from '../openstack/compute.ts';
import type { Exchange } from '../openstack/http.ts';
import type { NetworkClient } from '../openstack/network.ts';
import type { Who } from './preflight.ts';
import { outstanding, Registry, type JournalEntry } from './registry.ts';
import { waitFor } from './wait.ts';

export interface CleanupClients {
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  readonly token: (who: Who) => Promise<string>;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
  /**
   * How long to wait before looking a 'creating' entry up by name a second time: a create
   * request cut off by a kill may still be in the API's hands when the first lookup runs.
   */
  readonly settleMs?: number;
}

export interface CleanupResult {
  readonly removed: string[];
  readonly failed: string[];
}

const DEFAULT_SETTLE_MS = 2000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/**
 * Deletes a server the run made, unlocking it first (Nova refuses to delete a locked server),
 * and waits until Nova no longer shows it: only then are its ports free to delete.
 */
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

/**
 * Detaches a port from the server it is attached to (a server the run did not create, e.g.
 * CONFORMANCE_SERVER_ID) and waits until it has left the server's interface list, so that the
 * server is left as the run found it rather than with a dangling interface.
 */
async function detachFromServer(clients: CleanupClients, portId: string, serverId: string): Promise<void> {
  const token = await clients.token('primary');
  const path = `/servers/${serverId}/os-interface`;
  const answer = await clients.compute.call({ method: 'DELETE', path: `${path}/${portId}`, token });
  if (answer.status === 404) return; // the server, or the attachment, is gone already
  if (answer.status !== 202 && answer.status !== 204)
    throw new Error(`detaching from server ${serverId}: DELETE answered ${answer.status}`);
  await waitFor(
    async () => {
      const got = await clients.compute.call({ method: 'GET', path, token });
      if (got.status === 404) return { done: true, value: true };
      const ids = (
        (got.json as { interfaceAttachments?: { port_id?: string }[] } | undefined)?.interfaceAttachments ??
        []
      ).map((a) => a.port_id);
      return ids.includes(portId) ? { done: false, state: 'still attached' } : { done: true, value: true };
    },
    {
      what: `port ${portId} to leave server ${serverId}`,
      timeoutMs: clients.waitTimeoutMs,
      intervalMs: clients.pollIntervalMs,
    },
  );
}

/** Deletes a port the run made, detaching it (and waiting) first if a server still holds it. */
export async function removePort(clients: CleanupClients, id: string, who: Who): Promise<Exchange> {
  const token = await clients.token(who);
  const shown = await clients.network.call('GET', `/ports/${id}`, token);
  if (shown.status === 404) return shown;
  const port = (shown.json as { port?: { device_id?: unknown; device_owner?: unknown } } | undefined)?.port;
  const deviceId = typeof port?.device_id === 'string' ? port.device_id : '';
  const owner = typeof port?.device_owner === 'string' ? port.device_owner : '';
  if (deviceId !== '' && owner.startsWith('compute:')) await detachFromServer(clients, id, deviceId);
  const answer = await clients.network.call('DELETE', `/ports/${id}`, token);
  if (answer.status !== 403 && answer.status !== 409) return answer;
  // Neutron's default policy from 2024 on lets only Nova's service token delete a `compute:*`
  // port; a port the run marked as bound elsewhere (no server holds it) is first given back an
  // empty owner, which its project may set, then deleted.
  const cleared = await clients.network.call('PUT', `/ports/${id}`, token, {
    port: { device_owner: '', device_id: '' },
  });
  return cleared.status === 200 ? clients.network.call('DELETE', `/ports/${id}`, token) : answer;
}

interface Found {
  readonly id: string;
  readonly who: Who;
}

/** Finds what a 'creating' entry may have made, by its unique name, as every identity that may own it. */
async function idsByName(clients: CleanupClients, entry: JournalEntry): Promise<Found[]> {
  const found = new Map<string, Found>();
  const owners: Who[] = entry.kind === 'server' ? ['primary'] : ['primary', 'alt'];
  for (const who of owners) {
    const token = await clients.token(who);
    if (entry.kind === 'server') {
      const got = await clients.compute.call({
        method: 'GET',
        path: `/servers?name=${encodeURIComponent(`^${escapeRegExp(entry.name)}$`)}`,
        token,
      });
      for (const server of (got.json as { servers?: { id: string; name?: string }[] } | undefined)?.servers ??
        [])
        if (server.name === undefined || server.name === entry.name)
          found.set(server.id, { id: server.id, who });
    } else {
      const got = await clients.network.call('GET', `/ports?name=${encodeURIComponent(entry.name)}`, token);
      for (const port of (got.json as { ports?: { id: string; name?: string }[] } | undefined)?.ports ?? [])
        if (port.name === entry.name && !found.has(port.id)) found.set(port.id, { id: port.id, who });
    }
  }
  return [...found.values()];
}

async function removeOne(
  clients: CleanupClients,
  entry: JournalEntry,
  found: Found,
  journal: Registry,
  result: CleanupResult,
): Promise<void> {
  if (entry.kind === 'server') {
    const answer = await removeServer(clients, found.id);
    if (answer.status === 404 || answer.status === 204 || answer.status === 202) {
      result.removed.push(`server ${entry.name} (${found.id})`);
      journal.gone('server', entry.name, found.id);
    } else result.failed.push(`server ${entry.name} (${found.id}): DELETE answered ${answer.status}`);
  } else if (entry.kind === 'port') {
    const answer = await removePort(clients, found.id, found.who);
    if (answer.status === 204 || answer.status === 404) {
      result.removed.push(`port ${entry.name} (${found.id})`);
      journal.gone('port', entry.name, found.id);
    } else result.failed.push(`port ${entry.name} (${found.id}): DELETE answered ${answer.status}`);
  }
}

async function restoreQuota(
  clients: CleanupClients,
  entry: JournalEntry,
  journal: Registry,
  result: CleanupResult,
): Promise<void> {
  const project = String(entry.detail?.['projectId'] ?? '');
  const previous = entry.detail?.['port'];
  const token = await clients.token('admin');
  const answer =
    typeof previous === 'number'
      ? await clients.network.call('PUT', `/quotas/${project}`, token, { quota: { port: previous } })
      : await clients.network.call('DELETE', `/quotas/${project}`, token);
  if (answer.status < 300) {
    result.removed.push(`port quota of project ${project} restored`);
    journal.gone('quota', entry.name, entry.id);
  } else result.failed.push(`port quota of project ${project}: answered ${answer.status}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Removes everything the journal says the run made and did not remove itself: servers first
 * (which frees their ports), then ports, then quotas back to what they were. Each removal is
 * recorded in the journal as 'gone', so a second drain (or `cleanup`) does not repeat it.
 */
export async function drainJournal(path: string, clients: CleanupClients): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], failed: [] };
  const journal = new Registry(path);
  const order: Record<JournalEntry['kind'], number> = { server: 0, port: 1, quota: 2 };
  const entries = outstanding(path).sort((a, b) => order[a.kind] - order[b.kind]);
  const unresolved: JournalEntry[] = [];
  const drainOne = async (entry: JournalEntry): Promise<void> => {
    try {
      if (entry.kind === 'quota') {
        await restoreQuota(clients, entry, journal, result);
        return;
      }
      const who = (entry.detail?.['who'] as Who | undefined) ?? 'primary';
      const found = entry.id !== undefined ? [{ id: entry.id, who }] : await idsByName(clients, entry);
      if (found.length === 0 && entry.event === 'creating') unresolved.push(entry);
      for (const item of found) await removeOne(clients, entry, item, journal, result);
      if (found.length > 0 && entry.id === undefined) journal.gone(entry.kind, entry.name);
    } catch (error) {
      result.failed.push(`${entry.kind} ${entry.name}: ${describe(error)}`);
    }
  };
  // Servers all at once (each delete waits for its server to go), then ports, then quotas.
  for (const kind of ['server', 'port', 'quota'] as const)
    await Promise.all(entries.filter((e) => e.kind === kind).map(drainOne));
  if (unresolved.length > 0) {
    // A create cut off by a signal may still be in flight at the API: look once more, later.
    await new Promise((resolve) => setTimeout(resolve, clients.settleMs ?? DEFAULT_SETTLE_MS));
    for (const entry of unresolved) {
      try {
        for (const item of await idsByName(clients, entry))
          await removeOne(clients, entry, item, journal, result);
        // Not found twice: the create never reached the cloud.
        journal.gone(entry.kind, entry.name);
      } catch (error) {
        result.failed.push(`${entry.kind} ${entry.name}: ${describe(error)}`);
      }
    }
  }
  return result;
}
