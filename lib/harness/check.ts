import { test as base, inject } from 'vitest';
import type { Port } from '../openstack/network.ts';
import { Api } from './api.ts';
import { ConfiguredServer, lendConfigured, type LeasedServer } from './configured-server.ts';
import {
  runCycle,
  SharedDetachCycle,
  CYCLE_STEPS,
  type CycleStages,
  type ObservedDetach,
} from './detach-cycle.ts';
import { evidenceMeta } from './exchange-log.ts';
import { Fixtures } from './fixtures.ts';
import { requireDisruptive, requireIdentity } from './outcomes.ts';
import { poolSize, ServerPool } from './pool.ts';
import { BLOCKED_BY } from './prerequisite.ts';
import { RUN_CONTEXT_KEY } from './run-context.ts';
import { session, type Session } from './session.ts';
import { SHARED_STEPS, SharedAttachment, type AttachedServer } from './shared-attachment.ts';
import { Slots } from './slots.ts';

export type { LeasedServer } from './configured-server.ts';
export type { AttachedServer } from './shared-attachment.ts';

interface WorkerFixtures {
  /** The run: configuration, clients, tokens, journal. */
  session: Session;
  /** The run's servers, lent to one check at a time. */
  pool: ServerPool;
  /** CONFORMANCE_CONCURRENCY: how many checks hold fixtures at once. */
  slots: Slots;
  /** CONFORMANCE_SERVER_ID, when set. */
  configured: ConfiguredServer | undefined;
  /** The run's one server with one port attached without tag, shared by the checks that only read it. */
  sharedAttachment: SharedAttachment;
  /** The run's one observed attach and detach, shared by the checks that only judge it. */
  sharedDetachCycle: SharedDetachCycle;
}

/** One attach and detach of a port the run made, as a check that only judges it receives it. */
export interface DetachCycle {
  /** Through the attach and a show of the listed port; the boot, the port and the attach are prerequisites. */
  attached(): Promise<Pick<ObservedDetach, 'serverId' | 'port' | 'attach' | 'show'>>;
  /** Through the detach's answer, whatever it was. */
  detached(): Promise<ObservedDetach>;
}

export interface CheckFixtures {
  /** The check's HTTP facade and owner of what it creates (removed when it ends). */
  fx: Fixtures;
  /** A server of the run for this check alone (or the configured one, shared in turn and only read). */
  server: LeasedServer;
  /**
   * For checks that only read an interface attached without tag: the run's shared server and port
   * (never changed by a reader), or, on a configured server or in the read-only profile, the
   * `server` fixture's server with `port` undefined (the check arranges its interface as before).
   */
  attachedServer: AttachedServer;
  /**
   * For checks that only judge a plain attach and detach (their answers, the detach's effect):
   * the run's shared cycle on a server of the pool, or, on a configured server, one of the
   * check's own on it.
   */
  detachCycle: DetachCycle;
  /** A second server of the run, for checks about two servers. */
  secondServer: LeasedServer;
  /** A server booted for this check and deleted after it: the only kind a check may change the state of. */
  ownServer: LeasedServer;
  /** A Neutron port of the run, attached to nothing. */
  port: Port;
  /** A Neutron port of the run in the second project (CONFORMANCE_ALT_*), attached to nothing. */
  altPort: Port;
}

const BOOT = 'boot a server for the run (POST /servers, then ACTIVE)';

/**
 * A check's view of a cycle's stages: each stage it needs is a prerequisite of its own, and the
 * answers it judges join its evidence (once each).
 */
