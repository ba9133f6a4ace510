import { randomUUID } from 'node:crypto';
import { expectInterfaceBody, expectThat, fail } from '../../lib/harness/expect.ts';
import type { CallOptions, Fixtures } from '../../lib/harness/fixtures.ts';
import { LIST_STEP, readPortIds } from '../../lib/harness/interfaces.ts';
import { waitFor } from '../../lib/harness/wait.ts';
import { EVERY_PART, owning, type Part } from './ownership.ts';
import type { Exchange } from '../../lib/openstack/http.ts';
import type { Port } from '../../lib/openstack/network.ts';
import type { Attachment, FixedIp, ListBody, ShowBody } from '../../lib/harness/bodies.ts';

// The bodies' types come from the schemas (lib/harness/bodies.ts); the suites take them from here.
export type { Attachment, FixedIp, ListBody, ShowBody } from '../../lib/harness/bodies.ts';

/** The keys Nova puts in every attachment before 2.70 (2.70 adds `tag`). */
export const BASE_KEYS = ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state'] as const;

export function randomId(): string {
  return randomUUID();
}

export function keysOf(value: object): string[] {
  return Object.keys(value).sort();
}

function fixedIpKey(ip: FixedIp): string {
  return `${ip.subnet_id}/${ip.ip_address}`;
}

/** Same addresses on the same subnets, in any order (Nova passes Neutron's list through). */
export function sameFixedIps(a: readonly FixedIp[], b: readonly FixedIp[]): boolean {
  const left = a.map(fixedIpKey).sort();
  const right = b.map(fixedIpKey).sort();
  return left.length === right.length && left.every((key, i) => key === right[i]);
}

/**
 * The list answer, checked against the schema of the effective microversion for the parts the
 * check owns (suites/support/ownership.ts). A check that does not own the envelope needs it all
 * the same to read on: a broken one blocks it.
 */
export async function listAttachments(
  fx: Fixtures,
  serverId: string,
  microversion?: string,
  owns: readonly Part[] = EVERY_PART,
  options: CallOptions = microversion !== undefined ? { microversion } : {},
): Promise<{ exchange: Exchange; attachments: readonly Attachment[] }> {
  const exchange = await fx.list(serverId, options);
  if (!owns.includes('envelope'))
    await fx.prerequisite('the list answers 200 with an interfaceAttachments array', async () => {
      const items = (exchange.json as { interfaceAttachments?: unknown } | undefined)?.interfaceAttachments;
      if (
        exchange.status !== 200 ||
        !Array.isArray(items) ||
        !items.every((i) => typeof i === 'object' && i !== null)
      )
        fail(exchange, 'status 200 with an interfaceAttachments array of objects');
    });
  const body = expectInterfaceBody<ListBody>(
    exchange,
    'list',
    200,
    fx.effective(microversion),
    owning(...owns),
  );
  return { exchange, attachments: body.interfaceAttachments };
}

/** The show answer of an attached port, checked as listAttachments checks the list. */
export async function showAttachment(
  fx: Fixtures,
  serverId: string,
  portId: string,
  microversion?: string,
  owns: readonly Part[] = EVERY_PART,
  options: CallOptions = microversion !== undefined ? { microversion } : {},
): Promise<{ exchange: Exchange; attachment: Attachment }> {
  const exchange = await fx.show(serverId, portId, options);
  if (!owns.includes('envelope'))
    await fx.prerequisite('the show answers 200 with an interfaceAttachment object', async () => {
      const item = (exchange.json as { interfaceAttachment?: unknown } | undefined)?.interfaceAttachment;
      if (exchange.status !== 200 || typeof item !== 'object' || item === null)
        fail(exchange, 'status 200 with an interfaceAttachment object');
    });
  const body = expectInterfaceBody<ShowBody>(
    exchange,
    'show',
    200,
    fx.effective(microversion),
    owning(...owns),
  );
  return { exchange, attachment: body.interfaceAttachment };
}

/** What Neutron says is plugged into the server (Nova's list is built from this query). */
export function neutronPortsOf(fx: Fixtures, serverId: string): Promise<Port[]> {
  return fx.prerequisite("list Neutron's ports of a server", async () => {
    const got = await fx.neutron('GET', `/ports?device_id=${serverId}`);
    if (got.status !== 200) fail(got, 'Neutron to list the ports of the server');
    return (got.json as { ports: Port[] }).ports;
  });
}

