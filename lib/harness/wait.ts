export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export interface WaitOptions {
  /** What is awaited, in words: "port 1234 to leave the interface list of server 5678". */
  readonly what: string;
  readonly timeoutMs: number;
  /** The longest pause between two probes; polling starts faster and backs off to this. */
  readonly intervalMs: number;
}

export interface Waited<T> {
  readonly value: T;
  readonly polls: number;
  readonly elapsedMs: number;
}

/**
 * Polls until `probe` returns `{ done: true }`. Never a fixed sleep: the first re-check comes
 * after 100 ms and the pause doubles up to the configured interval, as asynchronous Nova
 * operations usually finish in well under a second on a healthy cloud. Not sooner: a poll is a
 * request the cloud pays for (a Nova list costs the devcloud about 40 ms of CPU), and a detach
 * rarely takes effect within 100 ms.
 */
export async function waitFor<T>(
  probe: () => Promise<{ done: true; value: T } | { done: false; state: string }>,
  options: WaitOptions,
): Promise<Waited<T>> {
  const started = Date.now();
  let pause = Math.min(100, options.intervalMs);
  let polls = 0;
  let last = 'not checked yet';
  for (;;) {
    polls += 1;
    const result = await probe();
    if (result.done) return { value: result.value, polls, elapsedMs: Date.now() - started };
    last = result.state;
    const left = options.timeoutMs - (Date.now() - started);
    if (left <= 0) {
      throw new WaitTimeoutError(
        `gave up waiting for ${options.what} after ${(options.timeoutMs / 1000).toFixed(1)} s and ${polls} checks (CONFORMANCE_WAIT_TIMEOUT); last seen: ${last}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, options.intervalMs);
  }
}
