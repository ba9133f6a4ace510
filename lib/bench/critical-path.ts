// The critical path of a run: the longest chain of dependent requests and waits, from the records
// of the probe. Pure (no I/O, no clock), so that test/bench can check it on hand-made records.
//
// The dependency model (docs/bench.md):
// - A chain is what one owner does in order: the requests of one check (its fixtures, body and
//   teardown), the boot and upkeep of one server of the pool, the pool's other requests (image
//   and flavor look-ups), the runner's own requests (preflight before the suites, the drain after).
//   A boot the quota refused is a chain of its own: the lease that asked waits for room, as a
//   check waits for a slot.
// - Within a chain a request depends on every earlier request of that chain that had ended
//   when it started; two requests in flight together (sent in parallel) do not depend on each other.
// - A check depends on the boot of every pool server it names (its URLs name the server), and a
//   server's boot on the pool's look-ups before it.
// - The suites depend on the preflight; the drain depends on everything before it.
// - Concurrent checks are independent: nothing of one check waits for another's data. (Today's
//   runner still orders them, by slots and by test file: that shows as wall / critical path.)
//
// A step weighs its time in flight, plus the pause before it when that pause is a wait the run
// had to make: a poll (a GET repeating one of the chain's recent GETs, no write between), a
// server's first look at itself after its boot request, or a retry the cloud asked for (429,
// 503 with Retry-After). The client's own work between requests
// and the time spent queueing for a slot are not part of the path: it is what the run would take
// with an instant client and no limit on concurrency.

export interface OwnedExchange {
  /** The check that made it; undefined for the worker's shared facade (the server pool). */
  readonly check: { readonly id: string; readonly name: string; readonly file: string } | undefined;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly start: number;
  readonly end: number;
  /** 429/503 answers retried before this one (their pauses precede it). */
  readonly retries: number;
  /** The id of the server an accepted POST /servers created. */
  readonly createdServer: string | undefined;
  /** The id of the port an accepted POST /ports or attach created (or attached). */
  readonly createdPort?: string | undefined;
}

export interface RunnerRequest {
  readonly method: string;
  readonly url: string;
  readonly start: number;
  readonly end: number;
}

interface PathStep {
  /** "runner", "pool", "server <id>" or "check <name>". */
  readonly chain: string;
  readonly method: string;
  readonly url: string;
  readonly start: number;
  readonly end: number;
  /** The wait before this step counted on the path (0 when the pause before it was client work). */
  readonly waitMs: number;
}

export interface CriticalPath {
  /** Sum of the path's steps: time in flight plus counted waits. */
  readonly lengthMs: number;
  readonly inFlightMs: number;
  readonly waitMs: number;
  readonly steps: readonly PathStep[];
  /** Detaches (DELETE …/os-interface/<port>) on the path, each followed by a wait for it to take effect. */
  readonly detaches: number;
  /** The chains the path passes through, in order, with how long it spends in each. */
  readonly chains: readonly { readonly chain: string; readonly ms: number }[];
  /** Waits of every chain, on the path or not, and how many there were. */
  readonly allWaitMs: number;
  readonly allWaits: number;
  /** Requests of the worker that neither the harness nor a port named a check for (tokens). */
  readonly unattributed: number;
  /** How many chains there were, of each kind. */
  readonly checks: number;
  readonly servers: number;
}

interface Step {
  readonly chain: string;
  /** 'refused': a boot the quota refused (a chain of its own, after the pool's look-ups). */
  readonly kind: 'runner' | 'pool' | 'server' | 'refused' | 'check';
  readonly method: string;
  readonly url: string;
  readonly start: number;
  readonly end: number;
  readonly retries: number;
  /** Pool servers this step needs booted. */
  readonly needs: readonly string[];
  /** The server it belongs to, for steps of a server's chain. */
  readonly server: string | undefined;
}

