import type { Exchange, HttpClient, Method } from './http.ts';

/** The Neutron v2.0 base URL from a catalog endpoint, which may or may not name the version. */
export function normaliseNetworkEndpoint(url: string): string {
  const base = url.replace(/\/+$/, '');
  return /\/v2\.0$/.test(base) ? base : `${base}/v2.0`;
}

export interface Port {
  readonly id: string;
  readonly name: string;
  readonly network_id: string;
  readonly mac_address: string;
  readonly status: string;
  readonly device_id: string;
  readonly device_owner: string;
  readonly project_id?: string;
  readonly fixed_ips: readonly { readonly ip_address: string; readonly subnet_id: string }[];
}

export interface Network {
  readonly id: string;
  readonly name: string;
  readonly shared: boolean;
  readonly 'router:external'?: boolean;
  readonly project_id?: string;
  readonly subnets: readonly string[];
  readonly status?: string;
}

export interface Subnet {
  readonly id: string;
  readonly network_id: string;
  readonly cidr: string;
  readonly ip_version: number;
  readonly allocation_pools?: readonly { readonly start: string; readonly end: string }[];
}

/** Raw calls to Neutron. Suites use Neutron to arrange fixtures and to cross-check Nova. */
export class NetworkClient {
  constructor(
    private readonly http: HttpClient,
    readonly base: string,
  ) {}

  call(method: Method, path: string, token: string, json?: unknown): Promise<Exchange> {
    return this.http.send({
      method,
      url: `${this.base}${path}`,
      headers: { 'X-Auth-Token': token },
      ...(json !== undefined && { json }),
    });
  }
}