function cycleFor(
  fx: Fixtures,
  start: () => CycleStages & { server?: Promise<unknown> },
  shared: boolean,
): DetachCycle {
  // A check's own cycle (on a configured server) made its exchanges through `fx` already.
  let adopted: 'none' | 'attached' | 'detached' = shared ? 'none' : 'detached';
  const attached = async () => {
    const stages = start();
    if (stages.server !== undefined) {
      const server = stages.server;
      await fx.prerequisite(BOOT, () => server);
    }
    await fx.prerequisite(SHARED_STEPS.createPort, () => stages.port);
    const got = await fx.prerequisite(CYCLE_STEPS.attach, () => stages.attached);
    if (adopted === 'none') {
      fx.adopt(got.attach, got.show);
      adopted = 'attached';
    }
    return got;
  };
  return {
    attached,
    detached: async () => {
      await attached();
      const got = await start().detached;
      if (adopted === 'attached') {
        fx.adopt(got.detach);
        adopted = 'detached';
      }
      return got;
    },
  };
}

function behaviourOf(name: string): string {
  return /^([A-Z]+-\d+)/.exec(name)?.[1]?.toLowerCase() ?? 'check';
}

/**
 * The suites' `test`: each check receives the fixtures it names and owns them. None restores a
 * shared server for the next check; each one's teardown removes what it made.
 */