const SERVER_IN_URL = /\/servers\/([^/?#]+)/;
/** Collection and listing paths, not server ids. */
const NOT_AN_ID = new Set(['detail']);
const DETACH = /\/servers\/[^/?#]+\/os-interface\/[^/?#]+$/;
/** How many of a chain's latest steps a poll may repeat (a wait whose probe reads several URLs). */
const POLL_WINDOW = 4;

/** The server a URL names (…/servers/<id>…), if any. */
export function serverOf(url: string): string | undefined {
  const id = SERVER_IN_URL.exec(url)?.[1];
  return id === undefined || NOT_AN_ID.has(id) ? undefined : decodeURIComponent(id);
}

function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
}

export function isDetach(method: string, url: string): boolean {
  return method === 'DELETE' && DETACH.test(pathOf(url));
}

function checkLabel(check: { readonly name: string; readonly file: string }): string {
  const file = check.file.replace(/^.*\//, '').replace(/\.test\.ts$/, '');
  return `check ${file}: ${check.name}`;
}

const PORT_IN_URL = /\/(?:ports|os-interface)\/([^/?#]+)/;

/** The port a URL names (…/ports/<id>, …/os-interface/<id>), if any. */
export function portOf(url: string): string | undefined {
  const id = PORT_IN_URL.exec(url)?.[1];
  return id === undefined ? undefined : decodeURIComponent(id);
}

/**
 * The worker's requests the harness published no owner for, given to the check that made the
 * port they name (a check's teardown detaches and deletes its ports through the shared clients);
 * the rest (token requests) are left out.
 */
export function attribute(
  exchanges: readonly OwnedExchange[],
  unowned: readonly RunnerRequest[],
): { attributed: OwnedExchange[]; left: number } {
  const makers = new Map<string, OwnedExchange['check']>();
  for (const e of exchanges)
    if (e.check !== undefined && e.createdPort !== undefined && !makers.has(e.createdPort))
      makers.set(e.createdPort, e.check);
  const attributed: OwnedExchange[] = [];
  let left = 0;
  for (const r of unowned) {
    const port = portOf(r.url);
    const check = port === undefined ? undefined : makers.get(port);
    if (check === undefined) left += 1;
    else attributed.push({ check, ...r, status: 0, retries: 0, createdServer: undefined });
  }
  return { attributed, left };
}

function stepsOf(exchanges: readonly OwnedExchange[], runner: readonly RunnerRequest[]): Step[] {
  const pool = new Set<string>();
  for (const e of exchanges)
    if (e.check === undefined && e.createdServer !== undefined) pool.add(e.createdServer);
  let refused = 0;
  const steps: Step[] = runner.map((r) => ({
    chain: 'runner',
    kind: 'runner',
    method: r.method,
    url: r.url,
    start: r.start,
    end: r.end,
    retries: 0,
    needs: [],
    server: undefined,
  }));
  for (const e of exchanges) {
    const named = e.createdServer ?? serverOf(e.url);
    if (e.check !== undefined) {
      steps.push({
        chain: `${checkLabel(e.check)} [${e.check.id}]`,
        kind: 'check',
        method: e.method,
        url: e.url,
        start: e.start,
        end: e.end,
        retries: e.retries,
        needs: named !== undefined && pool.has(named) ? [named] : [],
        server: undefined,
      });
    } else {
      const ofServer = named !== undefined && pool.has(named) ? named : undefined;
      // A boot the quota refused is a lease's attempt, not a step of the pool's look-ups: each
      // is a chain of its own, so that a lease waiting for room does not become a path.
      const refusedBoot = e.method === 'POST' && /\/servers$/.test(pathOf(e.url)) && e.status >= 400;
      refused += refusedBoot ? 1 : 0;
      steps.push({
        chain: refusedBoot
          ? `pool: refused boot ${refused}`
          : ofServer === undefined
            ? 'pool'
            : `server ${ofServer}`,
        kind: refusedBoot ? 'refused' : ofServer === undefined ? 'pool' : 'server',
        method: e.method,
        url: e.url,
        start: e.start,
        end: e.end,
        retries: e.retries,
        needs: [],
        server: ofServer,
      });
    }
  }
  // Ties by end, so that a zero-length step is placed after what ended at its start.
  return steps.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Whether `step` repeats a GET among the chain's latest steps before it, with no write between.
 * The pool's look-ups of images and flavors are never polls: each session of the run looks once,
 * and another's repeat of the same URL waited for nothing.
 */
function isPoll(step: Step, before: readonly Step[]): boolean {
  if (step.method !== 'GET') return false;
  if (step.kind === 'pool' && serverOf(step.url) === undefined && portOf(step.url) === undefined)
    return false;
  for (let i = before.length - 1, seen = 0; i >= 0 && seen < POLL_WINDOW; i -= 1, seen += 1) {
    const earlier = before[i] as Step;
    if (earlier.method !== 'GET') return false;
    if (earlier.url === step.url) return true;
  }
  return false;
}

/**
 * Whether `step` is a server's first look at itself after its boot request: the server builds
 * meanwhile. (The runner asks for the pool's first servers before the worker, which looks at them,
 * has started: that pause is the boot's, not client work.)
 */
function isFirstLook(step: Step, before: Step | undefined): boolean {
  return (
    step.kind === 'server' &&
    step.method === 'GET' &&
    before?.method === 'POST' &&
    /\/servers$/.test(pathOf(before.url))
  );
}

interface Solved {
  readonly step: Step;
  readonly chain: string;
  readonly best: number;
  readonly waitMs: number;
  readonly from: Solved | undefined;
}

/** The best-solved step among `candidates` that had ended by `time`. */
function bestEndedBy(candidates: readonly Solved[] | undefined, time: number): Solved | undefined {
  let found: Solved | undefined;
  for (const c of candidates ?? [])
    if (c.step.end <= time && (found === undefined || c.best > found.best)) found = c;
  return found;
}

function later(a: Solved | undefined, b: Solved | undefined): Solved | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.best > a.best ? b : a;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): V[] {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
  return list;
}

/**
 * The longest chain of dependent requests and waits (see the model at the top of this file).
 * `runner` holds the runner process's own requests (preflight, drain); `exchanges` the worker's,
 * as the harness attributed them; `unowned` the worker's requests it published no owner for.
 */
export function criticalPath(
  exchanges: readonly OwnedExchange[],
  runner: readonly RunnerRequest[] = [],
  unowned: readonly RunnerRequest[] = [],
): CriticalPath {
  const { attributed, left } = attribute(exchanges, unowned);
  const steps = stepsOf([...exchanges, ...attributed], runner);
  const byChain = new Map<string, Solved[]>();
  /** Each pool server's boot: the pool's requests on it before any check used it. */
  const boots = new Map<string, Solved[]>();
  /** The check requests that used each pool server. */
  const uses = new Map<string, Solved[]>();
  /** How many times each pool server came back to the pool, and whether a check used it since. */
  const returned = new Map<string, number>();
  const usedSince = new Set<string>();
  const all: Solved[] = [];
  let allWaitMs = 0;
  let allWaits = 0;
  let end: Solved | undefined;
  for (const step of steps) {
    // A server's boot is one chain; what the pool does with it after a check (take it back,
    // retire it) is another each time, depending on the checks that used it and not on the boot's
    // polls (the time a check held it is no wait of the pool's).
    let chainName = step.chain;
    const server = step.server;
    if (server !== undefined) {
      if (usedSince.delete(server)) returned.set(server, (returned.get(server) ?? 0) + 1);
      const times = returned.get(server) ?? 0;
      if (times > 0) chainName = `${step.chain} back in the pool (${times})`;
    }
    const chain = byChain.get(chainName) ?? [];
    // The chain's latest step ended before this one: its pause may be a wait.
    let previous: Solved | undefined;
    for (const c of chain)
      if (c.step.end <= step.start && (previous === undefined || c.step.end > previous.step.end))
        previous = c;
    const ended = chain.filter((c) => c.step.end <= step.start).map((c) => c.step);
    const pause = previous === undefined ? 0 : step.start - previous.step.end;
    const waitMs =
      pause > 0 && (step.retries > 0 || isPoll(step, ended) || isFirstLook(step, previous?.step)) ? pause : 0;
    let from = bestEndedBy(chain, step.start);
    if (step.kind === 'runner') from = later(from, bestEndedBy(all, step.start));
    else {
      from = later(from, bestEndedBy(byChain.get('runner'), step.start));
      for (const needed of step.needs) from = later(from, bestEndedBy(boots.get(needed), step.start));
      if ((step.kind === 'server' || step.kind === 'refused') && chainName === step.chain)
        from = later(from, bestEndedBy(byChain.get('pool'), step.start));
      if (server !== undefined && chainName !== step.chain)
        from = later(from, bestEndedBy(uses.get(server), step.start));
    }
    const solved: Solved = {
      step,
      chain: chainName,
      best: (from?.best ?? 0) + (step.end - step.start) + waitMs,
      waitMs,
      from,
    };
    push(byChain, chainName, solved);
    if (server !== undefined && chainName === step.chain) push(boots, server, solved);
    for (const needed of step.needs) {
      push(uses, needed, solved);
      usedSince.add(needed);
    }
    all.push(solved);
    if (waitMs > 0) {
      allWaitMs += waitMs;
      allWaits += 1;
    }
    end = later(end, solved);
  }
  const path: Solved[] = [];
  for (let at = end; at !== undefined; at = at.from) path.unshift(at);
  const chains: { chain: string; ms: number }[] = [];
  let inFlightMs = 0;
  let waitMs = 0;
  for (const s of path) {
    const ms = s.step.end - s.step.start + s.waitMs;
    inFlightMs += s.step.end - s.step.start;
    waitMs += s.waitMs;
    const last = chains[chains.length - 1];
    if (last !== undefined && last.chain === s.chain) last.ms += ms;
    else chains.push({ chain: s.chain, ms });
  }
  const kinds = new Set(steps.map((s) => `${s.kind}\u0000${s.chain}`));
  const count = (kind: string): number => [...kinds].filter((k) => k.startsWith(`${kind}\u0000`)).length;
  return {
    lengthMs: end?.best ?? 0,
    inFlightMs,
    waitMs,
    steps: path.map((s) => ({
      chain: s.chain,
      method: s.step.method,
      url: s.step.url,
      start: s.step.start,
      end: s.step.end,
      waitMs: s.waitMs,
    })),
    detaches: path.filter((s) => isDetach(s.step.method, s.step.url)).length,
    chains,
    allWaitMs,
    allWaits,
    unattributed: left,
    checks: count('check'),
    servers: count('server'),
  };
}
