import { describe, test, type AttachedServer, type LeasedServer } from '../lib/harness/check.ts';
import { expectInterfaceBody, expectStandardVersionHeader, expectThat } from '../lib/harness/expect.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { MICROVERSION, note, requireMicroversion, skipBecause } from '../lib/harness/outcomes.ts';
import type { Port } from '../lib/openstack/network.ts';
import { compareMicroversions } from '../lib/schema/validator.ts';
import { owning } from './support/ownership.ts';
import {
  attachedPort,
  listedAfterAttach,
  BASE_KEYS,
  keysOf,
  listAttachments,
  neutronPortsOf,
  onlyElementFor,
  sameFixedIps,
  waitForPortActive,
  type Attachment,
  type ListBody,
} from './support/attachments.ts';

/**
 * The interface a list check looks at: the run's shared one, one it attached itself (on a
 * configured server), or the configured server's own in a read-only run.
 */
interface Listed {
  readonly serverId: string;
  readonly portId: string;
  /** Whether the port was attached by the run, without a tag. */
  readonly ours: boolean;
}

async function listedInterface(
  fx: Fixtures,
  server: LeasedServer & Partial<Pick<AttachedServer, 'port'>>,
): Promise<Listed> {
  // Shared: attached, listed and ACTIVE already (lib/harness/shared-attachment.ts).
  if (server.port !== undefined) return { serverId: server.id, portId: server.port.id, ours: true };
  if (fx.config.readOnly) {
    const [portId] = server.baseline;
    if (portId === undefined)
      await skipBecause(fx, `read-only run and the configured server ${server.id} has no interface to list`);
    return { serverId: server.id, portId: portId as string, ours: false };
  }
  const { port } = await attachedPort(fx, server.id, 'list');
  // Settled state first, so that port_state can be compared with Neutron without a race.
  await fx.prerequisite('an attached port reaches port_state ACTIVE', () =>
    waitForPortActive(fx, server.id, port.id),
  );
  return { serverId: server.id, portId: port.id, ours: true };
}

/** Neutron's view of the port, read just before and just after Nova's answer. */
async function neutronAround<T>(
  fx: Fixtures,
  portId: string,
  read: () => Promise<T>,
): Promise<{ before: Port; result: T; after: Port }> {
  const before = await fx.showPort(portId);
  const result = await read();
  const after = await fx.showPort(portId);
  if (before === undefined || after === undefined)
    throw new Error(`Neutron lost port ${portId} during the test`);
  return { before, result, after };
}

