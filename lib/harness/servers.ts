import type { Api, As } from './api.ts';
import { perSession } from './per-session.ts';
import { resourceName } from './run-context.ts';
import { QuotaRefusal, quotaRefusal, SetupError, setupFailure } from './setup-error.ts';
import { waitFor } from './wait.ts';

export interface Server {
  readonly id: string;
  readonly name: string;
  /** False when the configuration named an existing server (CONFORMANCE_SERVER_ID). */
  readonly ownedByRun: boolean;
}

export interface ServerState {
  readonly status: string;
  readonly vmState?: string;
  readonly taskState: string | null;
  readonly locked?: boolean;
  readonly lockedReason?: string | null;
}

/** A server Nova put in ERROR, with the message of its fault. */
class ServerInError extends SetupError {
  constructor(
    serverId: string,
    readonly fault: string | undefined,
  ) {
    super(`server ${serverId} went to ERROR${fault !== undefined ? `: ${fault}` : ''}`);
  }
}

export async function serverState(
  api: Api,
  serverId: string,
  as: As = 'primary',
): Promise<ServerState | undefined> {
  // 2.73 shows locked_reason, so that the safety checks can see a lock is left as it was.
  const microversion = api.supports('2.73') ? '2.73' : '2.9';
  const got = await api.call('GET', `/servers/${serverId}`, { microversion, as });
  if (got.status === 404) return undefined;
  if (got.status !== 200) setupFailure(`reading server ${serverId}`, 'status 200', got);
  const server = (got.json as { server: Record<string, unknown> }).server;
  const fault = server['fault'] as { message?: string } | undefined;
  if (server['status'] === 'ERROR') throw new ServerInError(serverId, fault?.message);
  const vmState = server['OS-EXT-STS:vm_state'];
  const locked = server['locked'];
  const reason = server['locked_reason'];
  return {
    status: String(server['status']),
    taskState: (server['OS-EXT-STS:task_state'] as string | null | undefined) ?? null,
    ...(typeof vmState === 'string' && { vmState }),
    ...(typeof locked === 'boolean' && { locked }),
    ...((typeof reason === 'string' || reason === null) && { lockedReason: reason }),
  };
}

export async function waitForServer(
  api: Api,
  serverId: string,
  done: (state: ServerState) => boolean,
  what: string,
): Promise<ServerState> {
  const { value } = await waitFor(
    async () => {
      const state = await serverState(api, serverId);
      if (state === undefined) throw new SetupError(`server ${serverId} does not exist`);
      return done(state)
        ? { done: true, value: state }
        : { done: false, state: `status ${state.status}, task_state ${String(state.taskState)}` };
    },
    {
      what: `server ${serverId} ${what}`,
      timeoutMs: api.config.waitTimeoutMs,
      intervalMs: api.config.pollIntervalMs,
    },
  );
  return value;
}

const chosen = perSession<{ imageRef: string; flavorRef: string }>();

async function smallestImage(api: Api): Promise<string> {
  if (api.config.imageId !== undefined) return api.config.imageId;
  if (api.s.imageBase !== undefined) {
    const got = await api.send({
      method: 'GET',
      url: `${api.s.imageBase}/v2/images?status=active`,
      headers: { 'X-Auth-Token': (await api.s.token()).value },
    });
    const images = (got.json as { images?: { id: string; size?: number }[] } | undefined)?.images ?? [];
    const smallest = [...images].sort((a, b) => (a.size ?? 0) - (b.size ?? 0))[0];
    if (got.status === 200 && smallest !== undefined) return smallest.id;
  }
  throw new SetupError(
    'no active image found to boot a server: set CONFORMANCE_IMAGE_ID (or CONFORMANCE_SERVER_ID)',
  );
}

async function smallestFlavor(api: Api): Promise<string> {
  if (api.config.flavorId !== undefined) return api.config.flavorId;
  const got = await api.call('GET', '/flavors/detail');
  const flavors =
    (got.json as { flavors?: { id: string; ram: number; vcpus: number; disk: number }[] } | undefined)
      ?.flavors ?? [];
  const smallest = [...flavors].sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus || a.disk - b.disk)[0];
  if (got.status !== 200 || smallest === undefined)
    throw new SetupError(
      'no flavor found to boot a server: set CONFORMANCE_FLAVOR_ID (or CONFORMANCE_SERVER_ID)',
    );
  return smallest.id;
}

