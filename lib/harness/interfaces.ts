import type { Exchange } from '../openstack/http.ts';
import type { Api } from './api.ts';
import { setupFailure } from './setup-error.ts';

/**
 * A server's interface list read for its port ids only (status 200, a port_id per element): the
 * list's full shape is the LIST checks' to judge, not every check that reads the list on the way.
 */
export async function readPortIds(
  api: Api,
  serverId: string,
): Promise<{ exchange: Exchange; ids: string[] }> {
  const exchange = await api.list(serverId);
  const items = (exchange.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
  if (exchange.status !== 200 || !Array.isArray(items))
    setupFailure(
      `listing the interfaces of server ${serverId}`,
      'status 200 with interfaceAttachments',
      exchange,
    );
  const ids = items.map((item) => (item as { port_id?: unknown } | null)?.port_id);
  if (!ids.every((id): id is string => typeof id === 'string'))
    setupFailure(
      `listing the interfaces of server ${serverId}`,
      'a port_id string in every element',
      exchange,
    );
  return { exchange, ids };
}

/** The port ids of a server's interface list, for the harness's own bookkeeping (see readPortIds). */
export async function attachedPortIds(api: Api, serverId: string): Promise<string[]> {
  return (await readPortIds(api, serverId)).ids;
}
