import type { Exchange } from '../openstack/http.ts';
import { shortUrl } from './expect.ts';

/** The target did not let the harness arrange a check: a prerequisite, not a deviation of the check. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** The project's quota refused a server (Nova's 403 "Quota exceeded for instances: ..."). */
export class QuotaRefusal extends SetupError {
  constructor(message: string) {
    super(message);
    this.name = 'QuotaRefusal';
  }
}

function describe(what: string, expected: string, exchange: Exchange): string {
  const body = exchange.text.length > 300 ? `${exchange.text.slice(0, 300)}...` : exchange.text;
  return `${what}: expected ${expected}.\n${exchange.method} ${shortUrl(exchange.url)} answered ${exchange.status}${body === '' ? ' with an empty body' : `: ${body}`}`;
}

/** Throws a SetupError saying what was expected of the answer and what came. */
export function setupFailure(what: string, expected: string, exchange: Exchange): never {
  throw new SetupError(describe(what, expected, exchange));
}

/** Throws a QuotaRefusal for a server the quota refused. */
export function quotaRefusal(what: string, exchange: Exchange): never {
  throw new QuotaRefusal(
    describe(what, 'status 202 (the project has no instance left in its quota)', exchange),
  );
}
