import { randomBytes } from 'node:crypto';
import type { TestContext } from 'vitest';
import type { Exchange, Method } from '../openstack/http.ts';
import type { Network, Port, Subnet } from '../openstack/network.ts';
import { Api, type As, type CallOptions, type ExchangeOwner } from './api.ts';
import { removePort } from './cleanup.ts';
import { attachedPortIds, LIST_STEP } from './interfaces.ts';
import { setupFailure } from './setup-error.ts';
import * as ports from './ports.ts';
import type { AttachTarget } from './ports.ts';
import type { Who } from './preflight.ts';
import { prerequisite } from './prerequisite.ts';
import { SKIP_REASON } from './outcomes.ts';
import { resourceName } from './run-context.ts';
import { suiteFileOf } from './scenario.ts';
import * as servers from './servers.ts';
import type { ServerState } from './servers.ts';
import type { Session } from './session.ts';
import { waitFor, type Waited } from './wait.ts';

export type { As, CallOptions } from './api.ts';
export type { AttachTarget } from './ports.ts';
export type { ServerState } from './servers.ts';

/** The parts of vitest's test context a check's fixtures use. */
export type CheckContext = Pick<TestContext, 'annotate' | 'skip' | 'task'>;

interface OwnedPort {
  readonly id: string;
  readonly name: string;
  readonly who: Who;
}

/**
 * What one check (or the fidelity replay) works with: the HTTP facade, and every port it creates,
 * which it owns and removes when it ends (detached first from whichever server holds it). Steps
 * that only arrange the check are prerequisites: when one fails, the check is reported blocked by it.
 */
const WRITES = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A server's interface list (…/servers/<id>/os-interface), on any endpoint prefix. */
const LIST_PATH = /\/servers\/[^/]+\/os-interface\/?$/;

