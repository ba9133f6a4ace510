import type { Config } from '../config/types.ts';
import type { Api } from './api.ts';
import { attachedPortIds } from './interfaces.ts';
import { bootServer, deleteServer, untilActive, type Server } from './servers.ts';
import type { EarlyServers } from './run-context.ts';
import { QuotaRefusal } from './setup-error.ts';

/** The longest pause between two boots the quota refused (they back off from the poll interval). */
const MAX_QUOTA_PAUSE_MS = 5_000;

/**
 * How many servers the pool boots at its first lease: one for each check at once, one for the
 * reading checks' shared attachment and one for a check that needs a second.
 */
export function poolSize(config: Pick<Config, 'concurrency'>): number {
  return config.concurrency + 2;
}

/** The purpose in the name of the pool's `n`th server (the runner's early boots name theirs so too). */
export function poolServerPurpose(n: number): string {
  return `server-${n}`;
}

/**
 * The run's servers, booted without ports and lent to one check at a time. Booting is the dearest
 * step of a run, so the first lease boots all it was sized for (see the pool fixture), in parallel.
 * A server comes back only as it was lent (no interface left); anything else retires it.
 *
 * When the project's instance quota refuses a boot, the lease waits for a server of the run to
 * come back (or to be deleted, then boots again), or for room in the quota, instead of failing:
 * a quota smaller than the run would like costs time, not results.
 */
export class ServerPool {
  private readonly idle: Server[] = [];
  private readonly pending: Promise<Server>[] = [];
  /** What the pool does after checks: their tidying, taking servers back, deleting servers. */
  private readonly background = new Set<Promise<void>>();
  /** Leases waiting for a server: one on its way back, or room after the quota refused one. */
  private readonly waiting: ((server: Server | undefined) => void)[] = [];
  /** Servers given back whose check is still tidying them. */
  private returning = 0;
  private warmed = false;

  private booted: number;

  /**
   * `api` boots and deletes; its exchanges are the pool's, not any check's. `early` are servers
   * the runner asked for before the worker started (lib/harness/early-boots.ts), the first
   * `asked` names of the pool's: they count towards `size`, and their wait is the pool's.
   */
  constructor(
    private readonly api: Api,
    private readonly size: number,
    private readonly early: EarlyServers = { asked: 0, servers: [] },
  ) {
    this.booted = early.asked;
  }

  private boot(): Promise<Server> {
    this.booted += 1;
    return bootServer(this.api, poolServerPurpose(this.booted));
  }

  /** A server for one check: an idle one, one already booting, or a new one. */
  lease(): Promise<Server> {
    const free = this.idle.pop();
    if (free !== undefined) return Promise.resolve(free);
    if (!this.warmed) {
      this.warmed = true;
      const more = Math.max(0, this.size - this.early.servers.length);
      const starting = [
        ...this.early.servers.map((server) => untilActive(this.api, server)),
        ...Array.from({ length: more }, () => this.boot()),
      ];
      // Whoever takes one sees its failure; until then it must not be an unhandled rejection.
      for (const booting of starting) booting.catch(() => undefined);
      this.pending.push(...starting);
    }
    const booting = this.pending.shift();
    if (booting !== undefined) return this.orWait(booting);
    // A server on its way back (its check's detaches taking effect) is nearer than a new boot.
    if (this.returning > this.waiting.length) return this.orWait(this.nextBack());
    return this.orWait(this.boot());
  }

  /** The next server given back to the pool, or, when one was deleted instead, a new boot. */
  private async nextBack(): Promise<Server> {
    const back = await new Promise<Server | undefined>((resolve) => this.waiting.push(resolve));
    return back ?? this.boot();
  }

  /**
   * Takes a server back once its check's `tidy` (detaching and deleting the check's ports, which
   * a slow guest may take seconds to allow) is done, in the background: the check's slot is free
   * meanwhile, and a lease waits for this server rather than booting another.
   */
  giveBack(server: Server, tidy: () => Promise<unknown>, changed = true): void {
    this.returning += 1;
    this.track(
      (async () => {
        try {
          await tidy();
        } catch {
          // What is left on the server makes release() retire it.
        }
        await this.release(server, true, changed);
      })(),
    );
  }

