// Servers, server actions, flavors and os-instance-actions: enough of Nova to boot, drive and read
// back the servers os-interface works on.
import { createHash, randomBytes } from 'node:crypto';
import { COMPUTE_HOST, NeutronFault } from '../state.ts';
import type { Port, Server } from '../types.ts';
import { isoZ, isUuidLike, uuid } from '../util.ts';
import {
  authorize,
  checkLock,
  checkState,
  finishEvent,
  getInstance,
  type NovaRequest,
  type NovaResult,
  recordAction,
  startEvent,
} from './context.ts';
import { badRequest, conflict, notFound, NovaFault, policyDenied } from './faults.ts';
import { atLeast } from './microversion.ts';
import { checkServerQuota } from './quotas.ts';
import { serverCreateSchema, validate } from './validation.ts';

const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, SUSPENDED: 7 };

const STATUS_BY_VM_STATE: Record<string, string> = {
  active: 'ACTIVE',
  building: 'BUILD',
  stopped: 'SHUTOFF',
  paused: 'PAUSED',
  suspended: 'SUSPENDED',
  shelved: 'SHELVED',
  shelved_offloaded: 'SHELVED_OFFLOADED',
  error: 'ERROR',
  rescued: 'RESCUE',
  deleted: 'DELETED',
};

function status(s: Server): string {
  if (s.vmState === 'active' && s.taskState === 'rebooting') return 'REBOOT';
  if (s.vmState === 'active' && s.taskState === 'rebooting_hard') return 'HARD_REBOOT';
  return STATUS_BY_VM_STATE[s.vmState] ?? 'UNKNOWN';
}

function hostId(projectId: string): string {
  return createHash('sha224')
    .update(projectId + COMPUTE_HOST)
    .digest('hex');
}

function links(n: NovaRequest, kind: string, id: string): Record<string, string>[] {
  const base = n.endpoint.replace(/\/v2(\.1)?$/, '');
  return [
    { rel: 'self', href: `${n.endpoint}/${kind}/${id}` },
    { rel: 'bookmark', href: `${base}/${kind}/${id}` },
  ];
}

function serverPorts(n: NovaRequest, s: Server): Port[] {
  return [...n.state.ports.values()]
    .filter((p) => p.deviceId === s.id)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function serverView(n: NovaRequest, s: Server): Record<string, unknown> {
  if (s.vmState === 'building') n.state.observed.build++;
  else if (s.taskState !== null) n.state.observed.taskState++;
  const flavor = n.state.flavors.get(s.flavorId);
  const addresses: Record<string, unknown[]> = {};
  for (const p of serverPorts(n, s)) {
    const net = n.state.networks.get(p.networkId);
    const list = (addresses[net?.name ?? p.networkId] ??= []);
    for (const f of p.fixedIps)
      list.push({
        version: f.ip_address.includes(':') ? 6 : 4,
        addr: f.ip_address,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': p.mac,
      });
  }
  const v = n.version;
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: status(s),
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: s.hostId,
    image: { id: s.imageId, links: [links(n, 'images', s.imageId)[1]] },
    flavor: atLeast(v, '2.47')
      ? {
          vcpus: flavor?.vcpus ?? 0,
          ram: flavor?.ram ?? 0,
          disk: flavor?.disk ?? 0,
          ephemeral: 0,
          swap: 0,
          original_name: flavor?.name ?? '',
          extra_specs: {},
        }
      : { id: s.flavorId, links: [links(n, 'flavors', s.flavorId)[1]] },
    created: s.createdAt,
    updated: s.updatedAt,
    addresses,
    accessIPv4: '',
    accessIPv6: '',
    links: links(n, 'servers', s.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: 0,
    'OS-EXT-AZ:availability_zone': s.launchedAt ? 'nova' : '',
    config_drive: '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt,
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
  };
  if (n.ctx.isAdmin) {
    out['OS-EXT-SRV-ATTR:host'] = s.launchedAt ? COMPUTE_HOST : null;
    out['OS-EXT-SRV-ATTR:instance_name'] = `instance-${s.id.slice(0, 8)}`;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = s.launchedAt ? COMPUTE_HOST : null;
  }
  if (atLeast(v, '2.9')) out.locked = s.locked;
  if (atLeast(v, '2.19')) out.description = s.description;
  if (atLeast(v, '2.26')) out.tags = [];
  if (atLeast(v, '2.63')) out.trusted_image_certificates = null;
  if (atLeast(v, '2.71')) out.server_groups = [];
  if (atLeast(v, '2.73')) out.locked_reason = s.lockedReason;
  return out;
}

function visibleServers(n: NovaRequest): Server[] {
  const q = n.req.query;
  const allTenants = n.ctx.isAdmin && q.has('all_tenants') && q.get('all_tenants') !== 'False';
  let list = [...n.state.servers.values()].filter(
    (s) => !s.deleted && (allTenants || s.projectId === n.ctx.projectId),
  );
  const name = q.get('name');
  if (name !== null) {
    // Nova applies the name filter as a regular expression search.
    let re: RegExp;
    try {
      re = new RegExp(name);
    } catch {
      re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
    list = list.filter((s) => re.test(s.name));
  }
  const st = q.get('status');
  if (st !== null) list = list.filter((s) => status(s) === st.toUpperCase());
  return list.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

export function listServers(n: NovaRequest): NovaResult {
  return {
    status: 200,
    body: {
      servers: visibleServers(n).map((s) => ({ id: s.id, links: links(n, 'servers', s.id), name: s.name })),
    },
  };
}

export function listServersDetail(n: NovaRequest): NovaResult {
  return { status: 200, body: { servers: visibleServers(n).map((s) => serverView(n, s)) } };
}

export function showServer(n: NovaRequest): NovaResult {
  const s = getInstance(n, n.params.server_id ?? '');
  return { status: 200, body: { server: serverView(n, s) } };
}

export function updateServer(n: NovaRequest): NovaResult {
  const detail = validate(
    {
      type: 'object',
      properties: {
        server: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 255 },
            description: { type: ['string', 'null'] },
          },
          additionalProperties: false,
        },
      },
      required: ['server'],
      additionalProperties: false,
    },
    n.body,
    n.legacyV2,
  );
  if (detail !== undefined) throw badRequest(detail);
  const s = getInstance(n, n.params.server_id ?? '');
  authorize(n, 'os_compute_api:servers:update', 'member', s.projectId);
  const upd = (n.body as { server: { name?: string; description?: string | null } }).server;
  if (upd.name !== undefined) s.name = upd.name;
  if (upd.description !== undefined) s.description = upd.description;
  s.updatedAt = isoZ();
  return { status: 200, body: { server: serverView(n, s) } };
}