/** Whether an exchange is a list answered 200 with no interface at all. */
function listsNothing(exchange: Exchange): boolean {
  const items = (exchange.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
  return exchange.status === 200 && Array.isArray(items) && items.length === 0;
}

export class Fixtures extends Api {
  private readonly owned = new Map<string, OwnedPort>();
  /**
   * Servers this owner sent a write to (answered or not) and has not seen without interfaces
   * since, with when the latest write was answered: only those may have changed interfaces.
   */
  private readonly written = new Map<string, number>();
  /** A server the run did not create and whose owner locked it: the run attaches nothing to it. */
  lockedServer: string | undefined;

  constructor(
    s: Session,
    readonly ctx?: CheckContext,
    private readonly runAlone?: () => Promise<void>,
  ) {
    super(s);
  }

  /**
   * From here on the check runs alone: it waits until no other check of the run holds a slot,
   * and none starts until it ends. For a check that changes the whole project (its port quota).
   */
  async alone(): Promise<void> {
    if (this.runAlone === undefined)
      throw new Error('this step needs to run alone, outside the suites it cannot');
    await this.runAlone();
  }

  override owner(): ExchangeOwner {
    const task = this.ctx?.task;
    if (task === undefined) return {};
    return { check: { id: task.id, name: task.name, file: suiteFileOf(task) } };
  }

  /** Skips the check with a reason that reaches every report (outside a test: an error). */
  async skipBecause(reason: string): Promise<never> {
    if (this.ctx === undefined) throw new Error(`cannot run this step: ${reason}`);
    await this.ctx.annotate(reason, SKIP_REASON);
    this.ctx.skip(reason);
    throw new Error(reason); // not reached: skip() throws
  }

  /**
   * The footprint, enforced where every request passes: no write at all in the read-only profile,
   * no attach or detach on a configured server its owner locked, and never a server action (state,
   * lock, rename) on a server the run did not create.
   */
  private async guard(method: Method, path: string): Promise<void> {
    if (!WRITES.has(method)) return;
    if (this.config.readOnly)
      await this.skipBecause(
        'profile read-only (CONFORMANCE_PROFILE=read-only): this check changes the cloud; run it with CONFORMANCE_PROFILE=standard',
      );
    const configured = this.config.serverId;
    if (configured === undefined || !path.startsWith(`/servers/${configured}`)) return;
    if (path.startsWith(`/servers/${configured}/os-interface`)) {
      if (this.lockedServer === configured)
        await this.skipBecause(
          `CONFORMANCE_SERVER_ID ${configured} is locked by its owner: this check would attach or detach on it, and the run leaves the lock alone`,
        );
      return;
    }
    throw new Error(
      `the harness refused ${method} ${path}: the run never changes a server it did not create`,
    );
  }

  override async call(method: Method, path: string, options: CallOptions = {}): Promise<Exchange> {
    await this.guard(method, path);
    return super.call(method, path, options);
  }

  protected override record(exchange: Exchange): Exchange {
    // Every exchange passes here, also those sent by URL (a legacy or project-prefixed endpoint).
    const write = WRITES.has(exchange.method);
    // A read matters only as a list that may clear a server written to: most reads need no parse.
    if (write || (exchange.method === 'GET' && this.written.size > 0)) {
      const path = new URL(exchange.url).pathname;
      const server = /\/servers\/([^/?]+)/.exec(path)?.[1];
      if (server !== undefined && write) this.written.set(server, Date.now());
      // Only a list sent after the latest write was answered sees what that write did.
      else if (server !== undefined && LIST_PATH.test(path) && listsNothing(exchange))
        if (Date.parse(exchange.startedAt) >= (this.written.get(server) ?? Infinity))
          this.written.delete(server);
    }
    return super.record(exchange);
  }

  /**
   * Whether this owner may have changed the server's interfaces: it sent the server a write (an
   * attach, a detach, an action), whatever the answer, and has not listed its interfaces empty
   * since. A server that only answered reads is as the check found it; one the check itself saw
   * without interfaces after its last write is what the pool's own look would find.
   */
  mayHaveChanged(serverId: string): boolean {
    return this.written.has(serverId);
  }

  override async neutron(
    method: Method,
    path: string,
    json?: unknown,
    who: Who = 'primary',
  ): Promise<Exchange> {
    await this.guard(method, `neutron:${path}`);
    return super.neutron(method, path, json, who);
  }

  /** Runs an arranging step; see lib/harness/prerequisite.ts. */
  prerequisite<T>(step: string, run: () => Promise<T>): Promise<T> {
    return prerequisite(this.ctx, step, run);
  }

  override async attach(serverId: string, body: unknown, options: CallOptions = {}): Promise<Exchange> {
    const requested = (body as { interfaceAttachment?: { port_id?: unknown } } | null)?.interfaceAttachment;
    // Nova will make a port with no name of ours; on a server the run did not create, only this
    // entry lets a drain after a kill find it (lib/harness/cleanup.ts removeAttachment).
    const guarded =
      serverId === this.config.serverId && typeof requested?.port_id !== 'string' && !this.config.readOnly
        ? resourceName(this.s.runId, `attach-${randomBytes(4).toString('hex')}`)
        : undefined;
    if (guarded !== undefined)
      this.s.registry.creating('attachment', guarded, {
        serverId,
        before: await attachedPortIds(this, serverId),
        at: new Date().toISOString(),
      });
    const got = await super.attach(serverId, body, options);
    const created = (got.json as { interfaceAttachment?: { port_id?: unknown } } | undefined)
      ?.interfaceAttachment?.port_id;
    if (got.status === 200 && typeof created === 'string' && typeof requested?.port_id !== 'string') {
      // Nova made this port (net_id or no argument): it carries no name of ours, so only the
      // journal lets cleanup find it if the run dies before detaching it.
      const who = typeof options.as === 'string' && options.as !== 'none' ? options.as : 'primary';
      const name = resourceName(this.s.runId, 'nova-created');
      this.s.registry.created('port', name, created, { who, serverId });
      this.owned.set(created, { id: created, name, who });
    }
    if (guarded !== undefined) this.s.registry.gone('attachment', guarded);
    return got;
  }

  // ---- networks and ports (lib/harness/ports.ts) ---------------------------------------------

  networks(who: Who = 'primary'): Promise<Network[]> {
    return this.prerequisite('list the networks the project sees', () => ports.networks(this, who));
  }

  autoSelectableNetworks(who: Who = 'primary'): Promise<Network[]> {
    return this.prerequisite('list the networks the project sees', () =>
      ports.autoSelectableNetworks(this, who),
    );
  }

  attachNetwork(): Promise<AttachTarget> {
    return this.prerequisite('find a network with an IPv4 subnet to attach to', () =>
      ports.attachNetwork(this),
    );
  }

  async createPort(
    purpose: string,
    fields: Record<string, unknown> = {},
    who: Who = 'primary',
  ): Promise<Port> {
    const port = await this.prerequisite('create a Neutron port', () =>
      ports.createPort(this, purpose, fields, who),
    );
    this.owned.set(port.id, { id: port.id, name: port.name, who });
    return port;
  }

  showPort(portId: string, who: Who = 'primary'): Promise<Port | undefined> {
    return ports.showPort(this, portId, who);
  }

  /**
   * Polls Neutron's view of a port (undefined once deleted) until `done` holds, and returns it:
   * Neutron's updates land a moment after Nova answers.
   */
  async waitForPort(
    portId: string,
    done: (port: Port | undefined) => boolean,
    what: string,
  ): Promise<Port | undefined> {
    const { value } = await waitFor(
      async () => {
        const port = await this.showPort(portId);
        return done(port)
          ? { done: true, value: port }
          : {
              done: false,
              state:
                port === undefined
                  ? 'port does not exist'
                  : `device_id '${port.device_id}', status ${port.status}`,
            };
      },
      { what, timeoutMs: this.config.waitTimeoutMs, intervalMs: this.config.pollIntervalMs },
    );
    return value;
  }

  /** The addresses the network's ports (those the project sees) hold now. */
  addressesInUse(networkId: string): Promise<Set<string>> {
    return ports.addressesInUse(this, networkId);
  }

  freeIp(subnet: Subnet): Promise<string> {
    return this.prerequisite('find a free address on the subnet', () => ports.freeIp(this, subnet));
  }

  // ---- servers (lib/harness/servers.ts) ------------------------------------------------------

  serverState(serverId: string, as: As = 'primary'): Promise<ServerState | undefined> {
    return servers.serverState(this, serverId, as);
  }

  waitForServer(serverId: string, done: (state: ServerState) => boolean, what: string): Promise<ServerState> {
    return servers.waitForServer(this, serverId, done, what);
  }

  serverAction(
    serverId: string,
    action: Record<string, unknown>,
    done: (state: ServerState) => boolean,
    as: As = 'primary',
  ): Promise<void> {
    return servers.serverAction(this, serverId, action, done, as);
  }

  bootServer(
    purpose: string,
    networks: 'none' | 'auto' | { uuid: string }[] = 'none',
  ): Promise<servers.Server> {
    return this.prerequisite('boot a server', () => servers.bootServer(this, purpose, networks));
  }

  // ---- interfaces (lib/harness/interfaces.ts) ------------------------------------------------

  /** The server's interface list as port ids, read to arrange or tidy (its shape is LIST's to judge). */
  attachedPortIds(serverId: string): Promise<string[]> {
    return this.prerequisite(LIST_STEP, () => attachedPortIds(this, serverId));
  }

  /** Polls the server's interface list (read for port ids) until the port is in it. */
  async waitUntilListed(serverId: string, portId: string): Promise<void> {
    await waitFor(
      async () =>
        (await this.attachedPortIds(serverId)).includes(portId)
          ? { done: true, value: true }
          : { done: false, state: 'not listed yet' },
      {
        what: `port ${portId} to appear in the interface list of server ${serverId}`,
        timeoutMs: this.config.waitTimeoutMs,
        intervalMs: this.config.pollIntervalMs,
      },
    );
  }

  /**
   * Waits for a detach to take effect; a timeout here is the check's own failure, a list that
   * cannot be read a prerequisite's.
   */
  waitUntilDetached(serverId: string, portId: string): Promise<Waited<true>> {
    return waitFor(
      async () => {
        const ids = await this.attachedPortIds(serverId);
        return ids.includes(portId)
          ? { done: false, state: `still listed among ${ids.length} interfaces` }
          : { done: true, value: true as const };
      },
      {
        what: `port ${portId} to leave the interface list of server ${serverId}`,
        timeoutMs: this.config.waitTimeoutMs,
        intervalMs: this.config.pollIntervalMs,
      },
    );
  }

  // ---- teardown ------------------------------------------------------------------------------

  /**
   * Removes every port this owner made: detached from the server that holds it (any 2xx will do:
   * judging the detach is the DETACH checks' work), then deleted. Never throws; says what it could
   * not remove, which the run's journal then removes at the end.
   */
  tidy(): Promise<string[]> {
    // One at a time: the check's server given back and the check's own end both ask for it.
    this.tidying ??= this.removeOwnedPorts().finally(() => {
      this.tidying = undefined;
    });
    return this.tidying;
  }

  private tidying: Promise<string[]> | undefined;

  private async removeOwnedPorts(): Promise<string[]> {
    const problems: string[] = [];
    await Promise.all(
      [...this.owned.values()].map(async (port) => {
        try {
          await this.removeOwnedPort(port);
          this.owned.delete(port.id);
        } catch (error) {
          problems.push(
            `port ${port.id}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          );
        }
      }),
    );
    return problems;
  }

  private async removeOwnedPort(port: OwnedPort): Promise<void> {
    // The same removal as the run's final drain (lib/harness/cleanup.ts), as the check's own step.
    const answer = await removePort(
      {
        compute: this.s.compute,
        network: this.s.network,
        token: async (who) => (await this.s.token(this.s.has(who) ? who : 'primary')).value,
        waitTimeoutMs: this.config.waitTimeoutMs,
        pollIntervalMs: this.config.pollIntervalMs,
      },
      port.id,
      port.who,
    );
    if (answer.status !== 204 && answer.status !== 404)
      setupFailure(`deleting port ${port.id}`, 'status 204', answer);
    this.s.registry.gone('port', port.name, port.id);
  }
}
