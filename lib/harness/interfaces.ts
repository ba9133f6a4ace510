import type { Exchange } from '../openstack/http.ts';
import type { Api } from './api.ts';
import { setupFailure } from './setup-error.ts';

/** The prerequisite step of reading a server's interface list for its port ids (readPortIds). */
export const LIST_STEP = 'list the interfaces of a server (200 with a port_id per element)';

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

/**
 * Attaches a port by port_id for an arrangement: 200 with an interfaceAttachment naming the port,
 * or a setup failure (the answer's full shape is ATTACH's to judge).
 */
export async function attachPortById(api: Api, serverId: string, portId: string): Promise<Exchange> {
  const got = await api.attach(serverId, { interfaceAttachment: { port_id: portId } });
  const named = (got.json as { interfaceAttachment?: { port_id?: unknown } } | undefined)?.interfaceAttachment
    ?.port_id;
  if (got.status !== 200 || named !== portId)
    setupFailure(
      `attaching port ${portId} to server ${serverId}`,
      `status 200 with an interfaceAttachment naming port ${portId}`,
      got,
    );
  return got;
}
