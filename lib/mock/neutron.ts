// Neutron v2.0: networks, subnets, ports and quotas, with Neutron's error JSON and its visibility
// rules (own project, shared and external networks; admins see everything).
import type { ServerResponse } from 'node:http';
import { type HeaderList, type MockRequest, parseJson, sendJson } from './http.ts';
import { authtoken } from './keystone.ts';
import { securityGroups } from './neutron-security-groups.ts';
import { type MockState, NeutronFault, type RequestContext } from './state.ts';
import type { Network, Port, Subnet } from './types.ts';
import { isoZ, requestId } from './util.ts';

type Obj = Record<string, unknown>;

/** The extensions clients look for, under Neutron's own names (openstackclient finds them by name). */
const EXTENSIONS: readonly { alias: string; name: string; description: string }[] = [
  {
    alias: 'binding',
    name: 'Port Binding',
    description: 'Expose port bindings of a virtual port to external application',
  },
  {
    alias: 'external-net',
    name: 'Neutron external network',
    description: 'Adds external network attribute to network resource.',
  },
  {
    alias: 'quotas',
    name: 'Quota management support',
    description: 'Expose functions for quotas management per project',
  },
  { alias: 'port-security', name: 'Port Security', description: 'Provides port security' },
  { alias: 'security-group', name: 'security-group', description: 'The security groups extension.' },
  { alias: 'availability_zone', name: 'Availability Zone', description: 'The availability zone extension.' },
  {
    alias: 'network_availability_zone',
    name: 'Network Availability Zone',
    description: 'Availability zone support for network.',
  },
];

function extensionView(e: (typeof EXTENSIONS)[number]): Obj {
  return { ...e, updated: '2013-01-01T00:00:00-00:00', links: [] };
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function networkView(n: Network): Obj {
  return {
    id: n.id,
    name: n.name,
    tenant_id: n.projectId,
    admin_state_up: true,
    mtu: 1450,
    status: 'ACTIVE',
    subnets: n.subnets,
    shared: n.shared,
    availability_zone_hints: [],
    availability_zones: ['nova'],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'router:external': n.external,
    description: n.description,
    port_security_enabled: true,
    is_default: false,
    tags: [],
    created_at: n.createdAt,
    updated_at: n.updatedAt,
    revision_number: n.revision,
    project_id: n.projectId,
    'provider:network_type': 'local',
    'provider:physical_network': null,
    'provider:segmentation_id': null,
  };
}

function subnetView(s: Subnet): Obj {
  return {
    id: s.id,
    name: s.name,
    tenant_id: s.projectId,
    network_id: s.networkId,
    ip_version: 4,
    subnetpool_id: null,
    enable_dhcp: true,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    gateway_ip: s.gatewayIp,
    cidr: s.cidr,
    allocation_pools: [{ start: s.poolStart, end: s.poolEnd }],
    host_routes: [],
    dns_nameservers: [],
    description: '',
    service_types: [],
    tags: [],
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    revision_number: 0,
    project_id: s.projectId,
  };
}

function portView(state: MockState, p: Port, ctx: RequestContext): Obj {
  // A bound port still DOWN is one whose ACTIVE a client is waiting for.
  if (p.status === 'DOWN' && p.hostId !== '') state.observed.portActive++;
  const out: Obj = {
    id: p.id,
    name: p.name,
    network_id: p.networkId,
    tenant_id: p.projectId,
    mac_address: p.mac,
    admin_state_up: true,
    status: p.status,
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: [],
    description: p.description,
    'binding:vnic_type': 'normal',
    port_security_enabled: true,
    tags: [],
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    revision_number: p.revision,
    project_id: p.projectId,
  };
  // Neutron's policy shows the binding details to admins only.
  if (ctx.isAdmin) {
    out['binding:host_id'] = p.hostId;
    out['binding:profile'] = {};
    out['binding:vif_details'] =
      p.vifType === 'ovs'
        ? { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'system' }
        : {};
    out['binding:vif_type'] = p.vifType;
  }
  return out;
}

/** Neutron list filters: every query key must equal the attribute (repeated keys mean "any of"). */
function applyFilters(items: Obj[], query: URLSearchParams): Obj[] {
  const keys = [...new Set(query.keys())].filter(
    (k) => !['fields', 'limit', 'marker', 'sort_key', 'sort_dir'].includes(k),
  );
  let out = items;
  for (const k of keys) {
    const wanted = query.getAll(k);
    out = out.filter((item) => {
      if (!(k in item)) return true;
      const v = item[k];
      return wanted.some((w) => String(v) === w || (typeof v === 'boolean' && String(v) === w.toLowerCase()));
    });
  }
  const fields = query.getAll('fields');
  if (fields.length > 0)
    out = out.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => fields.includes(k))));
  return out;
}

