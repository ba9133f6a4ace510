import type { Config } from '../config/types.ts';
import type { HttpClient } from '../openstack/http.ts';
import { authenticate, expiresSoon, type Token } from '../openstack/keystone.ts';
import { credentialsOf, type Who } from './preflight.ts';

/**
 * Tokens per identity, starting from those the preflight obtained: one token per identity and
 * run, renewed only when it nears expiry.
 */
export function tokenCache(
  config: Config,
  http: HttpClient,
  initial: Partial<Record<Who, Token>>,
): (who?: Who) => Promise<Token> {
  const tokens = new Map<Who, Token>(Object.entries(initial) as [Who, Token][]);
  return async (who = 'primary') => {
    const cached = tokens.get(who);
    if (cached !== undefined && !expiresSoon(cached)) return cached;
    const credentials = credentialsOf(config, who);
    if (credentials === undefined) throw new Error(`no credentials configured for the ${who} identity`);
    const fresh = await authenticate(http, credentials);
    tokens.set(who, fresh);
    return fresh;
  };
}
