import type { Api } from './api.ts';
import { attachedPortIds } from './interfaces.ts';
import { bootServer, deleteServer, type Server } from './servers.ts';

/**
 * The run's servers, booted without ports and lent to one check at a time. Booting is the dearest
 * step of a run, so the first lease boots as many servers as checks may run at once, in parallel.
 * A server comes back only as it was lent (no interface left); anything else retires it.
 */
export class ServerPool {
  private readonly idle: Server[] = [];
  private readonly pending: Promise<Server>[] = [];
  private readonly retiring: Promise<void>[] = [];
  private warmed = false;
  private booted = 0;

  /** `api` boots and deletes; its exchanges are the pool's, not any check's. */
  constructor(
    private readonly api: Api,
    private readonly size: number,
  ) {}

  private boot(): Promise<Server> {
    this.booted += 1;
    return bootServer(this.api, `server-${this.booted}`);
  }

  /** A server for one check: an idle one, one already booting, or a new one. */
  lease(): Promise<Server> {
    const free = this.idle.pop();
    if (free !== undefined) return Promise.resolve(free);
    if (!this.warmed) {
      this.warmed = true;
      for (let i = 1; i < this.size; i += 1) {
        const booting = this.boot();
        // Whoever takes it sees the failure; until then it must not be an unhandled rejection.
        booting.catch(() => undefined);
        this.pending.push(booting);
      }
      return this.boot();
    }
    return this.pending.shift() ?? this.boot();
  }

  /** Takes a server back after its check has tidied; one with interfaces left is deleted instead. */
  async release(server: Server): Promise<void> {
    let clean = false;
    try {
      clean = (await attachedPortIds(this.api, server.id)).length === 0;
    } catch {
      clean = false;
    }
    if (clean) this.idle.push(server);
    else this.retire(server);
  }

  /** Deletes a server in the background (a check changed it for good); the journal backs this up. */
  retire(server: Server): void {
    this.retiring.push(deleteServer(this.api, server).catch(() => undefined));
  }

  /** Waits for retirements in flight, so that the run's own cleanup does not race them. */
  async settle(): Promise<void> {
    await Promise.all(this.retiring);
  }
}