interface NetRequest {
  uuid?: string;
  port?: string | null;
  fixed_ip?: string;
  tag?: string;
}

export function createServer(n: NovaRequest): NovaResult {
  const legacy = n.legacyV2;
  const detail = validate(
    serverCreateSchema(!legacy && atLeast(n.version, '2.37'), !legacy && atLeast(n.version, '2.42')),
    n.body,
    legacy,
  );
  if (detail !== undefined) throw badRequest(detail);
  const { state, ctx } = n;
  if (state.profile.newPolicyDefaults && !ctx.isAdmin && !ctx.roles.includes('member'))
    throw policyDenied('os_compute_api:servers:create');
  const req = (n.body as { server: Record<string, unknown> }).server;
  const flavorRef = String(req.flavorRef).replace(/^.*\//, '');
  if (!state.flavors.has(flavorRef)) throw badRequest('Invalid flavorRef provided.');
  const imageRef = typeof req.imageRef === 'string' ? req.imageRef.replace(/^.*\//, '') : '';
  if (!imageRef) throw badRequest('Missing imageRef attribute');
  if (!isUuidLike(imageRef)) throw badRequest('Invalid imageRef provided.');
  if (!state.images.has(imageRef)) throw badRequest(`Image ${imageRef} could not be found.`);

  // Resolve the requested networks the way compute.api validates them before scheduling.
  const networks = req.networks as NetRequest[] | 'none' | 'auto' | undefined;
  const plan: { port?: Port; networkId?: string; ip?: string; tag: string | null }[] = [];
  if (Array.isArray(networks)) {
    for (const r of networks) {
      if (r.port) {
        const p = state.ports.get(r.port);
        if (!p || !state.portVisible(p, ctx)) throw badRequest(`Port id ${r.port} could not be found.`);
        if (p.deviceId) throw conflict(`Port ${r.port} is still in use.`);
        plan.push({ port: p, tag: r.tag ?? null });
      } else {
        const id = r.uuid ?? '';
        if (!isUuidLike(id))
          throw badRequest(`Bad networks format: network uuid is not in proper format (${id})`);
        const net = state.networks.get(id);
        if (!net || !state.networkVisible(net, ctx)) throw badRequest(`Network ${id} could not be found.`);
        if (net.external && !net.shared && !ctx.isAdmin)
          throw new NovaFault(403, `It is not allowed to create an interface on external network ${id}`);
        plan.push({ networkId: id, ...(r.fixed_ip ? { ip: r.fixed_ip } : {}), tag: r.tag ?? null });
      }
    }
  } else if (networks !== 'none') {
    const available = [...state.networks.values()].filter(
      (x) => (x.projectId === ctx.projectId && !x.shared) || x.shared,
    );
    if (available.length > 1)
      throw conflict('Multiple possible networks found, use a Network ID to be more specific.');
    if (available.length === 1) plan.push({ networkId: available[0]?.id ?? '', tag: null });
    else if (networks === 'auto')
      throw badRequest(`Unable to automatically allocate a network for project ${ctx.projectId}`);
  }

  checkServerQuota(n, flavorRef);

  const now = isoZ();
  const server: Server = {
    id: uuid(),
    name: String(req.name),
    projectId: ctx.projectId,
    userId: ctx.userId,
    imageId: imageRef,
    flavorId: flavorRef,
    vmState: 'building',
    taskState: 'scheduling',
    powerState: POWER.NOSTATE,
    createdAt: now,
    updatedAt: now,
    launchedAt: null,
    locked: false,
    lockedBy: null,
    lockedReason: null,
    vifTags: new Map(),
    actions: [],
    deleted: false,
    hostId: hostId(ctx.projectId),
    description: typeof req.description === 'string' ? req.description : null,
    metadata: (req.metadata as Record<string, string> | undefined) ?? {},
    keyName: typeof req.key_name === 'string' ? req.key_name : null,
  };
  for (const item of plan) {
    let port = item.port;
    if (!port) {
      const created = state.createPort(ctx, {
        networkId: item.networkId ?? '',
        ...(item.ip ? { fixedIps: [{ ip_address: item.ip }] } : {}),
        deviceId: server.id,
        deviceOwner: 'compute:nova',
        createdByNova: true,
      });
      if (created instanceof NeutronFault) {
        if (created.type === 'IpAddressAlreadyAllocated')
          throw conflict(`Fixed IP address ${item.ip} is already in use on instance ${server.id}.`);
        if (created.type === 'OverQuota') throw new NovaFault(403, 'Maximum number of ports exceeded');
        throw badRequest(created.message);
      }
      port = created;
    }
    state.bindPort(port, server.id);
    server.vifTags.set(port.id, item.tag);
  }
  state.servers.set(server.id, server);
  const record = recordAction(n, server, 'create');
  const ev = startEvent(record, 'compute_build_and_run_instance');
  server.taskState = 'spawning';
  state.schedule(state.delays.build, () => {
    if (server.deleted) return;
    server.vmState = 'active';
    server.taskState = null;
    server.powerState = POWER.RUNNING;
    server.launchedAt = `${new Date().toISOString().slice(0, 23)}000`;
    server.updatedAt = isoZ();
    finishEvent(record, ev);
  });
  const adminPass = randomBytes(9).toString('base64url');
  return {
    status: 202,
    headers: [['Location', `${n.endpoint}/servers/${server.id}`]],
    body: {
      server: {
        id: server.id,
        links: links(n, 'servers', server.id),
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: [{ name: 'default' }],
        adminPass,
      },
    },
  };
}

export function deleteServer(n: NovaRequest): NovaResult {
  const s = getInstance(n, n.params.server_id ?? '');
  authorize(n, 'os_compute_api:servers:delete', 'member', s.projectId);
  checkLock(n, s);
  recordAction(n, s, 'delete');
  s.taskState = 'deleting';
  const { state } = n;
  state.schedule(state.delays.detach, () => {
    for (const p of [...state.ports.values()]) if (p.deviceId === s.id) state.releasePort(p, s);
    s.deleted = true;
    s.vmState = 'deleted';
    s.taskState = null;
  });
  return { status: 204 };
}

interface Transition {
  nova: string;
  from: string[];
  task: string;
  to: string;
  power: number;
  action: string;
}

const TRANSITIONS: Record<string, Transition> = {
  suspend: {
    nova: 'suspend',
    from: ['active'],
    task: 'suspending',
    to: 'suspended',
    power: POWER.SUSPENDED,
    action: 'suspend',
  },
  resume: {
    nova: 'resume',
    from: ['suspended'],
    task: 'resuming',
    to: 'active',
    power: POWER.RUNNING,
    action: 'resume',
  },
  pause: {
    nova: 'pause',
    from: ['active'],
    task: 'pausing',
    to: 'paused',
    power: POWER.PAUSED,
    action: 'pause',
  },
  unpause: {
    nova: 'unpause',
    from: ['paused'],
    task: 'unpausing',
    to: 'active',
    power: POWER.RUNNING,
    action: 'unpause',
  },
  'os-stop': {
    nova: 'stop',
    from: ['active', 'error'],
    task: 'powering-off',
    to: 'stopped',
    power: POWER.SHUTDOWN,
    action: 'stop',
  },
  'os-start': {
    nova: 'start',
    from: ['stopped'],
    task: 'powering-on',
    to: 'active',
    power: POWER.RUNNING,
    action: 'start',
  },
  shelve: {
    nova: 'shelve',
    from: ['active', 'stopped', 'paused', 'suspended'],
    task: 'shelving',
    to: 'shelved_offloaded',
    power: POWER.SHUTDOWN,
    action: 'shelve',
  },
  shelveOffload: {
    nova: 'shelve_offload',
    from: ['shelved'],
    task: 'shelving_offloading',
    to: 'shelved_offloaded',
    power: POWER.SHUTDOWN,
    action: 'shelveOffload',
  },
  unshelve: {
    nova: 'unshelve',
    from: ['shelved', 'shelved_offloaded'],
    task: 'unshelving',
    to: 'active',
    power: POWER.RUNNING,
    action: 'unshelve',
  },
};

export const SERVER_ACTIONS = new Set([...Object.keys(TRANSITIONS), 'lock', 'unlock', 'reboot']);

/** The policy each action checks; all are project_member_or_admin under the new defaults. */
const ACTION_RULES: Record<string, string> = {
  lock: 'os_compute_api:os-lock-server:lock',
  unlock: 'os_compute_api:os-lock-server:unlock',
  reboot: 'os_compute_api:servers:reboot',
  'os-start': 'os_compute_api:servers:start',
  'os-stop': 'os_compute_api:servers:stop',
  pause: 'os_compute_api:os-pause-server:pause',
  unpause: 'os_compute_api:os-pause-server:unpause',
  suspend: 'os_compute_api:os-suspend-server:suspend',
  resume: 'os_compute_api:os-suspend-server:resume',
  shelve: 'os_compute_api:os-shelve:shelve',
  unshelve: 'os_compute_api:os-shelve:unshelve',
};

export function serverAction(n: NovaRequest, action: string): NovaResult {
  const sid = n.params.server_id ?? '';
  const body = n.body as Record<string, unknown>;
  if (action === 'reboot') {
    const detail = validate(
      {
        type: 'object',
        properties: {
          reboot: {
            type: 'object',
            properties: { type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } },
            required: ['type'],
            additionalProperties: false,
          },
        },
        required: ['reboot'],
        additionalProperties: false,
      },
      body,
      n.legacyV2,
    );
    if (detail !== undefined) throw badRequest(detail);
  }
  const s = getInstance(n, sid);
  const rule = ACTION_RULES[action];
  if (rule !== undefined) authorize(n, rule, 'member', s.projectId);
  const { state } = n;
  if (action === 'lock') {
    const reason = (body.lock as { locked_reason?: string } | null)?.locked_reason ?? null;
    s.locked = true;
    s.lockedBy = n.ctx.projectId === s.projectId ? 'owner' : 'admin';
    s.lockedReason = reason;
    recordAction(n, s, 'lock');
    return { status: 202 };
  }
  if (action === 'unlock') {
    if (s.lockedBy === 'admin' && !n.ctx.isAdmin)
      throw policyDenied('os_compute_api:os-lock-server:unlock:unlock_override');
    s.locked = false;
    s.lockedBy = null;
    s.lockedReason = null;
    recordAction(n, s, 'unlock');
    return { status: 202 };
  }
  checkLock(n, s);
  if (action === 'reboot') {
    const hard = String((body.reboot as { type: string }).type).toUpperCase() === 'HARD';
    const allowed = hard ? ['active', 'stopped', 'paused', 'suspended', 'error'] : ['active'];
    checkState(s, 'reboot', sid, allowed, [null]);
    const record = recordAction(n, s, 'reboot');
    const ev = startEvent(record, 'compute_reboot_instance');
    s.taskState = hard ? 'rebooting_hard' : 'rebooting';
    state.schedule(state.delays.taskState, () => {
      s.vmState = 'active';
      s.taskState = null;
      s.powerState = POWER.RUNNING;
      s.updatedAt = isoZ();
      finishEvent(record, ev);
    });
    return { status: 202 };
  }
  const t = TRANSITIONS[action];
  if (!t) throw badRequest(`There is no such action: ${action}`);
  checkState(s, t.nova, sid, t.from, [null], t.nova !== 'unshelve' && t.nova !== 'shelve_offload');
  const record = recordAction(n, s, t.action);
  const ev = startEvent(record, `compute_${t.nova}_instance`);
  s.taskState = t.task;
  state.schedule(state.delays.taskState, () => {
    s.vmState = t.to;
    s.taskState = null;
    s.powerState = t.power;
    s.updatedAt = isoZ();
    finishEvent(record, ev);
  });
  return { status: 202 };
}

// ---- flavors ----

function flavorView(n: NovaRequest, id: string, detail: boolean): Record<string, unknown> {
  const f = n.state.flavors.get(id);
  if (!f) throw notFound(`Flavor ${id} could not be found.`);
  const out: Record<string, unknown> = { id: f.id, name: f.name };
  if (detail) {
    Object.assign(out, {
      ram: f.ram,
      disk: f.disk,
      swap: atLeast(n.version, '2.75') ? 0 : '',
      'OS-FLV-EXT-DATA:ephemeral': 0,
      'OS-FLV-DISABLED:disabled': false,
      vcpus: f.vcpus,
      'os-flavor-access:is_public': true,
      rxtx_factor: 1.0,
    });
  }
  out.links = links(n, 'flavors', f.id);
  if (atLeast(n.version, '2.55')) out.description = null;
  if (detail && atLeast(n.version, '2.61')) out.extra_specs = {};
  return out;
}

export function listFlavors(n: NovaRequest, detail: boolean): NovaResult {
  const ids = [...n.state.flavors.keys()];
  return { status: 200, body: { flavors: ids.map((id) => flavorView(n, id, detail)) } };
}

export function showFlavor(n: NovaRequest): NovaResult {
  return { status: 200, body: { flavor: flavorView(n, n.params.flavor_id ?? '', true) } };
}

/** The mock's flavors carry no extra specs; an unknown flavor is Nova's FlavorNotFound. */
export function listFlavorExtraSpecs(n: NovaRequest): NovaResult {
  const id = n.params.flavor_id ?? '';
  if (!n.state.flavors.has(id)) throw notFound(`Flavor ${id} could not be found.`);
  return { status: 200, body: { extra_specs: {} } };
}

// ---- os-instance-actions ----

function actionView(n: NovaRequest, s: Server, a: Server['actions'][number]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action,
    instance_uuid: s.id,
    request_id: a.requestId,
    user_id: a.userId,
    project_id: a.projectId,
    start_time: a.startTime,
    message: a.message,
  };
  if (atLeast(n.version, '2.58')) out.updated_at = a.updatedAt;
  return out;
}

