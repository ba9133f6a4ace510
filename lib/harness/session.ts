import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { ComputeClient, type VersionRange } from '../openstack/compute.ts';
import { HttpClient } from '../openstack/http.ts';
import type { Token } from '../openstack/keystone.ts';
import { NetworkClient } from '../openstack/network.ts';
import { registerSecret } from '../openstack/redact.ts';
import { ExchangeLog } from './exchange-log.ts';
import { credentialsOf, PREFLIGHT_VARIABLE, preflight, type Preflight, type Who } from './preflight.ts';
import { Registry } from './registry.ts';
import { tokenCache } from './tokens.ts';
import { JOURNAL_VARIABLE, journalPath, newRunId, RUN_ID_VARIABLE } from './run-context.ts';

/** Everything a suite needs to talk to the target, shared by all test files of the run. */
export interface Session {
  readonly config: Config;
  readonly http: HttpClient;
  readonly log: ExchangeLog;
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  readonly imageBase?: string;
  readonly versions: VersionRange;
  readonly runId: string;
  readonly registry: Registry;
  /** Whether credentials for this identity are configured. */
  has(who: Who): boolean;
  /** A valid token for the identity, reused until it nears expiry. */
  token(who?: Who): Promise<Token>;
}

let current: Promise<Session> | undefined;

async function open(): Promise<Session> {
  const config = loadConfig();
  for (const secret of config.secrets) registerSecret(secret);
  const log = new ExchangeLog();
  const http = new HttpClient({
    timeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    // The last line of defence of CONFORMANCE_READ_ONLY (see lib/openstack/http.ts).
    readOnly: config.readOnly,
    ...(config.cloud !== undefined && { tls: config.cloud.tls }),
    onExchange: (exchange) => log.record(exchange),
  });
  const carried = process.env[PREFLIGHT_VARIABLE];
  const facts: Preflight =
    carried !== undefined ? (JSON.parse(carried) as Preflight) : await preflight(config, http);
  for (const token of Object.values(facts.tokens)) registerSecret(token.value);
  const runId = process.env[RUN_ID_VARIABLE] ?? newRunId();
  const registry = new Registry(process.env[JOURNAL_VARIABLE] ?? journalPath(config.reportDir, runId));
  return {
    config,
    http,
    log,
    compute: new ComputeClient(http, facts.computeBase),
    network: new NetworkClient(http, facts.networkBase),
    ...(facts.imageBase !== undefined && { imageBase: facts.imageBase }),
    versions: facts.versions,
    runId,
    registry,
    has: (who) => credentialsOf(config, who) !== undefined,
    token: tokenCache(config, http, facts.tokens),
  };
}

/** The run's session: configuration, clients and tokens, opened once per worker. */
export function session(): Promise<Session> {
  current ??= open();
  return current;
}
