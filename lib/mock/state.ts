// The cloud's data: Keystone's users and projects, Neutron's networks and ports, Glance's image,
// Nova's flavors and servers. One instance per mock, so parallel mocks never share anything.
import { randomBytes } from 'node:crypto';
import type {
  Flavor,
  Image,
  MockDelays,
  Network,
  Port,
  Project,
  SecurityGroup,
  Server,
  Subnet,
  Token,
  User,
} from './types.ts';
import type { ReleaseProfile } from './releases.ts';
import { cidrContains, hex32, intToIp, ipToInt, isoZ, macAddress, uuid } from './util.ts';

export const COMPUTE_HOST = 'compute1';
const DEFAULT_PORT_QUOTA = 500;

export interface RequestContext {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
  token: Token;
}

/** An error as Neutron would answer it; Nova maps some of these to its own faults. */
export class NeutronFault {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

export interface AppCredential {
  id: string;
  name: string;
  secret: string;
  userId: string;
  projectId: string;
  roles: string[];
}

export class MockState {
  readonly projects = new Map<string, Project>();
  readonly users = new Map<string, User>();
  readonly tokens = new Map<string, Token>();
  readonly appCredentials = new Map<string, AppCredential>();
  readonly networks = new Map<string, Network>();
  readonly subnets = new Map<string, Subnet>();
  readonly ports = new Map<string, Port>();
  readonly servers = new Map<string, Server>();
  readonly flavors = new Map<string, Flavor>();
  readonly images = new Map<string, Image>();
  readonly portQuota = new Map<string, number>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly passwords = {
    demo: 'demo-pass',
    alt: 'alt-pass',
    reader: 'reader-pass',
    admin: 'admin-pass',
  } as const;
  readonly ids: {
    demoProject: string;
    altProject: string;
    adminProject: string;
    demoUser: string;
    altUser: string;
    readerUser: string;
    adminUser: string;
    privateNet: string;
    sharedNet: string;
    altNet: string;
    publicNet: string;
    image: string;
  };
  get release(): ReleaseProfile['release'] {
    return this.profile.release;
  }

  /**
   * Answers that showed work in progress (a server building, a port listed while its detach runs, a
   * bound port still DOWN, a task state), so a test can tell that a run's polling met each delay.
   */
  readonly observed: MockDelays = { build: 0, detach: 0, portActive: 0, taskState: 0 };
  /** Ports whose detach has been accepted and not yet carried out. */
  readonly detaching = new Set<string>();

  private readonly timers = new Set<NodeJS.Timeout>();
  stopped = false;

  constructor(
    readonly profile: ReleaseProfile,
    readonly delays: MockDelays,
    readonly tokenTtlSeconds: number,
  ) {
    const project = (name: string): string => {
      const id = hex32();
      this.projects.set(id, { id, name });
      return id;
    };
    const demoProject = project('demo');
    const altProject = project('alt');
    const adminProject = project('admin');
    const user = (name: string, password: string, roles: [string, string[]][]): string => {
      const id = hex32();
      this.users.set(id, { id, name, password, roles: new Map(roles) });
      return id;
    };
    const demoUser = user('demo', this.passwords.demo, [[demoProject, ['member', 'reader']]]);
    const altUser = user('alt', this.passwords.alt, [[altProject, ['member', 'reader']]]);
    const readerUser = user('reader', this.passwords.reader, [[demoProject, ['reader']]]);
    const adminUser = user('admin', this.passwords.admin, [[adminProject, ['admin', 'member', 'reader']]]);
    const appId = hex32();
    this.appCredentials.set(appId, {
      id: appId,
      name: 'demo-app-cred',
      secret: randomBytes(24).toString('base64url'),
      userId: demoUser,
      projectId: demoProject,
      roles: ['member', 'reader'],
    });

    const privateNet = this.addNetwork('private', demoProject, false, false, '10.0.0.0/24');
    const sharedNet = this.addNetwork('shared', adminProject, true, false, '192.168.233.0/24');
    const altNet = this.addNetwork('alt-private', altProject, false, false, '10.0.2.0/24');
    const publicNet = this.addNetwork('public', adminProject, false, true, '172.24.4.0/24');

    for (const [id, name, ram, disk, vcpus] of [
      ['1', 'm1.tiny', 512, 1, 1],
      ['2', 'm1.small', 2048, 20, 1],
      ['3', 'm1.medium', 4096, 40, 2],
      ['42', 'm1.nano', 128, 1, 1],
      ['84', 'm1.micro', 192, 1, 1],
    ] as const) {
      this.flavors.set(id, { id, name, ram, disk, vcpus });
    }
    const image = uuid();
    this.images.set(image, {
      id: image,
      name: 'cirros-0.6.2-x86_64-disk',
      ownerId: adminProject,
      size: 21430272,
      createdAt: isoZ(),
    });
    this.ids = {
      demoProject,
      altProject,
      adminProject,
      demoUser,
      altUser,
      readerUser,
      adminUser,
      privateNet,
      sharedNet,
      altNet,
      publicNet,
      image,
    };
  }