export function handleNeutron(state: MockState, req: MockRequest, res: ServerResponse): void {
  const rid = requestId();
  const ids: HeaderList = [['X-Openstack-Request-Id', rid]];
  const err = (status: number, type: string, message: string): void =>
    sendJson(res, status, { NeutronError: { type, message, detail: '' } }, ids);
  const ok = (status: number, body: unknown): void => sendJson(res, status, body, ids);
  const path = req.path.replace(/\/+$/, '');
  const base = req.baseUrl;

  if (path === '' && req.method === 'GET') {
    ok(200, {
      versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${base}/v2.0/`, rel: 'self' }] }],
    });
    return;
  }
  const ctx = authtoken(state, req, res, base, ids);
  if (!ctx) return;
  if (path === '/v2.0' && req.method === 'GET') {
    ok(200, {
      resources: ['network', 'subnet', 'port', 'quota'].map((r) => ({
        name: r,
        collection: `${r}s`,
        links: [{ href: `${base}/v2.0/${r}s`, rel: 'self' }],
      })),
    });
    return;
  }
  if (path === '/v2.0/extensions' && req.method === 'GET') {
    ok(200, { extensions: EXTENSIONS.map(extensionView) });
    return;
  }
  const ext = /^\/v2\.0\/extensions\/([^/]+)$/.exec(path);
  if (ext && req.method === 'GET') {
    const found = EXTENSIONS.find((e) => e.alias === decodeURIComponent(ext[1] ?? ''));
    if (found) ok(200, { extension: extensionView(found) });
    else err(404, 'HTTPNotFound', 'The resource could not be found.');
    return;
  }
  if (path === '/v2.0/availability_zones' && req.method === 'GET') {
    // The zone the networks report (availability_zones: ["nova"]), hosted by the DHCP agent.
    const zones = [{ name: 'nova', resource: 'network', state: 'available' }];
    ok(200, { availability_zones: applyFilters(zones, req.query) });
    return;
  }
  const sg = /^\/v2\.0\/(security-groups|security-group-rules)(?:\/([^/]+))?$/.exec(path);
  if (sg) {
    const collection = sg[1] === 'security-groups' ? 'security-groups' : 'security-group-rules';
    const answer = securityGroups(state, ctx, req.method, collection, sg[2]);
    if (answer.status !== 200) err(answer.status, answer.type, answer.message);
    else if (sg[2] !== undefined) ok(200, answer.body);
    else {
      const key = collection === 'security-groups' ? 'security_groups' : 'security_group_rules';
      ok(200, { [key]: applyFilters(answer.body[key] as Obj[], req.query) });
    }
    return;
  }
  let body: Obj = {};
  if (req.method === 'POST' || req.method === 'PUT') {
    const parsed = req.body ? parseJson(req.body) : { ok: true as const, value: {} };
    if (!parsed.ok || !isObj(parsed.value)) {
      err(400, 'HTTPBadRequest', 'Malformed request body');
      return;
    }
    body = parsed.value;
  }
  const m = /^\/v2\.0\/(networks|subnets|ports|quotas)(?:\/([^/]+))?$/.exec(path);
  if (!m) {
    err(404, 'HTTPNotFound', 'The resource could not be found.');
    return;
  }
  const [, collection, id] = m;
  try {
    if (collection === 'networks') networks(state, ctx, req.method, id, body, req.query, ok, err);
    else if (collection === 'subnets') subnets(state, ctx, req.method, id, body, req.query, ok, err);
    else if (collection === 'ports') ports(state, ctx, req.method, id, body, req.query, ok, err);
    else quotas(state, ctx, req.method, id, body, ok, err);
  } catch (e) {
    if (e instanceof NeutronFault) err(e.status, e.type, e.message);
    else throw e;
  }
}

type Ok = (status: number, body: unknown) => void;
type Err = (status: number, type: string, message: string) => void;

function networks(
  state: MockState,
  ctx: RequestContext,
  method: string,
  id: string | undefined,
  body: Obj,
  query: URLSearchParams,
  ok: Ok,
  err: Err,
): void {
  if (!id && method === 'GET') {
    const list = [...state.networks.values()]
      .filter((n) => state.networkVisible(n, ctx))
      .map((n) => networkView(n));
    ok(200, { networks: applyFilters(list, query) });
    return;
  }
  if (!id && method === 'POST') {
    const spec = isObj(body.network) ? body.network : undefined;
    if (!spec) return err(400, 'HTTPBadRequest', 'Resource body required');
    const projectId = ctx.isAdmin && typeof spec.project_id === 'string' ? spec.project_id : ctx.projectId;
    if ((spec.shared === true || spec['router:external'] === true) && !ctx.isAdmin)
      return err(
        403,
        'HTTPForbidden',
        '(rule:create_network and rule:create_network:shared) is disallowed by policy',
      );
    const nid = state.addNetwork(
      String(spec.name ?? ''),
      projectId,
      spec.shared === true,
      spec['router:external'] === true,
    );
    const net = state.networks.get(nid);
    if (net) ok(201, { network: networkView(net) });
    return;
  }
  const net = id ? state.networks.get(id) : undefined;
  if (!net || !state.networkVisible(net, ctx))
    return err(404, 'NetworkNotFound', `Network ${id} could not be found.`);
  if (method === 'GET') return ok(200, { network: networkView(net) });
  const owner = ctx.isAdmin || net.projectId === ctx.projectId;
  if (method === 'PUT') {
    if (!owner) return err(404, 'NetworkNotFound', `Network ${id} could not be found.`);
    const spec = isObj(body.network) ? body.network : {};
    if (typeof spec.name === 'string') net.name = spec.name;
    if (typeof spec.description === 'string') net.description = spec.description;
    if (typeof spec.shared === 'boolean') {
      if (!ctx.isAdmin)
        return err(403, 'HTTPForbidden', 'rule:update_network:shared is disallowed by policy');
      net.shared = spec.shared;
    }
    net.revision++;
    net.updatedAt = isoZ();
    return ok(200, { network: networkView(net) });
  }
  if (method === 'DELETE') {
    if (!owner) return err(404, 'NetworkNotFound', `Network ${id} could not be found.`);
    const inUse = [...state.ports.values()].some((p) => p.networkId === net.id);
    if (inUse)
      return err(
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${net.id}. There are one or more ports still in use on the network.`,
      );
    for (const s of net.subnets) state.subnets.delete(s);
    state.networks.delete(net.id);
    return ok(204, undefined);
  }
  err(405, 'HTTPMethodNotAllowed', 'The server could not comply with the request.');
}

function subnets(
  state: MockState,
  ctx: RequestContext,
  method: string,
  id: string | undefined,
  body: Obj,
  query: URLSearchParams,
  ok: Ok,
  err: Err,
): void {
  const visible = (s: Subnet): boolean => {
    const net = state.networks.get(s.networkId);
    return !!net && state.networkVisible(net, ctx);
  };
  if (!id && method === 'GET') {
    ok(200, { subnets: applyFilters([...state.subnets.values()].filter(visible).map(subnetView), query) });
    return;
  }
  if (!id && method === 'POST') {
    const spec = isObj(body.subnet) ? body.subnet : undefined;
    if (!spec) return err(400, 'HTTPBadRequest', 'Resource body required');
    const net = typeof spec.network_id === 'string' ? state.networks.get(spec.network_id) : undefined;
    if (!net || !(ctx.isAdmin || net.projectId === ctx.projectId))
      return err(404, 'NetworkNotFound', `Network ${String(spec.network_id)} could not be found.`);
    const cidr = typeof spec.cidr === 'string' ? spec.cidr : '';
    if (!/^\d+\.\d+\.\d+\.\d+\/(1[6-9]|2\d|30)$/.test(cidr) || spec.ip_version !== 4)
      return err(
        400,
        'HTTPBadRequest',
        `Invalid input for cidr. Reason: '${cidr}' is not a valid IPv4 subnet (this mock supports /16 to /30 IPv4 subnets).`,
      );
    return ok(201, { subnet: subnetView(state.addSubnet(net.id, String(spec.name ?? ''), cidr)) });
  }
  const s = id ? state.subnets.get(id) : undefined;
  if (!s || !visible(s)) return err(404, 'SubnetNotFound', `Subnet ${id} could not be found.`);
  if (method === 'GET') return ok(200, { subnet: subnetView(s) });
  err(405, 'HTTPMethodNotAllowed', 'The server could not comply with the request.');
}

function ports(
  state: MockState,
  ctx: RequestContext,
  method: string,
  id: string | undefined,
  body: Obj,
  query: URLSearchParams,
  ok: Ok,
  err: Err,
): void {
  if (!id && method === 'GET') {
    const list = [...state.ports.values()]
      .filter((p) => state.portVisible(p, ctx))
      .map((p) => portView(state, p, ctx));
    ok(200, { ports: applyFilters(list, query) });
    return;
  }
  if (!id && method === 'POST') {
    const spec = isObj(body.port) ? body.port : undefined;
    if (!spec) return err(400, 'HTTPBadRequest', 'Resource body required');
    if (typeof spec.network_id !== 'string')
      return err(
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'network_id' not specified",
      );
    const fixed = Array.isArray(spec.fixed_ips)
      ? spec.fixed_ips.filter(isObj).map((f) => ({
          ...(typeof f.ip_address === 'string' ? { ip_address: f.ip_address } : {}),
          ...(typeof f.subnet_id === 'string' ? { subnet_id: f.subnet_id } : {}),
        }))
      : undefined;
    const projectId =
      ctx.isAdmin && typeof (spec.project_id ?? spec.tenant_id) === 'string'
        ? String(spec.project_id ?? spec.tenant_id)
        : ctx.projectId;
    const created = state.createPort(ctx, {
      networkId: spec.network_id,
      projectId,
      ...(fixed ? { fixedIps: fixed } : {}),
      ...(typeof spec.name === 'string' ? { name: spec.name } : {}),
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
      ...(typeof spec.device_id === 'string' ? { deviceId: spec.device_id } : {}),
      ...(typeof spec.device_owner === 'string' ? { deviceOwner: spec.device_owner } : {}),
    });
    if (created instanceof NeutronFault) return err(created.status, created.type, created.message);
    ok(201, { port: portView(state, created, ctx) });
    return;
  }
  const p = id ? state.ports.get(id) : undefined;
  if (!p || !state.portVisible(p, ctx)) return err(404, 'PortNotFound', `Port ${id} could not be found.`);
  if (method === 'GET') return ok(200, { port: portView(state, p, ctx) });
  if (method === 'PUT') {
    const spec = isObj(body.port) ? body.port : {};
    if (typeof spec.name === 'string') p.name = spec.name;
    if (typeof spec.description === 'string') p.description = spec.description;
    // Clearing these is how a project member may delete a compute port under Neutron 29's policy.
    if (typeof spec.device_id === 'string' && spec.device_id !== p.deviceId) {
      state.servers.get(p.deviceId)?.vifTags.delete(p.id);
      p.deviceId = spec.device_id;
    }
    if (typeof spec.device_owner === 'string') p.deviceOwner = spec.device_owner;
    state.touch(p);
    return ok(200, { port: portView(state, p, ctx) });
  }
  if (method === 'DELETE') {
    // Neutron 29's delete_port: the member branch excludes compute:* ports, whatever device_id
    // holds; only admins and service tokens (Nova's own) may delete them.
    if (!state.profile.memberDeletesComputePorts && !ctx.isAdmin && p.deviceOwner.startsWith('compute:'))
      return err(403, 'PolicyNotAuthorized', 'rule:delete_port is disallowed by policy');
    const server = p.deviceId ? state.servers.get(p.deviceId) : undefined;
    server?.vifTags.delete(p.id);
    state.ports.delete(p.id);
    return ok(204, undefined);
  }
  err(405, 'HTTPMethodNotAllowed', 'The server could not comply with the request.');
}

function quotaBody(state: MockState, projectId: string): Obj {
  return {
    quota: {
      network: 100,
      subnet: 100,
      subnetpool: -1,
      port: state.portQuotaOf(projectId),
      router: 10,
      floatingip: 50,
      security_group: 10,
      security_group_rule: 100,
      rbac_policy: 10,
    },
  };
}

function quotas(
  state: MockState,
  ctx: RequestContext,
  method: string,
  id: string | undefined,
  body: Obj,
  ok: Ok,
  err: Err,
): void {
  if (!id) {
    if (!ctx.isAdmin) return err(403, 'PolicyNotAuthorized', 'rule:get_quota is disallowed by policy');
    const list = [...state.portQuota.keys()].map((p) => ({
      ...(quotaBody(state, p).quota as Obj),
      project_id: p,
    }));
    return ok(200, { quotas: list });
  }
  if (method === 'GET') {
    if (!ctx.isAdmin && id !== ctx.projectId)
      return err(403, 'PolicyNotAuthorized', 'rule:get_quota is disallowed by policy');
    return ok(200, quotaBody(state, id));
  }
  if (!ctx.isAdmin) {
    const rule = method === 'PUT' ? 'update_quota' : 'delete_quota';
    return err(403, 'PolicyNotAuthorized', `rule:${rule} is disallowed by policy`);
  }
  if (method === 'PUT') {
    const q = isObj(body.quota) ? body.quota : undefined;
    if (!q) return err(400, 'HTTPBadRequest', 'Resource body required');
    if (q.port !== undefined) {
      const v = Number(q.port);
      if (!Number.isInteger(v) || v < -1)
        return err(
          400,
          'HTTPBadRequest',
          `Invalid input for port. Reason: '${String(q.port)}' is not an integer.`,
        );
      state.portQuota.set(id, v);
    }
    return ok(200, quotaBody(state, id));
  }
  if (method === 'DELETE') {
    state.portQuota.delete(id);
    return ok(204, undefined);
  }
  err(405, 'HTTPMethodNotAllowed', 'The server could not comply with the request.');
}