  /** Keeps `work` until it ends, for settle(); it must not reject. */
  track(work: Promise<unknown>): void {
    const kept = work.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(kept);
    void kept.then(() => this.background.delete(kept));
  }

  /**
   * A boot the quota refused becomes a wait: for a server of the run to come back (or be deleted),
   * or, every so often, for room in the quota (another run's or someone's servers may go), then a
   * boot again; bounded by the wait timeout, since the checks holding the run's servers may all be
   * waiting for a second one.
   */
  private async orWait(booting: Promise<Server>, deadline?: number, pauseMs?: number): Promise<Server> {
    try {
      return await booting;
    } catch (error) {
      if (!(error instanceof QuotaRefusal)) throw error;
      const free = this.idle.pop();
      if (free !== undefined) return free;
      const { waitTimeoutMs, pollIntervalMs } = this.api.config;
      const end = deadline ?? Date.now() + waitTimeoutMs;
      const left = end - Date.now();
      if (left <= 0)
        throw new QuotaRefusal(
          `${error.message}\n(the quota had no room for a server of the run, and none came back, within ${waitTimeoutMs / 1000} s)`,
        );
      const pause = Math.min(left, pauseMs ?? pollIntervalMs);
      let timer: NodeJS.Timeout | undefined;
      let enter: ((server: Server | undefined) => void) | undefined;
      const handed = new Promise<Server | undefined>((resolve) => {
        enter = resolve;
        this.waiting.push(resolve);
      });
      const back = await Promise.race([
        handed,
        new Promise<'retry'>((resolve) => {
          timer = setTimeout(() => resolve('retry'), pause);
        }),
      ]);
      clearTimeout(timer);
      if (back === 'retry') {
        const place = this.waiting.indexOf(enter as (server: Server | undefined) => void);
        // Still waiting: try the quota again. Otherwise a server (or room) was handed over just
        // as the pause ended: take it, or it would be lost to the run.
        if (place >= 0) {
          this.waiting.splice(place, 1);
          return this.orWait(this.boot(), end, Math.min(2 * pause, MAX_QUOTA_PAUSE_MS));
        }
      }
      const given = back === 'retry' ? await handed : back;
      // Undefined: a server of the run was deleted, so the quota has room for one again.
      return given ?? this.orWait(this.boot(), end);
    }
  }

  /**
   * Takes a server back after its check has tidied; one with interfaces left is deleted instead.
   * `given` when it was given back (giveBack): from here on it is no longer on its way. A check
   * that cannot have changed its interfaces (`changed` false: Fixtures.mayHaveChanged) is not
   * looked at again: on a busy cloud each look is a Nova list and a Neutron query.
   */
  async release(server: Server, given = false, changed = true): Promise<void> {
    let clean = !changed;
    if (changed)
      try {
        clean = (await attachedPortIds(this.api, server.id)).length === 0;
      } catch {
        clean = false;
      }
    if (given) this.returning -= 1;
    if (!clean) return this.retire(server);
    const next = this.waiting.shift();
    if (next !== undefined) next(server);
    else this.idle.push(server);
  }

  /**
   * Deletes a lent server in the background, through `api` (a check's, so that the requests are
   * the check's), never to lend it again: the check changed it for good. If it will not go, the
   * pool tries once more (the journal backs this up). Resolves when it is gone or given up.
   */
  discard(server: Server, api: Api = this.api): Promise<void> {
    const deleting = deleteServer(api, server).then(
      () => this.gone(),
      () => this.retire(server),
    );
    this.track(deleting);
    return deleting;
  }

  /** A server of the run was deleted: its place in the quota goes to a waiting lease. */
  private gone(): void {
    this.waiting.shift()?.(undefined);
  }

  /** Deletes a server in the background; its place in the quota then goes to a waiting lease. */
  private retire(server: Server): void {
    // Gone or not, a lease waiting for this server must not wait for ever: it boots (the quota
    // then says whether there is room).
    this.track(deleteServer(this.api, server).finally(() => this.gone()));
  }

  /**
   * Waits for what the pool does in the background (tidying, taking back, deleting), also what
   * that starts meanwhile, so that the run's own cleanup, or a check that runs alone, does not
   * race it.
   */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }
}
