import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import type { RawEnv } from '../config/settings.ts';
import { ComputeClient } from '../openstack/compute.ts';
import { HttpClient, type Exchange } from '../openstack/http.ts';
import type { Token } from '../openstack/keystone.ts';
import { NetworkClient } from '../openstack/network.ts';
import { registerSecret } from '../openstack/redact.ts';
import { credentialsOf, preflight, type Preflight, type Who } from './preflight.ts';
import { Registry } from './registry.ts';
import type { Session } from './session.ts';
import { tokenCache } from './tokens.ts';

/** A configured, authenticated connection to the target: what every command opens first. */
export interface OpenRun {
  readonly config: Config;
  readonly http: HttpClient;
  readonly facts: Preflight;
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  /** A valid token for the identity, reused until it nears expiry. */
  token(who?: Who): Promise<Token>;
  /** The identity's token, or the primary one when that identity is not configured (cleanup). */
  tokenOrPrimary(who: Who): Promise<string>;
  has(who: Who): boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** An already loaded configuration (else loaded from `env`). */
  readonly config?: Config;
  readonly env?: RawEnv;
  /** A preflight done elsewhere (the worker gets the runner's); else one is done now. */
  readonly facts?: Preflight;
  /** Overrides the configuration's read-only guard (fidelity and cleanup decide for themselves). */
  readonly readOnly?: boolean;
  readonly onExchange?: (exchange: Exchange) => void;
}

/**
 * config → HTTP client → tokens and endpoints → clients: the one way `run`, the test worker,
 * `cleanup`, fidelity, bench and the mutants runner open the target. Throws ConfigError or
 * EnvironmentError when the target cannot be used.
 */
export async function openRun(options: OpenOptions = {}): Promise<OpenRun> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  for (const secret of config.secrets) registerSecret(secret);
  const http = new HttpClient({
    timeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    // The last line of defence of the read-only profile (see lib/openstack/http.ts).
    readOnly: options.readOnly ?? config.readOnly,
    ...(config.cloud !== undefined && { tls: config.cloud.tls }),
    ...(options.onExchange !== undefined && { onExchange: options.onExchange }),
  });
  let facts: Preflight;
  try {
    facts = options.facts ?? (await preflight(config, http));
  } catch (error) {
    await http.close();
    throw error;
  }
  for (const token of Object.values(facts.tokens)) registerSecret(token.value);
  const token = tokenCache(config, http, facts.tokens);
  const has = (who: Who): boolean => credentialsOf(config, who) !== undefined;
  return {
    config,
    http,
    facts,
    compute: new ComputeClient(http, facts.computeBase),
    network: new NetworkClient(http, facts.networkBase),
    token,
    has,
    tokenOrPrimary: async (who) => (await token(has(who) ? who : 'primary')).value,
    close: () => http.close(),
  };
}

/** The harness's session on an opened target, for the run `runId` and its journal. */
export function sessionOf(opened: OpenRun, runId: string, journal: string): Session {
  return {
    config: opened.config,
    http: opened.http,
    compute: opened.compute,
    network: opened.network,
    ...(opened.facts.imageBase !== undefined && { imageBase: opened.facts.imageBase }),
    versions: opened.facts.versions,
    runId,
    registry: new Registry(journal),
    has: opened.has,
    token: opened.token,
  };
}
