// The shape of a mutant: one named deviation from real Nova that the deviation proxy applies to
// the traffic between the suites and the target (the embedded mock or a real cloud).

/** Which OpenStack service a request goes to, as the proxy learnt it from the Keystone catalog. */
export type Service = 'identity' | 'compute' | 'network' | 'image' | 'other';

/** What the proxy knows about a token it saw Keystone issue. */
export interface TokenInfo {
  readonly value: string;
  readonly userName: string;
  readonly projectId: string;
  readonly roles: readonly string[];
}

/** An os-interface route, parsed from the path under the compute root. */
export interface InterfaceRoute {
  /** `v2.1` or the legacy `v2`. */
  readonly version: string;
  /** The project id segment of `/v2.1/{project_id}/servers/...`, when the URL has one. */
  readonly projectId: string | undefined;
  readonly serverId: string;
  /** The port id of show and detach; undefined for list and attach. */
  readonly portId: string | undefined;
}

/** Mutable headers as name/value pairs; names keep the case the peer sent (HEADERS-03). */
export type HeaderList = [string, string][];

/** A reply the proxy sends itself, without asking the target. */
export interface Reply {
  status: number;
  headers: HeaderList;
  body: Buffer;
}

export interface RequestContext {
  readonly method: string;
  readonly service: Service;
  /** Path under the service root (for compute: `/v2.1/servers/...`), without the query. */
  path: string;
  /** Raw query string including the leading `?`, or empty. */
  query: string;
  headers: HeaderList;
  body: Buffer | undefined;
  /** Set for os-interface requests of the compute API. */
  readonly route: InterfaceRoute | undefined;
  /** The microversion the request asks for, as a client would resolve it (undefined: none sent). */
  readonly microversion: string | undefined;
  /** The token this request carries, if the proxy saw Keystone issue it. */
  readonly token: TokenInfo | undefined;
  /** The proxy's shared knowledge: tokens it saw, free for mutants to keep notes in. */
  readonly proxy: ProxyMemory;
  /** Sends a request to the target (bypassing every mutant) and returns its raw answer. */
  upstream(method: string, servicePath: string, headers: HeaderList, body?: Buffer): Promise<Reply>;
  /** The same, to another service of the target (e.g. Neutron), at the root its catalog entry names. */
  upstreamTo(
    service: Service,
    method: string,
    servicePath: string,
    headers: HeaderList,
    body?: Buffer,
  ): Promise<Reply>;
}

export interface ResponseContext {
  readonly request: RequestContext;
  status: number;
  headers: HeaderList;
  body: Buffer;
}

export interface ProxyMemory {
  /** Tokens in the order Keystone issued them. */
  readonly tokens: TokenInfo[];
  /** Scratch space for mutants that must remember something between requests (e.g. ports they hid). */
  readonly notes: Map<string, unknown>;
}

export interface Mutant {
  /** Stable kebab-case name, used to switch the mutant on. */
  readonly name: string;
  /** What the deviation changes, in one sentence. */
  readonly description: string;
  /**
   * Suite files (base names without `.test.ts`) whose tests should kill it: the only ones a quick
   * run (`npm run mutants`) runs; the precision pass runs every suite.
   */
  readonly suites: readonly string[];
  /**
   * The behaviours it may fail: those whose checks own the deviated thing. Failing any other
   * behaviour makes `npm run mutants` fail (a cascade in the suites, or a wrong declaration).
   */
  readonly behaviours: readonly string[];
  /**
   * Its run takes far longer than the others (e.g. every restore step waits out its timeout): the
   * runner starts it first, so that it does not end the whole run alone.
   */
  readonly slow?: boolean;
  /** May rewrite the request, or answer it by returning a Reply (then nothing is forwarded). */
  onRequest?(ctx: RequestContext): void | Reply | undefined | Promise<void | Reply | undefined>;
  /** May rewrite the target's answer before the client sees it. */
  onResponse?(ctx: ResponseContext): void | Promise<void>;
}