/**
 * The server's interface list read for port ids only, for checks about something else (an
 * attach, a refusal): the list's full shape is the LIST checks' to judge.
 */
export function listedPortIds(
  fx: Fixtures,
  serverId: string,
): Promise<{ exchange: Exchange; ids: string[] }> {
  return fx.prerequisite(LIST_STEP, () => readPortIds(fx, serverId));
}

/** The list's elements without judging their shape (that is LIST's), for checks that compare with them. */
export async function listedElements(
  fx: Fixtures,
  serverId: string,
): Promise<{ exchange: Exchange; attachments: readonly Attachment[] }> {
  const { exchange } = await listedPortIds(fx, serverId);
  return { exchange, attachments: (exchange.json as ListBody).interfaceAttachments };
}

/** The port is in the server's interface list exactly once (read as listedPortIds does). */
export async function expectListedOnce(fx: Fixtures, serverId: string, portId: string): Promise<void> {
  const { exchange, ids } = await listedPortIds(fx, serverId);
  const found = ids.filter((id) => id === portId).length;
  expectThat(found === 1, exchange, `port ${portId} listed exactly once (found ${found})`);
}

/** The element for a port in a list answer, which must be there exactly once. */
export function onlyElementFor(
  attachments: readonly Attachment[],
  portId: string,
  exchange: Exchange,
): Attachment {
  const matches = attachments.filter((a) => a.port_id === portId);
  expectThat(matches.length === 1, exchange, `port ${portId} listed exactly once (found ${matches.length})`);
  return matches[0] as Attachment;
}

/**
 * Checks that the server has exactly the interfaces it had before (`baseline`), in Nova's list
 * and in Neutron: a refused request must leave nothing behind. The list is read for its port ids
 * only: its full shape is the LIST checks' to judge.
 */
export async function expectUnchangedInterfaces(
  fx: Fixtures,
  serverId: string,
  baseline: ReadonlySet<string>,
  because: string,
): Promise<void> {
  const { exchange, ids: listed } = await listedPortIds(fx, serverId);
  const extra = listed.filter((id) => !baseline.has(id));
  const missing = [...baseline].filter((id) => !listed.includes(id));
  expectThat(
    extra.length === 0 && missing.length === 0,
    exchange,
    `the interface list unchanged ${because} (new: ${extra.join(', ') || 'none'}; gone: ${missing.join(', ') || 'none'})`,
  );
  const plugged = (await neutronPortsOf(fx, serverId)).map((p) => p.id).filter((id) => !baseline.has(id));
  expectThat(
    plugged.length === 0,
    exchange,
    `no new Neutron port bound to the server ${because} (found ${plugged.join(', ')})`,
  );
}

/** Polls show until Nova reports the port ACTIVE; every answer is schema-checked. */
export async function waitForPortActive(
  fx: Fixtures,
  serverId: string,
  portId: string,
  microversion?: string,
  owns: readonly Part[] = ['port_state'],
): Promise<Attachment> {
  const { value } = await waitFor(
    async () => {
      const { attachment } = await showAttachment(fx, serverId, portId, microversion, owns);
      return attachment.port_state === 'ACTIVE'
        ? { done: true, value: attachment }
        : { done: false, state: `port_state ${attachment.port_state}` };
    },
    {
      what: `port ${portId} on server ${serverId} to reach port_state ACTIVE`,
      timeoutMs: fx.config.waitTimeoutMs,
      intervalMs: fx.config.pollIntervalMs,
    },
  );
  return value;
}

/**
 * Creates a port and attaches it by port_id; the attach must answer 200 with a body valid in the
 * parts the check owns.
 */
export async function attachNewPort(
  fx: Fixtures,
  serverId: string,
  purpose: string,
  options: { microversion?: string; tag?: string; owns?: readonly Part[] } = {},
): Promise<{ port: Port; exchange: Exchange; attachment: Attachment }> {
  const port = await fx.createPort(purpose);
  const exchange = await fx.attach(
    serverId,
    { interfaceAttachment: { port_id: port.id, ...(options.tag !== undefined && { tag: options.tag }) } },
    options.microversion !== undefined ? { microversion: options.microversion } : {},
  );
  const body = expectInterfaceBody<ShowBody>(
    exchange,
    'show',
    200,
    fx.effective(options.microversion),
    owning(...(options.owns ?? EVERY_PART)),
  );
  expectThat(
    body.interfaceAttachment.port_id === port.id,
    exchange,
    `the attach answer to name the port that was attached (${port.id})`,
  );
  return { port, exchange, attachment: body.interfaceAttachment };
}

