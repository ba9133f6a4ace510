import type { Network, Port, Subnet } from '../openstack/network.ts';
import type { Api } from './api.ts';
import { perSession } from './per-session.ts';
import type { Who } from './preflight.ts';
import { resourceName } from './run-context.ts';
import { SetupError, setupFailure } from './setup-error.ts';

export interface AttachTarget {
  readonly network: Network;
  readonly subnet: Subnet;
}

export async function networks(api: Api, who: Who = 'primary'): Promise<Network[]> {
  const got = await api.neutron('GET', '/networks', undefined, who);
  if (got.status !== 200) setupFailure('listing networks', 'status 200', got);
  return (got.json as { networks: Network[] }).networks;
}

/**
 * The networks Nova considers when an attach names none: the project's own networks and shared
 * ones, not external ones (nova/network/neutron.py _get_available_networks).
 */
export async function autoSelectableNetworks(api: Api, who: Who = 'primary'): Promise<Network[]> {
  const projectId = await api.projectId(who);
  return (await networks(api, who)).filter(
    (n) => n['router:external'] !== true && (n.shared || n.project_id === projectId),
  );
}

async function findAttachNetwork(api: Api): Promise<AttachTarget> {
  const projectId = await api.projectId();
  const candidates = (await networks(api)).filter(
    (n) => n['router:external'] !== true && n.subnets.length > 0,
  );
  const wanted = api.config.networkId;
  const ordered =
    wanted !== undefined
      ? candidates.filter((n) => n.id === wanted)
      : [
          ...candidates.filter((n) => n.project_id === projectId),
          ...candidates.filter((n) => n.project_id !== projectId),
        ];
  for (const network of ordered) {
    const got = await api.neutron('GET', `/subnets?network_id=${network.id}`);
    const subnet = ((got.json as { subnets?: Subnet[] } | undefined)?.subnets ?? []).find(
      (s) => s.ip_version === 4,
    );
    if (subnet !== undefined) return { network, subnet };
  }
  throw new SetupError(
    wanted !== undefined
      ? `CONFORMANCE_NETWORK_ID ${wanted} is not visible to the project or has no IPv4 subnet`
      : 'no network with an IPv4 subnet is visible to the project: set CONFORMANCE_NETWORK_ID',
  );
}

const attachTargets = perSession<AttachTarget>();

/** The network the suites attach to (the configured one, or the project's own with an IPv4 subnet), found once per session. */
export function attachNetwork(api: Api): Promise<AttachTarget> {
  return attachTargets(api.s, () => findAttachNetwork(api));
}

/** Creates a Neutron port named for the run; registered in the journal before it exists. */
export async function createPort(
  api: Api,
  purpose: string,
  fields: Record<string, unknown> = {},
  who: Who = 'primary',
): Promise<Port> {
  const networkId = (fields['network_id'] as string | undefined) ?? (await attachNetwork(api)).network.id;
  const name = resourceName(api.s.runId, purpose);
  api.s.registry.creating('port', name, { who });
  const got = await api.neutron(
    'POST',
    '/ports',
    { port: { name, description: `nova-conformance run ${api.s.runId}`, network_id: networkId, ...fields } },
    who,
  );
  if (got.status !== 201) setupFailure(`creating port ${name}`, 'status 201', got);
  const port = (got.json as { port: Port }).port;
  api.s.registry.created('port', name, port.id, { who });
  return port;
}

export async function showPort(api: Api, portId: string, who: Who = 'primary'): Promise<Port | undefined> {
  const got = await api.neutron('GET', `/ports/${portId}`, undefined, who);
  if (got.status === 404) return undefined;
  if (got.status !== 200) setupFailure(`reading port ${portId}`, 'status 200', got);
  return (got.json as { port: Port }).port;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The addresses the network's ports hold, of the ports the project sees. */
export async function addressesInUse(api: Api, networkId: string): Promise<Set<string>> {
  const got = await api.neutron('GET', `/ports?network_id=${networkId}`);
  return new Set(
    ((got.json as { ports?: Port[] } | undefined)?.ports ?? []).flatMap((p) =>
      p.fixed_ips.map((ip) => ip.ip_address),
    ),
  );
}

/** Addresses handed out by freeIp in this session: checks running at once never get the same one. */
const handedOut = new WeakMap<object, Set<string>>();

/** An address of the subnet's allocation pool that no port holds and no other check of the run was given. */
export async function freeIp(api: Api, subnet: Subnet): Promise<string> {
  const used = await addressesInUse(api, subnet.network_id);
  const given = handedOut.get(api.s) ?? new Set<string>();
  handedOut.set(api.s, given);
  for (const pool of subnet.allocation_pools ?? []) {
    // From the top of the pool: the bottom is where Neutron hands out addresses itself.
    for (let n = ipToNumber(pool.end); n >= ipToNumber(pool.start); n -= 1) {
      const candidate = numberToIp(n);
      if (!used.has(candidate) && !given.has(candidate)) {
        given.add(candidate);
        return candidate;
      }
    }
  }
  throw new SetupError(`subnet ${subnet.id} has no free address left`);
}
