// How long the mock's asynchronous work takes, for each kind of caller.
import type { MockDelays } from './types.ts';

/** Everything settles inside the request: unit tests see the final state without waiting. */
export const ZERO_DELAYS: MockDelays = { build: 0, detach: 0, portActive: 0, taskState: 0 };

/** What a person at `npm run mock` sees: about a real single-node cloud's pace. */
export const REALISTIC_DELAYS: MockDelays = { build: 2000, detach: 300, portActive: 500, taskState: 1000 };

/**
 * Delays for running the suites against the mock (the conformance run, mutants, fidelity): the
 * smallest that still show every intermediate state to a client that polls. A poll comes right
 * after the call that started the work, then every CONFORMANCE_POLL_INTERVAL (10 ms, its minimum,
 * on the mock): a build, a detach and a port going ACTIVE each outlast that first poll by several
 * request times, so each is seen in progress (stats().observed counts it) and is done by the next
 * poll. A task state (reboot, stop, pause...) must outlast the five requests STATE-04 sends before
 * it reads the state again, also under the load of four mutant lanes on two cores.
 */
export const RUN_DELAYS: MockDelays = { build: 20, detach: 10, portActive: 10, taskState: 150 };
