import type { Port } from '../openstack/network.ts';
import type { Api } from './api.ts';
import type { Who } from './preflight.ts';
import { setupFailure } from './setup-error.ts';
import { showPort } from './ports.ts';
import { waitFor } from './wait.ts';

/**
 * The port ids of a server's interface list, for the harness's own bookkeeping. Only what it
 * needs is required (status 200, a port_id per element): the list's full shape is the LIST
 * checks' to judge, not every check that reads the list on the way.
 */
export async function attachedPortIds(api: Api, serverId: string): Promise<string[]> {
  const got = await api.list(serverId);
  const items = (got.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
  if (got.status !== 200 || !Array.isArray(items))
    setupFailure(`listing the interfaces of server ${serverId}`, 'status 200 with interfaceAttachments', got);
  const ids = items.map((item) => (item as { port_id?: unknown } | null)?.port_id);
  if (!ids.every((id): id is string => typeof id === 'string'))
    setupFailure(`listing the interfaces of server ${serverId}`, 'a port_id string in every element', got);
  return ids;
}

/** Waits until Neutron shows the port unbound (device_id cleared) or gone (Nova deletes the ports it made). */
export async function waitUntilUnbound(
  api: Api,
  portId: string,
  who: Who = 'primary',
): Promise<Port | undefined> {
  const { value } = await waitFor(
    async () => {
      const port = await showPort(api, portId, who);
      return port === undefined || port.device_id === ''
        ? { done: true, value: port }
        : { done: false, state: `device_id '${port.device_id}'` };
    },
    {
      what: `Neutron to unbind port ${portId}`,
      timeoutMs: api.config.waitTimeoutMs,
      intervalMs: api.config.pollIntervalMs,
    },
  );
  return value;
}