export function listInstanceActions(n: NovaRequest): NovaResult {
  const s = getInstance(n, n.params.server_id ?? '');
  authorize(n, 'os_compute_api:os-instance-actions:list', 'reader', s.projectId);
  const list = [...s.actions].reverse().map((a) => actionView(n, s, a));
  return { status: 200, body: { instanceActions: list } };
}

export function showInstanceAction(n: NovaRequest): NovaResult {
  const s = getInstance(n, n.params.server_id ?? '');
  authorize(n, 'os_compute_api:os-instance-actions:show', 'reader', s.projectId);
  const rid = n.params.request_id ?? '';
  const a = s.actions.find((x) => x.requestId === rid);
  if (!a) throw notFound(`Action for request_id ${rid} on instance ${s.id} not found`);
  const out = actionView(n, s, a);
  const admin = n.ctx.isAdmin;
  // Since 2.51 non-admins see the events too, without tracebacks; hosts only for admins (2.62).
  if (admin || atLeast(n.version, '2.51')) {
    out.events = a.events.map((e) => {
      const ev: Record<string, unknown> = {
        event: e.event,
        start_time: e.startTime,
        finish_time: e.finishTime,
        result: e.result,
      };
      if (admin) ev.traceback = e.traceback;
      if (atLeast(n.version, '2.62')) {
        if (admin) ev.host = COMPUTE_HOST;
        ev.hostId = s.hostId;
      }
      // 2.84's details sit behind events:details, admin-only by default (a member sees none).
      if (admin && atLeast(n.version, '2.84')) ev.details = e.details;
      return ev;
    });
  }
  return { status: 200, body: { instanceAction: out } };
}