describe('list (one interface attached)', () => {
  test('LIST-01 list without a version header: 200, each element has exactly the five keys and no tag', async ({
    fx,
    attachedServer: server,
  }) => {
    const listed = await listedInterface(fx, server);
    const got = await fx.list(listed.serverId);
    const body = expectInterfaceBody<ListBody>(got, 'list', 200, '2.1', owning('envelope', 'keys', 'tag'));
    expectThat(keysOf(body).join() === 'interfaceAttachments', got, 'exactly the key interfaceAttachments');
    for (const element of body.interfaceAttachments) {
      expectThat(
        keysOf(element).join() === [...BASE_KEYS].join(),
        got,
        `element ${element.port_id} to have exactly ${BASE_KEYS.join(', ')}`,
      );
    }
    onlyElementFor(body.interfaceAttachments, listed.portId, got);
  });

  test('LIST-02 list at 2.69: the same five keys, no tag', async ({ fx, attachedServer: server }) => {
    await requireMicroversion(fx, '2.69');
    const listed = await listedInterface(fx, server);
    const { exchange, attachments } = await listAttachments(fx, listed.serverId, '2.69', ['keys', 'tag']);
    for (const element of attachments) {
      expectThat(!('tag' in element), exchange, `no tag at 2.69 (element ${element.port_id})`);
      expectThat(
        keysOf(element).join() === [...BASE_KEYS].join(),
        exchange,
        `exactly ${BASE_KEYS.join(', ')}`,
      );
    }
    onlyElementFor(attachments, listed.portId, exchange);
  });

  test('LIST-03 list at 2.70: the five keys plus tag, null for a port attached without tag', async ({
    fx,
    attachedServer: server,
  }) => {
    await requireMicroversion(fx, '2.70');
    const listed = await listedInterface(fx, server);
    const { exchange, attachments } = await listAttachments(fx, listed.serverId, '2.70', ['keys', 'tag']);
    for (const element of attachments) {
      expectThat(
        keysOf(element).join() === [...BASE_KEYS, 'tag'].sort().join(),
        exchange,
        `element ${element.port_id} to have exactly ${BASE_KEYS.join(', ')} and tag`,
      );
    }
    const ours = onlyElementFor(attachments, listed.portId, exchange);
    if (listed.ours)
      expectThat(ours.tag === null, exchange, `tag null for port ${listed.portId} (attached without tag)`);
  });

  test('LIST-04 list at latest: tag present and OpenStack-API-Version names the server maximum', async ({
    fx,
    attachedServer: server,
  }) => {
    await requireMicroversion(fx, '2.70');
    const listed = await listedInterface(fx, server);
    const { exchange, attachments } = await listAttachments(fx, listed.serverId, 'latest', ['tag']);
    expectStandardVersionHeader(exchange, fx.s.versions.max);
    for (const element of attachments)
      expectThat('tag' in element, exchange, `tag present at latest (${element.port_id})`);
    onlyElementFor(attachments, listed.portId, exchange);
  });

  test('LIST-04 list at every configured microversion (CONFORMANCE_MICROVERSIONS) has that version’s shape and headers', async ({
    fx,
    attachedServer: server,
  }) => {
    const listed = await listedInterface(fx, server);
    const skipped: string[] = [];
    for (const requested of fx.config.microversions) {
      const effective = fx.effective(requested);
      if (compareMicroversions(effective, fx.s.versions.max) > 0) {
        skipped.push(requested);
        continue;
      }
      const { exchange, attachments } = await listAttachments(fx, listed.serverId, requested, ['tag']);
      expectStandardVersionHeader(exchange, effective);
      const tagged = compareMicroversions(effective, '2.70') >= 0;
      for (const element of attachments)
        expectThat(
          'tag' in element === tagged,
          exchange,
          `tag ${tagged ? 'present' : 'absent'} at ${effective}`,
        );
      onlyElementFor(attachments, listed.portId, exchange);
    }
    if (skipped.length > 0)
      await note(
        fx,
        `above the cloud's maximum ${fx.s.versions.max}, not checked: ${skipped.join(', ')}`,
        MICROVERSION,
      );
  });

  test('LIST-06 fixed_ips: an array of exactly ip_address and subnet_id, equal to the Neutron port', async ({
    fx,
    attachedServer: server,
  }) => {
    const listed = await listedInterface(fx, server);
    const { before, result, after } = await neutronAround(fx, listed.portId, () =>
      listAttachments(fx, listed.serverId, undefined, ['fixed_ips']),
    );
    const { exchange, attachments } = result;
    const element = onlyElementFor(attachments, listed.portId, exchange);
    expectThat(Array.isArray(element.fixed_ips), exchange, 'fixed_ips to be an array');
    for (const ip of element.fixed_ips) {
      expectThat(
        keysOf(ip).join() === 'ip_address,subnet_id',
        exchange,
        'each fixed_ips entry to have exactly ip_address and subnet_id',
      );
    }
    expectThat(
      sameFixedIps(element.fixed_ips, before.fixed_ips) || sameFixedIps(element.fixed_ips, after.fixed_ips),
      exchange,
      `fixed_ips equal to Neutron's ${JSON.stringify(after.fixed_ips)}`,
    );
  });

  test('LIST-07 mac_addr, net_id, port_id and port_state: well formed and equal to the Neutron port', async ({
    fx,
    attachedServer: server,
  }) => {
    const listed = await listedInterface(fx, server);
    const { before, result, after } = await neutronAround(fx, listed.portId, () =>
      listAttachments(fx, listed.serverId, undefined, ['values', 'port_state']),
    );
    const { exchange, attachments } = result;
    const element: Attachment = onlyElementFor(attachments, listed.portId, exchange);
    expectThat(
      /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(element.mac_addr),
      exchange,
      'mac_addr in lower-case colon form',
    );
    expectThat(
      element.mac_addr === after.mac_address,
      exchange,
      `mac_addr equal to Neutron's ${after.mac_address}`,
    );
    expectThat(
      element.net_id === after.network_id,
      exchange,
      `net_id equal to Neutron's ${after.network_id}`,
    );
    expectThat(element.port_state.length > 0, exchange, 'a non-empty port_state');
    expectThat(
      element.port_state === before.status || element.port_state === after.status,
      exchange,
      `port_state equal to Neutron's status (${before.status} before, ${after.status} after)`,
    );
  });

  test('LIST-01 every attached port appears exactly once and nothing else appears (against Neutron)', async ({
    fx,
    server,
  }) => {
    if (fx.config.readOnly) await skipBecause(fx, 'read-only run: attaches a second interface');
    const { network } = await fx.attachNetwork();
    // Two interfaces, so the list has more than one element to get wrong: one by port_id, one by
    // net_id, attached at once (nothing here compares port_state, so neither is waited for).
    const [first, second] = await Promise.allSettled([
      attachedPort(fx, server.id, 'list'),
      fx
        .prerequisite('attach by net_id (200 with the new port_id)', async () => {
          const byNet = await fx.attach(server.id, { interfaceAttachment: { net_id: network.id } });
          return expectInterfaceBody<{ interfaceAttachment: Attachment }>(byNet, 'show', 200, '2.1')
            .interfaceAttachment.port_id;
        })
        .then(async (id) => {
          await listedAfterAttach(fx, server.id, id);
          return id;
        }),
    ]);
    // Both settled first: a blocked check leaves no attach of its own in flight.
    if (first.status === 'rejected') throw first.reason;
    if (second.status === 'rejected') throw second.reason;
    const listed = { serverId: server.id, portId: first.value.port.id };
    const secondId = second.value;
    const { exchange, attachments } = await listAttachments(fx, listed.serverId, undefined, ['envelope']);
    const neutron = await neutronPortsOf(fx, listed.serverId);
    const listedIds = attachments.map((a) => a.port_id).sort();
    const neutronIds = neutron.map((p) => p.id).sort();
    expectThat(new Set(listedIds).size === listedIds.length, exchange, 'no port listed twice');
    expectThat(
      listedIds.join() === neutronIds.join(),
      exchange,
      `exactly the ports Neutron has bound to the server (${neutronIds.join(', ')})`,
    );
    for (const id of [listed.portId, secondId]) onlyElementFor(attachments, id, exchange);
    for (const port of neutron) {
      const element = onlyElementFor(attachments, port.id, exchange);
      expectThat(element.net_id === port.network_id, exchange, `net_id of ${port.id} equal to Neutron's`);
      expectThat(
        element.mac_addr === port.mac_address,
        exchange,
        `mac_addr of ${port.id} equal to Neutron's`,
      );
    }
  });
});

describe('list (no interface)', () => {
  test('LIST-05 list of a server without ports: 200 {"interfaceAttachments": []}', async ({ fx, server }) => {
    const baseline = server.baseline;

    if (baseline.size > 0)
      await skipBecause(
        fx,
        `the configured server ${server.id} (CONFORMANCE_SERVER_ID) has ${baseline.size} interfaces; LIST-05 needs one without`,
      );
    const got = await fx.list(server.id);
    const body = expectInterfaceBody<ListBody>(got, 'list', 200, '2.1', owning('envelope'));
    expectThat(
      keysOf(body).join() === 'interfaceAttachments' && body.interfaceAttachments.length === 0,
      got,
      'exactly {"interfaceAttachments": []}',
    );
    const plugged = await neutronPortsOf(fx, server.id);
    expectThat(plugged.length === 0, got, 'Neutron to agree that no port is bound to the server (setup)');
  });
});
