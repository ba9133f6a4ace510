import type { Exchange } from '../openstack/http.ts';
import { shortUrl } from './expect.ts';

/** The target did not let the harness arrange a check: a prerequisite, not a deviation of the check. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** Throws a SetupError saying what was expected of the answer and what came. */
export function setupFailure(what: string, expected: string, exchange: Exchange): never {
  const body = exchange.text.length > 300 ? `${exchange.text.slice(0, 300)}...` : exchange.text;
  throw new SetupError(
    `${what}: expected ${expected}.\n${exchange.method} ${shortUrl(exchange.url)} answered ${exchange.status}${body === '' ? ' with an empty body' : `: ${body}`}`,
  );
}
