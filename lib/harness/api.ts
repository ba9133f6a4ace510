import { channel } from 'node:diagnostics_channel';
import type { ComputeCall } from '../openstack/compute.ts';
import type { Exchange, Method, RequestSpec } from '../openstack/http.ts';
import { redactHeaders } from '../openstack/redact.ts';
import { compareMicroversions } from '../schema/validator.ts';
import type { Who } from './preflight.ts';
import type { Session } from './session.ts';

export type As = Who | 'none' | { readonly token: string };

export type CallOptions = Omit<ComputeCall, 'token' | 'method' | 'path'> & { readonly as?: As };

/** How many exchanges one owner keeps for its evidence; polling a slow cloud can make thousands. */
const KEPT = 400;

/**
 * Every exchange with the owner that made it, for the benchmark's probe (lib/bench/probe.mjs):
 * checks run concurrently, so only the harness knows which check a request belongs to. Nothing is
 * published while nobody subscribes.
 */
const EXCHANGE_CHANNEL = 'nova-conformance:exchange';
const exchanges = channel(EXCHANGE_CHANNEL);

/** Who made an exchange: a check (a vitest test) by its task, or the worker's shared facade (the server pool). */
export interface ExchangeOwner {
  readonly check?: { readonly id: string; readonly name: string; readonly file: string };
}

/**
 * The HTTP facade of one owner (a test, a file's shared arrangement, the fidelity replay): calls
 * to Nova, Neutron and Glance as an identity, each exchange kept as that owner's evidence.
 */
export class Api {
  /** This owner's exchanges, oldest first (the first ones, then the latest, when there are many). */
  readonly exchanges: Exchange[] = [];
  /** Every exchange this owner made, also those no longer kept. */
  count = 0;

  constructor(readonly s: Session) {}

  get config() {
    return this.s.config;
  }

  /** The version Nova will apply for a requested header value (none → 2.1, latest → max). */
  effective(microversion?: string): string {
    if (microversion === undefined) return '2.1';
    return microversion === 'latest' ? this.s.versions.max : microversion;
  }

  supports(microversion: string): boolean {
    return compareMicroversions(this.s.versions.max, microversion) >= 0;
  }

  /** Who this facade's exchanges belong to; a check's fixtures name their test. */
  owner(): ExchangeOwner {
    return {};
  }

  protected record(exchange: Exchange): Exchange {
    if (exchanges.hasSubscribers) exchanges.publish({ owner: this.owner(), exchange });
    this.keep(exchange);
    return exchange;
  }

  /**
   * Takes exchanges another owner made (a shared arrangement's) into this owner's evidence, for a
   * check that judges them: its reports then show what it judged. They stay the other owner's
   * requests (not published again).
   */
  adopt(...adopted: readonly Exchange[]): void {
    for (const exchange of adopted) this.keep(exchange);
  }

  private keep(exchange: Exchange): void {
    this.count += 1;
    // The first exchanges show how a check began; the latest what it ended on.
    if (this.exchanges.length >= KEPT) this.exchanges.splice(KEPT / 2, 1);
    // The caller sees the real headers (Keystone's X-Subject-Token is the token); the evidence must not.
    this.exchanges.push({
      ...exchange,
      headers: redactHeaders(exchange.headers) as Record<string, string[]>,
    });
  }

  async tokenOf(as: As = 'primary'): Promise<string | null> {
    if (as === 'none') return null;
    if (typeof as === 'object') return as.token;
    return (await this.s.token(as)).value;
  }

  async projectId(who: Who = 'primary'): Promise<string> {
    return (await this.s.token(who)).projectId;
  }

  async call(method: Method, path: string, options: CallOptions = {}): Promise<Exchange> {
    const { as, ...rest } = options;
    return this.record(await this.s.compute.call({ ...rest, method, path, token: await this.tokenOf(as) }));
  }

  /** A request outside the compute client's paths (version documents, Glance). */
  async send(spec: RequestSpec): Promise<Exchange> {
    return this.record(await this.s.http.send(spec));
  }

  list(serverId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-interface`, options);
  }

  show(serverId: string, portId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-interface/${portId}`, options);
  }

  attach(serverId: string, body: unknown, options: CallOptions = {}): Promise<Exchange> {
    return this.call('POST', `/servers/${serverId}/os-interface`, { ...options, json: body });
  }

  detach(serverId: string, portId: string, options: CallOptions = {}): Promise<Exchange> {
    return this.call('DELETE', `/servers/${serverId}/os-interface/${portId}`, options);
  }

  async neutron(method: Method, path: string, json?: unknown, who: Who = 'primary'): Promise<Exchange> {
    return this.record(await this.s.network.call(method, path, (await this.s.token(who)).value, json));
  }

  instanceAction(serverId: string, requestId: string, microversion = '2.51'): Promise<Exchange> {
    return this.call('GET', `/servers/${serverId}/os-instance-actions/${requestId}`, { microversion });
  }
}