export const test = base.extend<CheckFixtures & WorkerFixtures>({
  session: [
    // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
    async ({}, use) => {
      await use(await session());
    },
    { scope: 'worker' },
  ],
  pool: [
    async ({ session }, use) => {
      // All booted at the first lease, none waited for later (the runner may have asked for
      // the first ones already).
      const pool = new ServerPool(new Api(session), poolSize(session.config), inject(RUN_CONTEXT_KEY).early);
      await use(pool);
      await pool.settle();
    },
    { scope: 'worker' },
  ],
  slots: [
    async ({ session }, use) => {
      await use(new Slots(session.config.concurrency));
    },
    { scope: 'worker' },
  ],
  configured: [
    async ({ session }, use) => {
      const id = session.config.serverId;
      await use(id === undefined ? undefined : new ConfiguredServer(id));
    },
    { scope: 'worker' },
  ],
  sharedAttachment: [
    async ({ session, pool }, use) => {
      // Nothing to tidy when the run ends: its server and port are the journal's, and the run's
      // drain deletes every server at once, then the ports (unbound with their servers, so no
      // detach, which a real guest may take many seconds to carry out).
      await use(new SharedAttachment(session, pool));
    },
    { scope: 'worker' },
  ],

  sharedDetachCycle: [
    async ({ session, pool }, use) => {
      // Its port is deleted once the detach has taken effect (the pool's settle() waits for it);
      // its server stays the run's, for the drain.
      await use(new SharedDetachCycle(session, pool));
    },
    { scope: 'worker' },
  ],

  fx: async ({ session, slots, pool, task, annotate, skip }, use) => {
    let release = await slots.acquire();
    const fx = new Fixtures(session, { task, annotate, skip }, async () => {
      release();
      release = await slots.acquireAll();
      // Nor may a server another check gave back still be deleting: Nova deletes the ports it
      // created for that server with it.
      await pool.settle();
    });
    try {
      await use(fx);
    } finally {
      // Ports the check made are removed after it, in the background (a detach may take a slow
      // guest seconds): the slot is the next check's meanwhile. The same tidy as the one a
      // server given back waits for, if any (Fixtures.tidy).
      pool.track(fx.tidy());
      release();
      const errors = (task.result?.errors ?? []) as { evidence?: { exchange?: { seq?: number } } }[];
      const blocked = task.annotations.some((a) => a.type === BLOCKED_BY);
      Object.assign(
        task.meta,
        evidenceMeta(
          fx.exchanges,
          fx.count,
          errors[0]?.evidence?.exchange?.seq,
          errors.length > 0 || blocked,
        ),
      );
    }
  },

  server: async ({ fx, pool, configured }, use) => {
    if (configured !== undefined) {
      await lendConfigured(fx, configured, use);
      return;
    }
    if (fx.config.readOnly)
      await fx.skipBecause('profile read-only without CONFORMANCE_SERVER_ID: there is no server to read');
    const server = await fx.prerequisite(BOOT, () => pool.lease());
    await use({ ...server, baseline: new Set<string>() });
    // Tidied while the next checks run (lib/harness/pool.ts).
    pool.giveBack(server, () => fx.tidy(), fx.mayHaveChanged(server.id));
  },

  attachedServer: async ({ fx, configured, sharedAttachment }, use) => {
    if (configured !== undefined) {
      await lendConfigured(fx, configured, (server) => use({ ...server, port: undefined }));
      return;
    }
    if (fx.config.readOnly)
      await fx.skipBecause('profile read-only without CONFORMANCE_SERVER_ID: there is no server to read');
    // Stage by stage, so that a failed boot or port blocks as the same step does for other checks;
    // once all have settled, so that a blocked check leaves nothing of the arrangement in flight.
    await sharedAttachment.settled();
    await fx.prerequisite(BOOT, () => sharedAttachment.server());
    await fx.prerequisite(SHARED_STEPS.createPort, () => sharedAttachment.port());
    await use(await fx.prerequisite(SHARED_STEPS.attach, () => sharedAttachment.attached()));
  },

  detachCycle: async ({ fx, configured, sharedDetachCycle, task }, use) => {
    if (configured !== undefined) {
      await lendConfigured(fx, configured, (server) => {
        let stages: CycleStages | undefined;
        const purpose = `${behaviourOf(task.name)}-port`;
        return use(cycleFor(fx, () => (stages ??= runCycle(fx, Promise.resolve(server), purpose)), false));
      });
      return;
    }
    if (fx.config.readOnly)
      await fx.skipBecause(
        'profile read-only (CONFORMANCE_PROFILE=read-only): this check changes the cloud; run it with CONFORMANCE_PROFILE=standard',
      );
    await use(cycleFor(fx, () => sharedDetachCycle.start(), true));
  },

  secondServer: async ({ fx, pool }, use) => {
    if (fx.config.serverId !== undefined)
      await fx.skipBecause(
        'needs a second server of the run: with CONFORMANCE_SERVER_ID set the run boots none (unset it to let the run boot its own)',
      );
    if (fx.config.readOnly) await fx.skipBecause('profile read-only: the run boots no server');
    const server = await fx.prerequisite(BOOT, () => pool.lease());
    await use({ ...server, baseline: new Set<string>() });
    // Tidied while the next checks run (lib/harness/pool.ts).
    pool.giveBack(server, () => fx.tidy(), fx.mayHaveChanged(server.id));
  },

  ownServer: async ({ fx, pool }, use) => {
    await requireDisruptive(fx, "changes a server's state (on a server it boots for the check alone)");
    if (fx.config.serverId !== undefined)
      await fx.skipBecause(
        'changes the state of a server the run booted itself, and with CONFORMANCE_SERVER_ID set the run boots none (unset it)',
      );
    const server = await fx.prerequisite(BOOT, () => pool.lease());
    try {
      await use({ ...server, baseline: new Set<string>() });
    } finally {
      // Deleted, never lent again: whatever state the check left it in stays with it. In the
      // background, as a tidy is (the pool's settle() waits for it).
      void pool.discard(server, fx);
    }
  },

  port: async ({ fx, task }, use) => {
    await use(await fx.createPort(`${behaviourOf(task.name)}-port`));
  },

  altPort: async ({ fx, task }, use) => {
    await requireIdentity(fx, 'alt');
    const altProject = await fx.projectId('alt');
    const candidates = (await fx.networks('alt')).filter(
      (n) => n['router:external'] !== true && n.subnets.length > 0,
    );
    // Its own network first: a shared one may make the port visible to the primary project too.
    const network = candidates.find((n) => n.project_id === altProject) ?? candidates.find((n) => n.shared);
    if (network === undefined)
      await fx.skipBecause('the second project sees no network with a subnet to create its port on');
    await use(await fx.createPort(`${behaviourOf(task.name)}-alt-port`, { network_id: network?.id }, 'alt'));
  },
});

export { describe } from './scenario.ts';