  addNetwork(name: string, projectId: string, shared: boolean, external: boolean, cidr?: string): string {
    const id = uuid();
    const now = isoZ();
    this.networks.set(id, {
      id,
      name,
      projectId,
      shared,
      external,
      subnets: [],
      createdAt: now,
      updatedAt: now,
      revision: 1,
      description: '',
    });
    if (cidr) this.addSubnet(id, `${name}-subnet`, cidr);
    return id;
  }

  addSubnet(networkId: string, name: string, cidr: string): Subnet {
    const net = this.networks.get(networkId);
    if (!net) throw new Error(`no network ${networkId}`);
    const base = ipToInt(cidr.split('/')[0] ?? '0.0.0.0');
    const bits = Number(cidr.split('/')[1] ?? 24);
    const size = 2 ** (32 - bits);
    const id = uuid();
    const now = isoZ();
    const subnet: Subnet = {
      id,
      name,
      networkId,
      projectId: net.projectId,
      cidr,
      gatewayIp: intToIp(base + 1),
      poolStart: intToIp(base + 2),
      poolEnd: intToIp(base + size - 2),
      createdAt: now,
      updatedAt: now,
    };
    this.subnets.set(id, subnet);
    net.subnets.push(id);
    return subnet;
  }

  /** Runs fn after ms; 0 runs it at once, so unit tests see settled state without waiting. */
  schedule(ms: number, fn: () => void): void {
    if (this.stopped) return;
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ---- Neutron semantics shared by the Neutron API and Nova ----

  networkVisible(net: Network, ctx: RequestContext): boolean {
    return ctx.isAdmin || net.projectId === ctx.projectId || net.shared || net.external;
  }

  portVisible(port: Port, ctx: RequestContext): boolean {
    return ctx.isAdmin || port.projectId === ctx.projectId;
  }

  portQuotaOf(projectId: string): number {
    return this.portQuota.get(projectId) ?? DEFAULT_PORT_QUOTA;
  }

  portsOf(projectId: string): number {
    let n = 0;
    for (const p of this.ports.values()) if (p.projectId === projectId) n++;
    return n;
  }

  ipInUse(subnetId: string, ip: string): boolean {
    for (const p of this.ports.values())
      if (p.fixedIps.some((f) => f.subnet_id === subnetId && f.ip_address === ip)) return true;
    return false;
  }

  /** The lowest free address of the pool: the subnet's addresses in use are gathered in one pass. */
  private allocateIp(subnet: Subnet): string | undefined {
    const used = new Set<string>();
    for (const p of this.ports.values())
      for (const f of p.fixedIps) if (f.subnet_id === subnet.id) used.add(f.ip_address);
    const start = ipToInt(subnet.poolStart);
    const end = ipToInt(subnet.poolEnd);
    for (let n = start; n <= end; n++) {
      const ip = intToIp(n);
      if (!used.has(ip)) return ip;
    }
    return undefined;
  }

  createPort(
    ctx: RequestContext,
    spec: {
      networkId: string;
      projectId?: string;
      fixedIps?: { ip_address?: string; subnet_id?: string }[];
      name?: string;
      description?: string;
      deviceId?: string;
      deviceOwner?: string;
      createdByNova?: boolean;
    },
  ): Port | NeutronFault {
    const net = this.networks.get(spec.networkId);
    if (!net || !this.networkVisible(net, ctx))
      return new NeutronFault(404, 'NetworkNotFound', `Network ${spec.networkId} could not be found.`);
    const projectId = spec.projectId ?? ctx.projectId;
    const quota = this.portQuotaOf(projectId);
    if (quota >= 0 && this.portsOf(projectId) >= quota)
      return new NeutronFault(409, 'OverQuota', "Quota exceeded for resources: ['port'].");
    const fixedIps: { subnet_id: string; ip_address: string }[] = [];
    const wanted = spec.fixedIps ?? [{}];
    for (const want of wanted) {
      let subnet: Subnet | undefined;
      if (want.subnet_id) {
        subnet = this.subnets.get(want.subnet_id);
        if (!subnet || subnet.networkId !== net.id)
          return new NeutronFault(
            400,
            'InvalidInput',
            `Invalid input for operation: Failed to create port on network ${net.id}, because fixed_ips included invalid subnet ${want.subnet_id}.`,
          );
      }
      if (want.ip_address !== undefined) {
        const ip = want.ip_address;
        subnet ??= net.subnets.map((s) => this.subnets.get(s)).find((s) => s && cidrContains(s.cidr, ip));
        if (!subnet || !cidrContains(subnet.cidr, ip))
          return new NeutronFault(
            400,
            'InvalidInput',
            `Invalid input for operation: IP address ${ip} is not a valid IP for any of the subnets on the specified network.`,
          );
        if (this.ipInUse(subnet.id, ip))
          return new NeutronFault(
            409,
            'IpAddressAlreadyAllocated',
            `IP address ${ip} already allocated in subnet ${subnet.id}`,
          );
        fixedIps.push({ subnet_id: subnet.id, ip_address: ip });
        continue;
      }
      const candidates = subnet ? [subnet] : net.subnets.map((s) => this.subnets.get(s));
      if (candidates.length === 0 && spec.fixedIps === undefined) break;
      let ip: string | undefined;
      for (const s of candidates) {
        if (!s) continue;
        ip = this.allocateIp(s);
        if (ip) {
          fixedIps.push({ subnet_id: s.id, ip_address: ip });
          break;
        }
      }
      if (!ip)
        return new NeutronFault(
          409,
          'IpAddressGenerationFailure',
          `No more IP addresses available on network ${net.id}.`,
        );
    }
    const now = isoZ();
    const port: Port = {
      id: uuid(),
      name: spec.name ?? '',
      description: spec.description ?? '',
      networkId: net.id,
      projectId,
      mac: macAddress(),
      fixedIps,
      deviceId: spec.deviceId ?? '',
      deviceOwner: spec.deviceOwner ?? '',
      status: 'DOWN',
      hostId: '',
      vifType: 'unbound',
      createdAt: now,
      updatedAt: now,
      revision: 1,
      createdByNova: spec.createdByNova ?? false,
    };
    this.ports.set(port.id, port);
    return port;
  }

  /** What Nova's port binding does: Neutron reports DOWN until the L2 agent says the device is up. */
  bindPort(port: Port, serverId: string): void {
    port.deviceId = serverId;
    port.deviceOwner = 'compute:nova';
    port.hostId = COMPUTE_HOST;
    port.vifType = 'ovs';
    port.status = 'DOWN';
    this.touch(port);
    this.schedule(this.delays.portActive, () => {
      const p = this.ports.get(port.id);
      if (p && p.deviceId === serverId && p.status === 'DOWN') {
        p.status = 'ACTIVE';
        this.touch(p);
      }
    });
  }

  unbindPort(port: Port): void {
    port.deviceId = '';
    port.deviceOwner = '';
    port.hostId = '';
    port.vifType = 'unbound';
    port.status = 'DOWN';
    this.touch(port);
  }

  touch(port: Port): void {
    port.updatedAt = isoZ();
    port.revision++;
  }

  /** Nova's side of taking a port off a server: delete what Nova created, unbind the rest. */
  releasePort(port: Port, server: Server): void {
    server.vifTags.delete(port.id);
    if (port.createdByNova) this.ports.delete(port.id);
    else this.unbindPort(port);
  }

  /**
   * The project's `default` security group, made the first time the project needs it (Neutron's
   * _ensure_default_security_group): egress open, ingress from members of the group, both families.
   */
  defaultSecurityGroup(projectId: string): SecurityGroup {
    for (const g of this.securityGroups.values()) if (g.isDefault && g.projectId === projectId) return g;
    const id = uuid();
    const now = isoZ();
    const rule = (direction: 'ingress' | 'egress', ethertype: 'IPv4' | 'IPv6') => ({
      id: uuid(),
      direction,
      ethertype,
      remoteGroupId: direction === 'ingress' ? id : null,
      createdAt: now,
    });
    const group: SecurityGroup = {
      id,
      name: 'default',
      description: 'Default security group',
      projectId,
      rules: [
        rule('egress', 'IPv4'),
        rule('egress', 'IPv6'),
        rule('ingress', 'IPv4'),
        rule('ingress', 'IPv6'),
      ],
      createdAt: now,
      isDefault: true,
    };
    this.securityGroups.set(id, group);
    return group;
  }

  stats(): { servers: number; ports: number; observed: Readonly<MockDelays> } {
    let servers = 0;
    for (const s of this.servers.values()) if (!s.deleted) servers++;
    return { servers, ports: this.ports.size, observed: { ...this.observed } };
  }
}