/** Image and flavor, chosen once per session. */
function bootRefs(api: Api): Promise<{ imageRef: string; flavorRef: string }> {
  return chosen(api.s, async () => {
    const [imageRef, flavorRef] = await Promise.all([smallestImage(api), smallestFlavor(api)]);
    return { imageRef, flavorRef };
  });
}

/** Boots a server, registered in the journal before it exists; `networks` as Nova takes it ('none' needs 2.37). */
export async function bootServer(
  api: Api,
  purpose: string,
  networks: 'none' | 'auto' | { uuid: string }[] = 'none',
): Promise<Server> {
  return untilActive(api, await requestServer(api, purpose, networks));
}

/** Asks Nova for a server (the first half of bootServer): accepted, journaled, not yet ACTIVE. */
export async function requestServer(
  api: Api,
  purpose: string,
  networks: 'none' | 'auto' | { uuid: string }[] = 'none',
): Promise<Server> {
  const name = resourceName(api.s.runId, purpose);
  const { imageRef, flavorRef } = await bootRefs(api);
  api.s.registry.creating('server', name);
  const created = await api.call('POST', '/servers', {
    microversion: '2.37',
    // The run id in the description too (2.19+), for operators looking at the server list.
    json: {
      server: { name, description: `nova-conformance run ${api.s.runId}`, imageRef, flavorRef, networks },
    },
  });
  if (created.status === 403 && /quota exceeded/i.test(created.text)) {
    // Refused before anything was made (Nova's OverQuota): nothing for the drain to look for.
    api.s.registry.gone('server', name);
    quotaRefusal(`booting server ${name}`, created);
  }
  if (created.status !== 202) setupFailure(`booting server ${name}`, 'status 202', created);
  const id = (created.json as { server: { id: string } }).server.id;
  api.s.registry.created('server', name, id);
  return { id, name, ownedByRun: true };
}

/** Waits for a server the run asked for to become ACTIVE (the second half of bootServer). */
export async function untilActive(api: Api, server: Server): Promise<Server> {
  const { id } = server;
  try {
    await waitForServer(api, id, (state) => state.status === 'ACTIVE', 'to become ACTIVE');
  } catch (error) {
    // Nova's conductor checks the quota again when it builds (recheck_quota): servers booted at
    // once may pass the API's check and still go to ERROR for it. In ERROR it still takes its
    // place in the quota: deleted before the pool waits.
    if (!(error instanceof ServerInError) || !/quota exceeded/i.test(error.fault ?? '')) throw error;
    await deleteServer(api, server).catch(() => undefined);
    throw new QuotaRefusal(error.message);
  }
  return server;
}

/** Runs a server action (lock, suspend, ...) and waits until Nova reports `done`. */
export async function serverAction(
  api: Api,
  serverId: string,
  action: Record<string, unknown>,
  done: (state: ServerState) => boolean,
  as: As = 'primary',
): Promise<void> {
  const name = Object.keys(action).join();
  const answer = await api.call('POST', `/servers/${serverId}/action`, {
    json: action,
    as,
    microversion: '2.73',
  });
  if (answer.status !== 202 && answer.status !== 200)
    setupFailure(`server action ${name}`, 'status 202', answer);
  await waitForServer(api, serverId, (state) => state.taskState === null && done(state), `to finish ${name}`);
}

/** Deletes a server of the run (unlocking it first: Nova refuses to delete a locked one) and waits until it is gone. */
export async function deleteServer(api: Api, server: Server): Promise<void> {
  if (!server.ownedByRun)
    throw new Error(`refusing to delete server ${server.id}: the run did not create it`);
  await api.call('POST', `/servers/${server.id}/action`, { json: { unlock: null } });
  const answer = await api.call('DELETE', `/servers/${server.id}`);
  if (answer.status !== 204 && answer.status !== 404)
    setupFailure(`deleting server ${server.id}`, 'status 204', answer);
  await waitFor(
    async () =>
      (await serverState(api, server.id)) === undefined
        ? { done: true, value: true }
        : { done: false, state: 'still listed' },
    {
      what: `server ${server.id} to be deleted`,
      timeoutMs: api.config.waitTimeoutMs,
      intervalMs: api.config.pollIntervalMs,
    },
  );
  api.s.registry.gone('server', server.name, server.id);
}
