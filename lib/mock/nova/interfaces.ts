// os-interface: nova/api/openstack/compute/attach_interfaces.py and the compute/network code it calls.
import { NeutronFault } from '../state.ts';
import type { InstanceAction, Port, Server } from '../types.ts';
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
import type { NovaFault } from './faults.ts';
import { badRequest, conflict, forbidden, notFound, unexpected } from './faults.ts';
import { atLeast } from './microversion.ts';
import { attachSchema, validate } from './validation.ts';

const RULE = 'os_compute_api:os-attach-interfaces';
const ATTACH_STATES = ['active', 'paused', 'stopped'];

function view(n: NovaRequest, port: Port, server: Server): Record<string, unknown> {
  if (port.status === 'DOWN') n.state.observed.portActive++;
  if (n.state.detaching.has(port.id)) n.state.observed.detach++;
  const out: Record<string, unknown> = {
    net_id: port.networkId,
    port_id: port.id,
    mac_addr: port.mac,
    port_state: port.status,
    fixed_ips: port.fixedIps.map((f) => ({ subnet_id: f.subnet_id, ip_address: f.ip_address })),
  };
  if (!n.legacyV2 && atLeast(n.version, '2.70')) out.tag = server.vifTags.get(port.id) ?? null;
  return out;
}

export function listInterfaces(n: NovaRequest): NovaResult {
  const server = getInstance(n, n.params.server_id ?? '');
  authorize(n, `${RULE}:list`, 'reader', server.projectId);
  // Neutron answers list_ports(device_id=...) sorted by port id; Nova keeps that order.
  const ports = [...n.state.ports.values()]
    .filter((p) => p.deviceId === server.id && n.state.portVisible(p, n.ctx))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { status: 200, body: { interfaceAttachments: ports.map((p) => view(n, p, server)) } };
}

export function showInterface(n: NovaRequest): NovaResult {
  const sid = n.params.server_id ?? '';
  const pid = n.params.port_id ?? '';
  const server = getInstance(n, sid);
  authorize(n, `${RULE}:show`, 'reader', server.projectId);
  const port = n.state.ports.get(pid);
  if (!port || !n.state.portVisible(port, n.ctx)) throw notFound(`Port id ${pid} could not be found.`);
  // Nova compares the port's device_id with the id exactly as written in the URL.
  if (port.deviceId !== sid) throw notFound(`Instance ${sid} does not have a port with id ${pid}`);
  return { status: 200, body: { interfaceAttachment: view(n, port, server) } };
}

type Attachment = { net_id?: string; port_id?: string; tag?: string; fixed_ips?: { ip_address?: string }[] };

function validateAttachBody(n: NovaRequest): string | undefined {
  const withTag = !n.legacyV2 && atLeast(n.version, '2.49');
  return validate(attachSchema(withTag), n.body, n.legacyV2);
}

/** Ends the compute event in Error (as nova-compute records it) and answers the fault. */
function fail(
  record: InstanceAction,
  ev: InstanceAction['events'][number],
  fault: NovaFault,
  exception: string,
): never {
  finishEvent(record, ev, { details: fault.message, exception });
  throw fault;
}