/**
 * An attached port for a check that is about something else: the attach, and the port showing in
 * the list, are a prerequisite, so a deviating attach blocks the check (and fails ATTACH's own
 * checks) instead of failing it.
 */
export function attachedPort(
  fx: Fixtures,
  serverId: string,
  purpose: string,
  options: { microversion?: string; tag?: string } = {},
): Promise<{ port: Port; exchange: Exchange; attachment: Attachment }> {
  return fx.prerequisite(
    'attach a new port by port_id (200, the show body of that port, then listed)',
    async () => {
      const attached = await attachNewPort(fx, serverId, purpose, options);
      await fx.waitUntilListed(serverId, attached.port.id);
      return attached;
    },
  );
}

/** The port an attach made shows in the list: a prerequisite of checks about something else. */
export function listedAfterAttach(fx: Fixtures, serverId: string, portId: string): Promise<void> {
  return fx.prerequisite('an attached port shows in the interface list', () =>
    fx.waitUntilListed(serverId, portId),
  );
}

// ---- instance actions -------------------------------------------------------------------------

export interface ActionEvent {
  readonly event: string;
  readonly start_time: string | null;
  readonly finish_time: string | null;
  readonly result: string | null;
  readonly details?: string | null;
}

export interface InstanceAction {
  readonly action: string;
  readonly instance_uuid: string;
  readonly request_id: string;
  readonly events: readonly ActionEvent[];
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/**
 * The shape of `GET /servers/{id}/os-instance-actions/{request_id}` at 2.51+ (events visible to the
 * owner). There is no project schema for it; the fields the suites read are checked here.
 */
function expectInstanceAction(exchange: Exchange): InstanceAction {
  if (exchange.status !== 200) fail(exchange, 'status 200 for the instance action');
  const action = (exchange.json as { instanceAction?: unknown } | undefined)?.instanceAction;
  if (typeof action !== 'object' || action === null) fail(exchange, 'a body with an instanceAction object');
  const a = action as Record<string, unknown>;
  for (const key of ['action', 'instance_uuid', 'request_id'] as const) {
    if (!isString(a[key])) fail(exchange, `instanceAction.${key} to be a string`);
  }
  if (!Array.isArray(a['events']))
    fail(exchange, 'instanceAction.events to be an array (microversion 2.51+)');
  for (const event of a['events'] as unknown[]) {
    const e = event as Record<string, unknown> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      !isString(e['event']) ||
      !isStringOrNull(e['start_time']) ||
      !isStringOrNull(e['finish_time']) ||
      !isStringOrNull(e['result']) ||
      ('details' in e && !isStringOrNull(e['details']))
    )
      fail(exchange, 'every event to have string event and string-or-null start_time, finish_time, result');
  }
  return action as unknown as InstanceAction;
}

/** Polls the instance action of a request until its event has a result. */
export async function waitForActionEvent(
  fx: Fixtures,
  serverId: string,
  requestId: string,
  eventName: string,
  microversion?: string,
): Promise<{ exchange: Exchange; action: InstanceAction; event: ActionEvent }> {
  const { value } = await waitFor(
    async () => {
      const exchange =
        microversion === undefined
          ? await fx.instanceAction(serverId, requestId)
          : await fx.call('GET', `/servers/${serverId}/os-instance-actions/${requestId}`, { microversion });
      const action = expectInstanceAction(exchange);
      const event = action.events.find((e) => e.event === eventName);
      return event !== undefined && event.result !== null && event.finish_time !== null
        ? { done: true, value: { exchange, action, event } }
        : {
            done: false,
            state: event === undefined ? `no ${eventName} event yet` : `${eventName} not finished`,
          };
    },
    {
      what: `the ${eventName} event of request ${requestId} on server ${serverId} to finish`,
      timeoutMs: fx.config.waitTimeoutMs,
      intervalMs: fx.config.pollIntervalMs,
    },
  );
  return value;
}

/** The IPv4 address of a port on a given subnet. */
export function ipOn(port: Port, subnetId: string): string {
  const ip = port.fixed_ips.find((f) => f.subnet_id === subnetId);
  if (ip === undefined) throw new Error(`port ${port.id} has no address on subnet ${subnetId}`);
  return ip.ip_address;
}
