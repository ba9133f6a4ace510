import type { Port } from '../openstack/network.ts';
import type { Exchange } from '../openstack/http.ts';
import { Fixtures } from './fixtures.ts';
import { attachPortById, LIST_STEP } from './interfaces.ts';
import type { ServerPool } from './pool.ts';
import type { Server } from './servers.ts';
import type { Session } from './session.ts';
import { WaitTimeoutError } from './wait.ts';

/**
 * One plain attach and detach of a port the run created, observed once for every check that only
 * judges its answers and its effect (headers of an attach, a show and a detach; a detach's 202,
 * its request id, the port leaving the list and Neutron unbinding it). A small cloud spends about
 * a second of CPU on an attach: five checks watching one cycle save it four attaches, detaches
 * and ports.
 */
export interface ObservedDetach {
  readonly serverId: string;
  readonly port: Port;
  /** The attach by port_id, answered 200 naming the port. */
  readonly attach: Exchange;
  /** A show of the attached port, once it was listed, before the detach. */
  readonly show: Exchange;
  /** The detach's answer, whatever it was: judging it is the readers' work. */
  readonly detach: Exchange;
  /**
   * When the detach was accepted (2xx): the port leaves the interface list, then Neutron shows it
   * unbound (the port, or undefined if Neutron deleted it). Rejects with a WaitTimeoutError when
   * either never happens, or with the error of a read that failed.
   */
  readonly effect: Promise<Port | undefined>;
}

/** The steps the readers name when a stage fails, as the per-check steps are named where they are the same. */
export const CYCLE_STEPS = {
  attach: 'attach a new port by port_id (200 naming the port, then listed)',
  accepted: 'a detach of an attached port is accepted (2xx)',
  list: LIST_STEP,
  neutron: 'read a Neutron port (200, or 404 once deleted)',
} as const;

/** A read that failed while the cycle waited for the detach's effect: its step blocks the reader. */
class StageError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StageError';
  }
}

/** A wait whose reads are `step`: its timeout stays a WaitTimeoutError, any other failure becomes the step's. */
async function during<T>(step: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    throw error instanceof WaitTimeoutError ? error : new StageError(step, error);
  }
}

function quiet<T>(promise: Promise<T>): Promise<T> {
  // Each stage is awaited by whichever check needs it; until then it must not be an unhandled rejection.
  promise.catch(() => undefined);
  return promise;
}

/** The stages of one cycle on one server, each kept with its outcome. */
export interface CycleStages {
  readonly port: Promise<Port>;
  readonly attached: Promise<Pick<ObservedDetach, 'serverId' | 'port' | 'attach' | 'show'>>;
  readonly detached: Promise<ObservedDetach>;
}

/** Runs the cycle on `server` (awaited first) through `api`, which owns the port and removes it in its tidy. */
export function runCycle(api: Fixtures, server: Promise<Server>, purpose: string): CycleStages {
  const port = quiet(api.createPort(purpose));
  const attached = quiet(
    (async () => {
      // Both settled first: when a stage fails, nothing of the arrangement is still in flight.
      const [booted, created] = await Promise.allSettled([server, port]);
      if (booted.status === 'rejected') throw booted.reason;
      if (created.status === 'rejected') throw created.reason;
      const serverId = booted.value.id;
      const p = created.value;
      const attach = await attachPortById(api, serverId, p.id);
      await api.waitUntilListed(serverId, p.id);
      return { serverId, port: p, attach, show: await api.show(serverId, p.id) };
    })(),
  );
  const detached = quiet(
    (async () => {
      const before = await attached;
      const detach = await api.detach(before.serverId, before.port.id);
      const effect = quiet(
        detach.status >= 200 && detach.status < 300
          ? (async () => {
              await during(CYCLE_STEPS.list, () => api.waitUntilDetached(before.serverId, before.port.id));
              return during(CYCLE_STEPS.neutron, () =>
                api.waitForPort(
                  before.port.id,
                  (shown) => shown === undefined || shown.device_id === '',
                  `Neutron to clear the device_id of ${before.port.id}`,
                ),
              );
            })()
          : Promise.reject(new Error(`the detach answered ${detach.status}, so nothing was detached`)),
      );
      return { ...before, detach, effect };
    })(),
  );
  return { port, attached, detached };
}

/**
 * The cycle shared by a run's checks: on a server of the pool, started on first use, however
 * many checks ask at once. Once its effect has settled, the port is removed in the background
 * (the pool's settle() waits for it). The server is kept for the run, as the shared attachment's
 * is: a reader may still read its instance actions later, and a server lent again may be deleted
 * by the check it goes to, or by the pool if it would not come back clean.
 */
export class SharedDetachCycle {
  private readonly api: Fixtures;
  private stages: (CycleStages & { server: Promise<Server> }) | undefined;

  constructor(
    session: Session,
    private readonly pool: ServerPool,
  ) {
    this.api = new Fixtures(session);
  }

  start(): CycleStages & { server: Promise<Server> } {
    if (this.stages !== undefined) return this.stages;
    const server = quiet(this.pool.lease());
    const stages = runCycle(this.api, server, 'cycle-port');
    this.stages = { ...stages, server };
    this.pool.track(
      (async () => {
        // Once the detach has taken effect (or never will): the readers of the effect are done with it.
        await stages.detached.then((observed) => observed.effect).catch(() => undefined);
        await this.api.tidy();
      })(),
    );
    return this.stages;
  }
}

/**
 * The effect of an accepted detach as a reader judges it: a wait that timed out is the reader's
 * own failure, a read that failed on the way a prerequisite's (as for a check's own wait).
 */
export async function judgedEffect(fx: Fixtures, cycle: ObservedDetach): Promise<Port | undefined> {
  try {
    return await cycle.effect;
  } catch (error) {
    if (!(error instanceof StageError)) throw error;
    const { step, cause } = error;
    return fx.prerequisite(step, () => Promise.reject(cause instanceof Error ? cause : error));
  }
}
