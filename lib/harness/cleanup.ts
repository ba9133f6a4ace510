import type { ComputeClient } from '../openstack/compute.ts';
import { isEnvironmentError } from '../openstack/errors.ts';
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
 * Detaches a port from the server that holds it and waits until Neutron shows it unbound (or gone:
 * Nova deletes the ports it made). Any 2xx will do: judging the detach is the DETACH checks' work,
 * and Neutron, not the interface list, says when the port may be deleted.
 */
async function detachFromServer(
  clients: CleanupClients,
  portId: string,
  serverId: string,
  who: Who,
): Promise<void> {
  const answer = await clients.compute.call({
    method: 'DELETE',
    path: `/servers/${serverId}/os-interface/${portId}`,
    token: await clients.token('primary'),
  });
  // 404: the server (one that does not exist, for a port marked as bound elsewhere) has no such
  // interface; the port is then only Neutron's to free.
  if (answer.status >= 300) return;
  const token = await clients.token(who);
  await waitFor(
    async () => {
      const got = await clients.network.call('GET', `/ports/${portId}`, token);
      const deviceId = (got.json as { port?: { device_id?: unknown } } | undefined)?.port?.device_id;
      return got.status === 404 || deviceId === ''
        ? { done: true, value: true }
        : { done: false, state: `device_id '${String(deviceId)}'` };
    },
    {
      what: `Neutron to unbind port ${portId} from server ${serverId}`,
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
  if (deviceId !== '' && owner.startsWith('compute:')) await detachFromServer(clients, id, deviceId, who);
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

/**
 * An attach by network to a server the run did not create, cut off before its answer was
 * journaled: the port Nova made for it is one with no name, bound to that server, created after
 * the attach was sent, and not among the server's ports before. It is detached (Nova then deletes
 * it); nothing else on the server is touched.
 */
async function removeAttachment(
  clients: CleanupClients,
  entry: JournalEntry,
  journal: Registry,
  result: CleanupResult,
): Promise<boolean> {
  const serverId = String(entry.detail?.['serverId'] ?? '');
  const before = new Set((entry.detail?.['before'] as string[] | undefined) ?? []);
  const since = Date.parse(String(entry.detail?.['at'] ?? '')) - 5000;
  const token = await clients.token('primary');
  const got = await clients.network.call('GET', `/ports?device_id=${encodeURIComponent(serverId)}`, token);
  const ports = (got.json as { ports?: { id: string; name?: string; created_at?: string }[] } | undefined)
    ?.ports;
  if (got.status !== 200 || ports === undefined)
    throw new Error(`listing the ports of server ${serverId}: ${got.status}`);
  const made = ports.filter(
    (p) => !before.has(p.id) && (p.name ?? '') === '' && Date.parse(p.created_at ?? '') >= since,
  );
  for (const port of made) {
    await removePort(clients, port.id, 'primary');
    result.removed.push(`port ${port.id} (made by Nova for an attach to server ${serverId})`);
  }
  if (made.length > 0) journal.gone('attachment', entry.name);
  return made.length > 0;
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
  const order: Record<JournalEntry['kind'], number> = { server: 0, attachment: 1, port: 2, quota: 3 };
  const entries = outstanding(path).sort((a, b) => order[a.kind] - order[b.kind]);
  const unresolved: JournalEntry[] = [];
  const attempt = async (entry: JournalEntry): Promise<void> => {
    if (entry.kind === 'quota') {
      await restoreQuota(clients, entry, journal, result);
      return;
    }
    if (entry.kind === 'attachment') {
      if (!(await removeAttachment(clients, entry, journal, result))) unresolved.push(entry);
      return;
    }
    const who = (entry.detail?.['who'] as Who | undefined) ?? 'primary';
    const found = entry.id !== undefined ? [{ id: entry.id, who }] : await idsByName(clients, entry);
    if (found.length === 0 && entry.event === 'creating') unresolved.push(entry);
    for (const item of found) await removeOne(clients, entry, item, journal, result);
    if (found.length > 0 && entry.id === undefined) journal.gone(entry.kind, entry.name);
  };
  const drainOne = async (entry: JournalEntry): Promise<void> => {
    try {
      await attempt(entry).catch(async (error: unknown) => {
        // A dropped connection is the way there, not the resource: every step of a removal may be
        // taken again (a 404 counts as removed), so it is, once, a poll later.
        if (!isEnvironmentError(error) || error.code !== 'UNREACHABLE') throw error;
        await new Promise((resolve) => setTimeout(resolve, clients.pollIntervalMs));
        await attempt(entry);
      });
    } catch (error) {
      result.failed.push(`${entry.kind} ${entry.name}: ${describe(error)}`);
    }
  };
  // Servers all at once (each delete waits for its server to go), then ports, then quotas.
  for (const kind of ['server', 'attachment', 'port', 'quota'] as const)
    await Promise.all(entries.filter((e) => e.kind === kind).map(drainOne));
  if (unresolved.length > 0) {
    // A create cut off by a signal may still be in flight at the API: look once more, later.
    await new Promise((resolve) => setTimeout(resolve, clients.settleMs ?? DEFAULT_SETTLE_MS));
    for (const entry of unresolved) {
      try {
        if (entry.kind === 'attachment') {
          await removeAttachment(clients, entry, journal, result);
          journal.gone('attachment', entry.name);
          continue;
        }
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
