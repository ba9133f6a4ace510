import type { Fixtures } from './fixtures.ts';
import { attachedPortIds } from './interfaces.ts';
import type { Server } from './servers.ts';
import { SetupError } from './setup-error.ts';
import { Slots } from './slots.ts';

/** A server as a check receives it, with the interfaces it had when the check got it. */
export interface LeasedServer extends Server {
  readonly baseline: ReadonlySet<string>;
}

/**
 * CONFORMANCE_SERVER_ID: a server the run did not create. It is only read, and given (then
 * relieved of) ports the run made; its state, lock, name, metadata and own ports are never
 * touched. One check at a time uses it, so that each sees only its own ports come and go.
 */
export class ConfiguredServer {
  private readonly turn = new Slots(1);

  constructor(readonly id: string) {}

  async lease(fx: Fixtures): Promise<{ server: LeasedServer; locked: boolean; release: () => void }> {
    const release = await this.turn.acquire();
    try {
      const state = await fx.serverState(this.id);
      if (state === undefined) throw new SetupError(`CONFORMANCE_SERVER_ID ${this.id}: no such server`);
      if (state.status !== 'ACTIVE')
        throw new SetupError(`CONFORMANCE_SERVER_ID ${this.id} is ${state.status}, not ACTIVE`);
      const baseline = new Set(await attachedPortIds(fx, this.id));
      return {
        server: { id: this.id, name: this.id, ownedByRun: false, baseline },
        locked: state.locked === true,
        release,
      };
    } catch (error) {
      release();
      throw error;
    }
  }
}

/**
 * The configured server, lent to one check at a time as the `server` fixture lends it, for a
 * check that then arranges its own interface. Ports the check made are removed before the next
 * check gets the server.
 */
export async function lendConfigured(
  fx: Fixtures,
  configured: ConfiguredServer,
  use: (server: LeasedServer) => Promise<void>,
): Promise<void> {
  const lease = await fx.prerequisite('read the configured server (CONFORMANCE_SERVER_ID, ACTIVE)', () =>
    configured.lease(fx),
  );
  if (lease.locked) fx.lockedServer = lease.server.id;
  try {
    await use(lease.server);
    await fx.tidy();
  } finally {
    lease.release();
  }
}
