// Part 2's detach delay: what a real guest does to a detach. Nova answers 202 at once, but the
// interface stays listed and the port stays bound until the hypervisor has the guest's release of
// the device, seconds later. In front of a cloud that detaches at once, this makes every detach
// take effect `delayMs` after its 202: for that long the cloud's answers to reads are rewritten to
// show the port still attached (Nova's list and show) and still bound (Neutron's port show and
// list). Writes are passed through unchanged. No I/O here: the proxy feeds it what it forwards.

/** A detach accepted upstream that has not taken effect for the client yet. */
interface Pending {
  readonly serverId: string;
  readonly until: number;
}

export interface Rewritten {
  readonly status: number;
  readonly json: unknown;
}

type Json = Record<string, unknown>;

const ATTACHMENTS = /\/servers\/([^/?#]+)\/os-interface(?:\/([^/?#]+))?$/;
const PORTS = /\/ports(?:\/([^/?#]+))?$/;
const TAGGED_FROM = 70;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The minor compute microversion an answer was given at (2.1 without the header). */
function minorOf(headers: Readonly<Record<string, string | string[] | undefined>>): number {
  const raw = headers['openstack-api-version'] ?? headers['x-openstack-nova-api-version'];
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const match = /(?:compute\s+)?2\.(\d+)/.exec(text);
  return match === null ? 1 : Number(match[1]);
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const parsed = new URL(url, 'http://proxy.invalid');
  return { path: parsed.pathname, query: parsed.searchParams };
}

export class DetachDelay {
  private readonly pending = new Map<string, Pending>();
  /** Interface attachments last seen, by "<server>/<port>". */
  private readonly attachments = new Map<string, Json>();
  /** Neutron ports last seen bound to a server, by id. */
  private readonly bound = new Map<string, Json>();
  /** Neutron ports last seen at all, by id (to build an attachment never shown by Nova). */
  private readonly ports = new Map<string, Json>();
  /** How many answers were rewritten, to tell that the delay really acted. */
  rewrites = 0;
  detaches = 0;

  constructor(
    readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The detach that still hides port `portId`, if its delay has not passed. */
  private delayed(portId: string): Pending | undefined {
    const entry = this.pending.get(portId);
    if (entry === undefined) return undefined;
    if (this.now() < entry.until) return entry;
    this.pending.delete(portId);
    return undefined;
  }

  /** Remembers what answers show of attachments and ports, so that they can be shown again. */
  private observe(path: string, status: number, json: unknown): void {
    if (status !== 200 || !isObject(json)) return;
    const nova = ATTACHMENTS.exec(path);
    if (nova !== null) {
      const server = decodeURIComponent(nova[1] as string);
      const list = json['interfaceAttachments'];
      const one = json['interfaceAttachment'];
      for (const a of Array.isArray(list) ? list : [one])
        if (isObject(a) && typeof a['port_id'] === 'string' && this.delayed(a['port_id']) === undefined)
          this.attachments.set(`${server}/${a['port_id']}`, a);
      return;
    }
    if (PORTS.test(path)) {
      const list = json['ports'];
      for (const p of Array.isArray(list) ? list : [json['port']]) {
        if (!isObject(p) || typeof p['id'] !== 'string' || this.delayed(p['id']) !== undefined) continue;
        this.ports.set(p['id'], p);
        if (typeof p['device_id'] === 'string' && p['device_id'] !== '') this.bound.set(p['id'], p);
      }
    }
  }

  /** The attachment to show for a port whose detach is delayed, at the answer's microversion. */
  private attachment(serverId: string, portId: string, minor: number): Json | undefined {
    let found = this.attachments.get(`${serverId}/${portId}`);
    if (found === undefined) {
      const port = this.bound.get(portId) ?? this.ports.get(portId);
      if (port === undefined) return undefined;
      found = {
        port_state: 'ACTIVE',
        fixed_ips: port['fixed_ips'],
        port_id: portId,
        net_id: port['network_id'],
        mac_addr: port['mac_address'],
      };
    }
    const { tag, ...rest } = found;
    return minor >= TAGGED_FROM ? { ...rest, tag: tag ?? null } : rest;
  }

  /** The port as Neutron showed it while bound to `serverId`. */
  private boundPort(current: Json, serverId: string): Json {
    const before = this.bound.get(String(current['id']));
    const same = before !== undefined && before['device_id'] === serverId;
    const patched: Json = {
      ...current,
      device_id: serverId,
      device_owner: same ? before['device_owner'] : 'compute:nova',
      status: 'ACTIVE',
    };
    if (same && 'binding:host_id' in before) patched['binding:host_id'] = before['binding:host_id'];
    if (same && 'binding:vif_type' in before) patched['binding:vif_type'] = before['binding:vif_type'];
    return patched;
  }

  /**
   * Called with every answer the proxy forwards (JSON parsed, or undefined); returns the answer to
   * give instead while a detach is delayed, or undefined to pass it on.
   */
  answer(
    method: string,
    url: string,
    status: number,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    json: unknown,
  ): Rewritten | undefined {
    const { path, query } = splitUrl(url);
    const nova = ATTACHMENTS.exec(path);
    if (method === 'DELETE' && nova !== null && nova[2] !== undefined && status === 202) {
      const serverId = decodeURIComponent(nova[1] as string);
      const portId = decodeURIComponent(nova[2]);
      // Nova also answers 202 for a port the server does not hold (the failure shows only in
      // its instance action): only a port seen attached there has a device for the guest to release.
      const held =
        this.attachments.has(`${serverId}/${portId}`) || this.bound.get(portId)?.['device_id'] === serverId;
      if (held) {
        this.detaches += 1;
        this.pending.set(portId, { serverId, until: this.now() + this.delayMs });
      }
      return undefined;
    }
    const neutron = PORTS.exec(path);
    if (method === 'DELETE' && neutron?.[1] !== undefined) {
      // A port deleted for good is no longer held by anything.
      this.pending.delete(decodeURIComponent(neutron[1]));
      return undefined;
    }
    if (method !== 'GET') return undefined;
    const rewritten = this.rewrite(path, query, status, headers, json);
    if (rewritten !== undefined) this.rewrites += 1;
    else this.observe(path, status, json);
    return rewritten;
  }

  private rewrite(
    path: string,
    query: URLSearchParams,
    status: number,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    json: unknown,
  ): Rewritten | undefined {
    const nova = ATTACHMENTS.exec(path);
    if (nova !== null) {
      const serverId = decodeURIComponent(nova[1] as string);
      const minor = minorOf(headers);
      if (nova[2] !== undefined) {
        const portId = decodeURIComponent(nova[2]);
        if (status !== 404 || this.delayed(portId)?.serverId !== serverId) return undefined;
        const shown = this.attachment(serverId, portId, minor);
        return shown === undefined ? undefined : { status: 200, json: { interfaceAttachment: shown } };
      }
      if (status !== 200 || !isObject(json) || !Array.isArray(json['interfaceAttachments'])) return undefined;
      const listed = json['interfaceAttachments'] as unknown[];
      const present = new Set(listed.map((a) => (isObject(a) ? a['port_id'] : undefined)));
      const added: Json[] = [];
      for (const [portId, entry] of this.pending) {
        if (entry.serverId !== serverId || present.has(portId) || this.delayed(portId) === undefined)
          continue;
        const shown = this.attachment(serverId, portId, minor);
        if (shown !== undefined) added.push(shown);
      }
      return added.length === 0
        ? undefined
        : { status, json: { ...json, interfaceAttachments: [...listed, ...added] } };
    }
    const neutron = PORTS.exec(path);
    if (neutron === null || status !== 200 || !isObject(json)) return undefined;
    if (neutron[1] !== undefined) {
      const port = json['port'];
      const entry = this.delayed(decodeURIComponent(neutron[1]));
      if (entry === undefined || !isObject(port) || port['device_id'] === entry.serverId) return undefined;
      return { status, json: { ...json, port: this.boundPort(port, entry.serverId) } };
    }
    const list = json['ports'];
    if (!Array.isArray(list)) return undefined;
    let changed = false;
    const ports = list.map((p: unknown) => {
      if (!isObject(p) || typeof p['id'] !== 'string') return p;
      const entry = this.delayed(p['id']);
      if (entry === undefined || p['device_id'] === entry.serverId) return p;
      changed = true;
      return this.boundPort(p, entry.serverId);
    });
    // A list filtered by the server holding the port would have left it out: it belongs there.
    const deviceId = query.get('device_id');
    if (deviceId !== null) {
      for (const [portId, entry] of this.pending) {
        const known = this.bound.get(portId) ?? this.ports.get(portId);
        if (entry.serverId !== deviceId || known === undefined || this.delayed(portId) === undefined)
          continue;
        if (ports.some((p: unknown) => isObject(p) && p['id'] === portId)) continue;
        ports.push(this.boundPort(known, deviceId));
        changed = true;
      }
    }
    return changed ? { status, json: { ...json, ports } } : undefined;
  }
}
