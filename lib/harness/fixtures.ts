import type { ComputeCall } from '../openstack/compute.ts';
import type { Exchange, Method } from '../openstack/http.ts';
import type { Network, Port, Subnet } from '../openstack/network.ts';
import { compareMicroversions } from '../schema/validator.ts';
import { expectInterfaceBody } from './expect.ts';
import type { Who } from './preflight.ts';
import { resourceName } from './run-context.ts';
import { session, type Session } from './session.ts';
import { waitFor } from './wait.ts';

export type As = Who | 'none' | { readonly token: string };

export type CallOptions = Omit<ComputeCall, 'token' | 'method' | 'path'> & { readonly as?: As };

export interface Server {
  readonly id: string;
  readonly name: string;
  /** False when the configuration named an existing server. */
  readonly ownedByRun: boolean;
}

export interface ServerState {
  readonly status: string;
  readonly vmState?: string;
  readonly taskState: string | null;
  readonly locked?: boolean;
}

export interface AttachTarget {
  readonly network: Network;
  readonly subnet: Subnet;
}

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

function setupFailure(what: string, exchange: Exchange): never {
  throw new SetupError(
    `${what}: ${exchange.method} ${exchange.url} answered ${exchange.status}: ${exchange.text.slice(0, 300)}`,
  );
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Arranges what the suites need on the target (a server, networks, ports) through the public
 * APIs, registers everything it creates before creating it, and waits by polling.
 */
export class Fixtures {
  private sharedServer: Promise<Server> | undefined;
  private attachTarget: Promise<AttachTarget> | undefined;

  constructor(readonly s: Session) {}

  get config() {
    return this.s.config;
  }

  /** The version Nova will apply for a requested header value (none → 2.1, latest → max). */
  effective(microversion?: string): string {
    if (microversion === undefined) return '2.1';
    return microversion === 'latest' ? this.s.versions.max : microversion;
  }

  supports(microversion: string): boolean {
    return compareMicroversions(this.s.versions.max, microversion) >= 0;
  }

  async tokenOf(as: As = 'primary'): Promise<string | null> {
    if (as === 'none') return null;
    if (typeof as === 'object') return as.token;
    return (await this.s.token(as)).value;
  }

  async projectId(who: Who = 'primary'): Promise<string> {
    return (await this.s.token(who)).projectId;
  }

  async call(method: Method, path: string, options: CallOptions = {}): Promise<Exchange> {
    const { as, ...rest } = options;
    return this.s.compute.call({ ...rest, method, path, token: await this.tokenOf(as) });
  }

  list(serverId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-interface`, options);
  }

  show(serverId: string, portId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-interface/${portId}`, options);
  }

  async attach(serverId: string, body: unknown, options: CallOptions = {}): Promise<Exchange> {
    const got = await this.call('POST', `/servers/${serverId}/os-interface`, { ...options, json: body });
    const requested = (body as { interfaceAttachment?: { port_id?: unknown } } | null)?.interfaceAttachment;
    const created = (got.json as { interfaceAttachment?: { port_id?: unknown } } | undefined)
      ?.interfaceAttachment?.port_id;
    if (got.status === 200 && typeof created === 'string' && typeof requested?.port_id !== 'string') {
      // Nova made this port (net_id or no argument): it carries no name of ours, so only the
      // journal lets cleanup find it if the run dies before detaching it.
      const who = typeof options.as === 'string' && options.as !== 'none' ? options.as : 'primary';
      this.s.registry.created('port', resourceName(this.s.runId, 'nova-created'), created, { who, serverId });
    }
    return got;
  }

  detach(serverId: string, portId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('DELETE', `/servers/${serverId}/os-interface/${portId}`, options);
  }

  async neutron(method: Method, path: string, json?: unknown, who: Who = 'primary'): Promise<Exchange> {
    return this.s.network.call(method, path, (await this.s.token(who)).value, json);
  }

  // ---- servers -------------------------------------------------------------------------------

  /** The run's server: the configured one, or one booted (once per run) without any port. */
  server(): Promise<Server> {
    this.sharedServer ??= this.provideServer();
    return this.sharedServer;
  }

  private async provideServer(): Promise<Server> {
    const configured = this.config.serverId;
    if (configured !== undefined) {
      await this.waitForServer(configured, (state) => state.status === 'ACTIVE', 'to be ACTIVE');
      return { id: configured, name: configured, ownedByRun: false };
    }
    return this.bootServer('server', 'none');
  }

  /** Boots a server; `networks` as Nova takes it ('none' needs 2.37, which every current Nova has). */
  async bootServer(purpose: string, networks: 'none' | 'auto' | { uuid: string }[]): Promise<Server> {
    const name = resourceName(this.s.runId, purpose);
    const [imageRef, flavorRef] = await Promise.all([this.imageId(), this.flavorId()]);
    this.s.registry.creating('server', name);
    const created = await this.call('POST', '/servers', {
      microversion: '2.37',
      // The run id in the description too (2.19+), for operators looking at the server list.
      json: {
        server: { name, description: `nova-conformance run ${this.s.runId}`, imageRef, flavorRef, networks },
      },
    });
    if (created.status !== 202) setupFailure(`booting server ${name}`, created);
    const id = (created.json as { server: { id: string } }).server.id;
    this.s.registry.created('server', name, id);
    await this.waitForServer(id, (state) => state.status === 'ACTIVE', 'to become ACTIVE');
    return { id, name, ownedByRun: true };
  }

  async serverState(serverId: string, as: As = 'primary'): Promise<ServerState | undefined> {
    const got = await this.call('GET', `/servers/${serverId}`, { microversion: '2.9', as });
    if (got.status === 404) return undefined;
    if (got.status !== 200) setupFailure(`reading server ${serverId}`, got);
    const server = (got.json as { server: Record<string, unknown> }).server;
    const fault = server['fault'] as { message?: string } | undefined;
    if (server['status'] === 'ERROR') {
      throw new SetupError(
        `server ${serverId} went to ERROR${fault?.message !== undefined ? `: ${fault.message}` : ''}`,
      );
    }
    const vmState = server['OS-EXT-STS:vm_state'];
    const locked = server['locked'];
    return {
      status: String(server['status']),
      taskState: (server['OS-EXT-STS:task_state'] as string | null | undefined) ?? null,
      ...(typeof vmState === 'string' && { vmState }),
      ...(typeof locked === 'boolean' && { locked }),
    };
  }

  async waitForServer(
    serverId: string,
    done: (state: ServerState) => boolean,
    what: string,
  ): Promise<ServerState> {
    const { value } = await waitFor(
      async () => {
        const state = await this.serverState(serverId);
        if (state === undefined) throw new SetupError(`server ${serverId} does not exist`);
        return done(state)
          ? { done: true, value: state }
          : { done: false, state: `status ${state.status}, task_state ${String(state.taskState)}` };
      },
      {
        what: `server ${serverId} ${what}`,
        timeoutMs: this.config.waitTimeoutMs,
        intervalMs: this.config.pollIntervalMs,
      },
    );
    return value;
  }

  /** Runs a server action (lock, suspend, ...) and waits until Nova reports `done`. */
  async serverAction(
    serverId: string,
    action: Record<string, unknown>,
    done: (state: ServerState) => boolean,
    as: As = 'primary',
  ): Promise<void> {
    const answer = await this.call('POST', `/servers/${serverId}/action`, {
      json: action,
      as,
      microversion: '2.73',
    });
    if (answer.status !== 202 && answer.status !== 200)
      setupFailure(`server action ${Object.keys(action).join()}`, answer);
    await this.waitForServer(
      serverId,
      (state) => state.taskState === null && done(state),
      `to finish ${Object.keys(action).join()}`,
    );
  }

  async deleteServer(serverId: string, name: string): Promise<void> {
    const answer = await this.call('DELETE', `/servers/${serverId}`);
    if (answer.status !== 204 && answer.status !== 404) setupFailure(`deleting server ${serverId}`, answer);
    await waitFor(
      async () =>
        (await this.serverState(serverId)) === undefined
          ? { done: true, value: true }
          : { done: false, state: 'still listed' },
      {
        what: `server ${serverId} to be deleted`,
        timeoutMs: this.config.waitTimeoutMs,
        intervalMs: this.config.pollIntervalMs,
      },
    );
    this.s.registry.gone('server', name, serverId);
  }

  async instanceAction(serverId: string, requestId: string): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-instance-actions/${requestId}`, {
      microversion: '2.51',
    });
  }

  private async imageId(): Promise<string> {
    if (this.config.imageId !== undefined) return this.config.imageId;
    const token = (await this.s.token()).value;
    if (this.s.imageBase !== undefined) {
      const got = await this.s.http.send({
        method: 'GET',
        url: `${this.s.imageBase}/v2/images?status=active`,
        headers: { 'X-Auth-Token': token },
      });
      const images = (got.json as { images?: { id: string; size?: number }[] } | undefined)?.images ?? [];
      const smallest = [...images].sort((a, b) => (a.size ?? 0) - (b.size ?? 0))[0];
      if (got.status === 200 && smallest !== undefined) return smallest.id;
    }
    throw new SetupError(
      'no active image found to boot a server: set CONFORMANCE_IMAGE_ID (or CONFORMANCE_SERVER_ID)',
    );
  }

  private async flavorId(): Promise<string> {
    if (this.config.flavorId !== undefined) return this.config.flavorId;
    const got = await this.call('GET', '/flavors/detail');
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

  // ---- networks and ports --------------------------------------------------------------------

  async networks(who: Who = 'primary'): Promise<Network[]> {
    const got = await this.neutron('GET', '/networks', undefined, who);
    if (got.status !== 200) setupFailure('listing networks', got);
    return (got.json as { networks: Network[] }).networks;
  }

  /**
   * The networks Nova considers when an attach names none: the project's own networks and shared
   * ones, not external ones (nova/network/neutron.py _get_available_networks).
   */
  async autoSelectableNetworks(who: Who = 'primary'): Promise<Network[]> {
    const projectId = await this.projectId(who);
    return (await this.networks(who)).filter(
      (n) => n['router:external'] !== true && (n.shared || n.project_id === projectId),
    );
  }

  /** The network the suites attach to: the configured one, or the project's own with an IPv4 subnet. */
  attachNetwork(): Promise<AttachTarget> {
    this.attachTarget ??= this.findAttachNetwork();
    return this.attachTarget;
  }

  private async findAttachNetwork(): Promise<AttachTarget> {
    const projectId = await this.projectId();
    const candidates = (await this.networks()).filter(
      (n) => n['router:external'] !== true && n.subnets.length > 0,
    );
    const wanted = this.config.networkId;
    const ordered =
      wanted !== undefined
        ? candidates.filter((n) => n.id === wanted)
        : [
            ...candidates.filter((n) => n.project_id === projectId),
            ...candidates.filter((n) => n.project_id !== projectId),
          ];
    for (const network of ordered) {
      const got = await this.neutron('GET', `/subnets?network_id=${network.id}`);
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

  /** Creates a Neutron port named for the run; registered for cleanup before it exists. */
  async createPort(
    purpose: string,
    fields: Record<string, unknown> = {},
    who: Who = 'primary',
  ): Promise<Port> {
    const networkId = (fields['network_id'] as string | undefined) ?? (await this.attachNetwork()).network.id;
    const name = resourceName(this.s.runId, purpose);
    this.s.registry.creating('port', name);
    const got = await this.neutron(
      'POST',
      '/ports',
      {
        port: { name, description: `nova-conformance run ${this.s.runId}`, network_id: networkId, ...fields },
      },
      who,
    );
    if (got.status !== 201) setupFailure(`creating port ${name}`, got);
    const port = (got.json as { port: Port }).port;
    this.s.registry.created('port', name, port.id, { who });
    return port;
  }

  async showPort(portId: string, who: Who = 'primary'): Promise<Port | undefined> {
    const got = await this.neutron('GET', `/ports/${portId}`, undefined, who);
    if (got.status === 404) return undefined;
    if (got.status !== 200) setupFailure(`reading port ${portId}`, got);
    return (got.json as { port: Port }).port;
  }

  async deletePort(port: Pick<Port, 'id' | 'name'>, who: Who = 'primary'): Promise<void> {
    const got = await this.neutron('DELETE', `/ports/${port.id}`, undefined, who);
    if (got.status !== 204 && got.status !== 404) setupFailure(`deleting port ${port.id}`, got);
    this.s.registry.gone('port', port.name, port.id);
  }

  /** An address of the subnet's allocation pool that no port holds. */
  async freeIp(subnet: Subnet): Promise<string> {
    const got = await this.neutron('GET', `/ports?network_id=${subnet.network_id}`);
    const used = new Set(
      ((got.json as { ports?: Port[] } | undefined)?.ports ?? []).flatMap((p) =>
        p.fixed_ips.map((ip) => ip.ip_address),
      ),
    );
    for (const pool of subnet.allocation_pools ?? []) {
      // From the top of the pool: the bottom is where Neutron hands out addresses itself.
      for (let n = ipToNumber(pool.end); n >= ipToNumber(pool.start); n -= 1) {
        const candidate = numberToIp(n);
        if (!used.has(candidate)) return candidate;
      }
    }
    throw new SetupError(`subnet ${subnet.id} has no free address left`);
  }

  /** The interface list of a server as port ids (status 200 required). */
  async attachedPortIds(serverId: string): Promise<string[]> {
    const got = await this.list(serverId);
    // Every list the harness reads for itself is held to the same schema as the suites' own,
    // so a broken body fails as a conformance failure, not as a crash in the harness.
    const body = expectInterfaceBody<{ interfaceAttachments: { port_id: string }[] }>(
      got,
      'list',
      200,
      '2.1',
    );
    return body.interfaceAttachments.map((a) => a.port_id);
  }

  /** Waits for a port to leave the server's interface list (the end of an asynchronous detach). */
  async waitUntilDetached(serverId: string, portId: string): Promise<{ polls: number; elapsedMs: number }> {
    const { polls, elapsedMs } = await waitFor(
      async () => {
        const ids = await this.attachedPortIds(serverId);
        return ids.includes(portId)
          ? { done: false, state: `still listed among ${ids.length} interfaces` }
          : { done: true, value: true };
      },
      {
        what: `port ${portId} to leave the interface list of server ${serverId}`,
        timeoutMs: this.config.waitTimeoutMs,
        intervalMs: this.config.pollIntervalMs,
      },
    );
    return { polls, elapsedMs };
  }

  /** Detaches (if attached) and waits; for tidying up after a test, not for asserting. */
  async ensureDetached(serverId: string, portId: string): Promise<void> {
    if (!(await this.attachedPortIds(serverId)).includes(portId)) return;
    const got = await this.detach(serverId, portId);
    if (got.status !== 202) setupFailure(`detaching ${portId} from ${serverId}`, got);
    await this.waitUntilDetached(serverId, portId);
  }
}

let current: Promise<Fixtures> | undefined;

/** The run's fixtures, shared by every test file in the worker. */
export function fixtures(): Promise<Fixtures> {
  current ??= session().then((s) => new Fixtures(s));
  return current;
}
