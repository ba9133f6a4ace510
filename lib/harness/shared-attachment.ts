import type { Port } from '../openstack/network.ts';
import type { LeasedServer } from './configured-server.ts';
import { Fixtures } from './fixtures.ts';
import { attachedPortIds, attachPortById } from './interfaces.ts';
import type { ServerPool } from './pool.ts';
import type { Server } from './servers.ts';
import type { Session } from './session.ts';
import { waitFor } from './wait.ts';

/**
 * A server for checks that only read one interface attached without tag. `port` is that interface
 * when the run shares one (a server it booted); undefined when the check arranges its own, as on
 * a configured server (CONFORMANCE_SERVER_ID) or in the read-only profile.
 */
export interface AttachedServer extends LeasedServer {
  readonly port: Port | undefined;
}

/** The prerequisite steps of the shared arrangement, named as the per-check steps are where they are the same. */
export const SHARED_STEPS = {
  // As Fixtures.createPort names it: one failing Neutron is one prerequisite result.
  createPort: 'create a Neutron port',
  attach:
    'attach a port to a server of the run without tag (200 naming the port, then listed, then bound and ACTIVE in Neutron)',
} as const;

/**
 * Attaches `port` by port_id and waits until it is settled: in the server's interface list and, in
 * Neutron, bound to the server and ACTIVE (Nova's port_state is Neutron's status). Only what the
 * readers need is required of the answers: their shapes are ATTACH's, LIST's and SHOW's to judge.
 */
async function attachSettled(
  api: Fixtures,
  serverId: string,
  port: Port,
): Promise<{ port: Port; listed: string[] }> {
  await attachPortById(api, serverId, port.id);
  const { value } = await waitFor(
    async () => {
      const listed = await attachedPortIds(api, serverId);
      if (!listed.includes(port.id)) return { done: false, state: 'not in the interface list yet' };
      const shown = await api.showPort(port.id);
      return shown?.device_id === serverId && shown.status === 'ACTIVE'
        ? { done: true, value: { port: shown, listed } }
        : {
            done: false,
            state:
              shown === undefined
                ? 'Neutron does not show the port'
                : `listed; in Neutron device_id '${shown.device_id}', status ${shown.status}`,
          };
    },
    {
      what: `port ${port.id} to be listed on server ${serverId} and ACTIVE in Neutron`,
      timeoutMs: api.config.waitTimeoutMs,
      intervalMs: api.config.pollIntervalMs,
    },
  );
  return value;
}

function quiet<T>(promise: Promise<T>): Promise<T> {
  // Each stage is awaited by whichever check needs it; until then it must not be an unhandled rejection.
  promise.catch(() => undefined);
  return promise;
}

/**
 * One server of the run's pool with one port the run created and attached without tag, for every
 * check that only reads such an interface: attached once, on first use, however many checks ask at
 * once. Each stage's outcome, failure included, is kept, so that every check that needed a failed
 * stage is blocked by the same result at any concurrency. Readers never change it. Its server and
 * port are the journal's like any other: the run's drain removes them when the run ends (or after
 * a kill), the server first.
 */
export class SharedAttachment {
  /** Owner of the port and of the exchanges that arrange it (no check's). */
  private readonly api: Fixtures;
  private stages:
    { server: Promise<Server>; port: Promise<Port>; attached: Promise<AttachedServer> } | undefined;

  constructor(
    session: Session,
    private readonly pool: ServerPool,
  ) {
    this.api = new Fixtures(session);
  }

  private start(): NonNullable<SharedAttachment['stages']> {
    if (this.stages !== undefined) return this.stages;
    // The boot and the port do not depend on each other: both at once.
    const server = quiet(this.pool.lease());
    const port = quiet(this.api.createPort('shared-port'));
    const attached = quiet(
      (async () => {
        // Both settled first: when a stage fails, nothing of the arrangement is still in flight
        // (a port being created while QUOTA-01 holds the quota, say).
        const [booted, created] = await Promise.allSettled([server, port]);
        if (booted.status === 'rejected') throw booted.reason;
        if (created.status === 'rejected') throw created.reason;
        const [s, p] = [booted.value, created.value];
        const settled = await attachSettled(this.api, s.id, p);
        return { ...s, baseline: new Set(settled.listed), port: settled.port };
      })(),
    );
    this.stages = { server, port, attached };
    return this.stages;
  }

  /** The server, booted (or taken idle) from the run's pool. */
  server(): Promise<Server> {
    return this.start().server;
  }

  /** The run's port for it, created in Neutron. */
  port(): Promise<Port> {
    return this.start().port;
  }

  /** The server with the port attached and settled. */
  attached(): Promise<AttachedServer> {
    return this.start().attached;
  }

  /** Resolves once every stage has succeeded or failed (it never rejects). */
  async settled(): Promise<void> {
    await this.start().attached.catch(() => undefined);
  }
}