export function createInterface(n: NovaRequest): NovaResult {
  const sid = n.params.server_id ?? '';
  const detail = validateAttachBody(n);
  if (detail !== undefined) throw badRequest(detail);
  const server = getInstance(n, sid);
  authorize(n, `${RULE}:create`, 'member', server.projectId);
  const body = n.body as { interfaceAttachment?: Attachment } | null;
  // The controller only looks inside a truthy body: `{}` means "no network requested".
  const att: Attachment = body && Object.keys(body).length > 0 ? (body.interfaceAttachment ?? {}) : {};
  const netId = att.net_id || undefined;
  const portId = att.port_id || undefined;
  const reqIp = att.fixed_ips?.[0]?.ip_address || undefined;
  if (netId && portId) throw badRequest('Must not input both network_id and port_id');
  if (reqIp && !netId) throw badRequest('Must input network_id when request IP address');
  checkLock(n, server);
  checkState(server, 'attach_interface', sid, ATTACH_STATES);

  const record = recordAction(n, server, 'attach_interface');
  const { state, ctx } = n;
  if (portId) {
    const port = state.ports.get(portId);
    if (!port || !state.portVisible(port, ctx)) throw notFound(`Port id ${portId} could not be found.`);
  }
  // From here on the work happens in nova-compute (a synchronous RPC call), which records an event.
  const ev = startEvent(record, 'compute_attach_interface');
  let port: Port;
  if (portId) {
    const p = state.ports.get(portId);
    if (!p)
      return fail(
        record,
        ev,
        notFound(`Port id ${portId} could not be found.`),
        'nova.exception.PortNotFound',
      );
    if (p.projectId !== server.projectId)
      return fail(
        record,
        ev,
        badRequest(`Port ${portId} not usable for instance ${server.id}.`),
        'nova.exception.PortNotUsable',
      );
    if (p.deviceId)
      return fail(record, ev, conflict(`Port ${portId} is still in use.`), 'nova.exception.PortInUse');
    port = p;
  } else {
    let networkId = netId;
    if (networkId) {
      const net = state.networks.get(networkId);
      // Zed: neutronclient's NetworkNotFoundClient crosses RPC unmapped, so the API answers 500.
      if (!net || !state.networkVisible(net, ctx))
        return fail(
          record,
          ev,
          unexpected(state.profile, 'oslo_messaging.rpc.client.RemoteError'),
          'NetworkNotFoundClient',
        );
    } else {
      const available = [...state.networks.values()].filter(
        (x) => ((x.projectId === server.projectId && !x.shared) || x.shared) && state.networkVisible(x, ctx),
      );
      if (available.length === 0)
        return fail(
          record,
          ev,
          badRequest(
            `No specific network was requested and none are available for project '${server.projectId}'.`,
          ),
          'nova.exception.InterfaceAttachFailedNoNetwork',
        );
      if (available.length > 1)
        return fail(
          record,
          ev,
          badRequest('Multiple possible networks found, use a Network ID to be more specific.'),
          'nova.exception.NetworkAmbiguous',
        );
      networkId = available[0]?.id ?? '';
    }
    const net = state.networks.get(networkId);
    if (net && net.external && !net.shared && !ctx.isAdmin)
      return fail(
        record,
        ev,
        forbidden(`It is not allowed to create an interface on external network ${networkId}`),
        'nova.exception.ExternalNetworkAttachForbidden',
      );
    const created = state.createPort(ctx, {
      networkId,
      projectId: server.projectId,
      ...(reqIp ? { fixedIps: [{ ip_address: reqIp }] } : {}),
      deviceId: server.id,
      deviceOwner: 'compute:nova',
      createdByNova: true,
    });
    if (created instanceof NeutronFault) {
      if (created.type === 'IpAddressAlreadyAllocated')
        return fail(
          record,
          ev,
          conflict(`Fixed IP ${reqIp ?? ''} is already in use.`),
          'nova.exception.FixedIpAlreadyInUse',
        );
      if (created.type === 'OverQuota')
        return fail(
          record,
          ev,
          forbidden('Maximum number of ports exceeded'),
          'nova.exception.PortLimitExceeded',
        );
      if (created.type === 'IpAddressGenerationFailure')
        return fail(
          record,
          ev,
          badRequest(`No fixed IP addresses available for network: ${networkId}`),
          'nova.exception.NoMoreFixedIps',
        );
      if (created.type === 'InvalidInput')
        return fail(
          record,
          ev,
          unexpected(state.profile, 'nova.exception_Remote.InvalidInput_Remote'),
          'InvalidInput',
        );
      return fail(
        record,
        ev,
        unexpected(state.profile, 'oslo_messaging.rpc.client.RemoteError'),
        created.type,
      );
    }
    port = created;
  }
  state.bindPort(port, server.id);
  server.vifTags.set(port.id, att.tag ?? null);
  finishEvent(record, ev);
  return { status: 200, body: { interfaceAttachment: view(n, port, server) } };
}

export function deleteInterface(n: NovaRequest): NovaResult {
  const sid = n.params.server_id ?? '';
  const pid = n.params.port_id ?? '';
  const server = getInstance(n, sid);
  authorize(n, `${RULE}:delete`, 'member', server.projectId);
  checkLock(n, server);
  checkState(server, 'detach_interface', sid, ATTACH_STATES);
  const record = recordAction(n, server, 'detach_interface');
  const ev = startEvent(record, 'compute_detach_interface');
  const { state } = n;
  // The API casts to nova-compute and answers 202 whatever the port is; failures land in the event.
  state.detaching.add(pid);
  state.schedule(state.delays.detach, () => {
    state.detaching.delete(pid);
    const port = state.ports.get(pid);
    if (!port || port.deviceId !== server.id) {
      finishEvent(record, ev, {
        details: `Port ${pid} is not attached`,
        exception: 'nova.exception.PortNotFound',
      });
      return;
    }
    state.releasePort(port, server);
    finishEvent(record, ev);
  });
  return { status: 202 };
}
