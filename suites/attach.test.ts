import { describe, test } from '../lib/harness/check.ts';
import { expectFault, expectInterfaceBody, expectThat } from '../lib/harness/expect.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { owning } from './support/ownership.ts';
import { knownUpstreamDefect, requireMicroversion, skipBecause } from '../lib/harness/outcomes.ts';
import type { Exchange } from '../lib/openstack/http.ts';
import type { Subnet } from '../lib/openstack/network.ts';
import {
  attachNewPort,
  listedAfterAttach,
  attachedPort,
  expectListedOnce,
  expectUnchangedInterfaces,
  ipOn,
  keysOf,
  listAttachments,
  onlyElementFor,
  randomId,
  sameFixedIps,
  showAttachment,
  waitForPortActive,
  type ShowBody,
} from './support/attachments.ts';

const UNEXPECTED = 'Unexpected API Error.';
const TAG_UNSUPPORTED = 'Tagged network interface attachment is not supported for this server instance.';

/** Skips when the driver refuses tagged attach (a cloud capability, not a deviation). */
async function skipIfTagsUnsupported(fx: Fixtures, got: Exchange): Promise<void> {
  const message = (got.json as { badRequest?: { message?: string } } | undefined)?.badRequest?.message;
  if (got.status === 400 && message === TAG_UNSUPPORTED) {
    expectFault(got, 400, 'badRequest', TAG_UNSUPPORTED);
    await skipBecause(fx, `the compute driver does not support tagged attach: ${TAG_UNSUPPORTED}`);
  }
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  if (!base.includes('.')) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}

/** An IPv4 address that no subnet of the network contains (documentation ranges first). */
async function addressOutsideNetwork(fx: Fixtures, networkId: string): Promise<string> {
  const got = await fx.neutron('GET', `/subnets?network_id=${networkId}`);
  const cidrs = ((got.json as { subnets?: Subnet[] } | undefined)?.subnets ?? []).map((s) => s.cidr);
  const candidate = ['192.0.2.77', '198.51.100.77', '203.0.113.77', '10.254.253.77', '172.31.254.77'].find(
    (ip) => !cidrs.some((cidr) => inCidr(ip, cidr)),
  );
  if (candidate === undefined) throw new Error(`every candidate address is inside a subnet of ${networkId}`);
  return candidate;
}

describe('attach', () => {
  test('ATTACH-01 attach by net_id: 200, that net_id, a new port bound to the server and listed', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    const { network } = await fx.attachNetwork();
    const got = await fx.attach(server.id, { interfaceAttachment: { net_id: network.id } });
    const created = expectInterfaceBody<ShowBody>(got, 'show', 200, '2.1').interfaceAttachment;
    expectThat(created.net_id === network.id, got, `net_id ${network.id}`);
    expectThat(!baseline.has(created.port_id), got, 'a port_id that was not attached before');
    await expectListedOnce(fx, server.id, created.port_id);
    const port = await fx.showPort(created.port_id);
    expectThat(port !== undefined, got, `Neutron to know the new port ${created.port_id}`);
    expectThat(port?.device_id === server.id, got, `Neutron's device_id of the new port to be ${server.id}`);
    expectThat(
      port?.network_id === network.id,
      got,
      `Neutron's network_id of the new port to be ${network.id}`,
    );
    expectThat(port?.mac_address === created.mac_addr, got, "mac_addr equal to Neutron's");
    expectThat(sameFixedIps(created.fixed_ips, port?.fixed_ips ?? []), got, "fixed_ips equal to Neutron's");
  });

  test('ATTACH-02 attach by port_id: 200, port_id echoed, net_id, mac and addresses of that port', async ({
    fx,
    server,
  }) => {
    const port = await fx.createPort('attach-02');
    const got = await fx.attach(server.id, { interfaceAttachment: { port_id: port.id } });
    const created = expectInterfaceBody<ShowBody>(got, 'show', 200, '2.1').interfaceAttachment;
    expectThat(created.port_id === port.id, got, `port_id ${port.id} echoed`);
    expectThat(created.net_id === port.network_id, got, `net_id ${port.network_id} (the port's network)`);
    expectThat(created.mac_addr === port.mac_address, got, `mac_addr ${port.mac_address} (the port's)`);
    expectThat(sameFixedIps(created.fixed_ips, port.fixed_ips), got, "the port's fixed_ips");
    const bound = await fx.showPort(port.id);
    expectThat(bound?.device_id === server.id, got, `Neutron's device_id of ${port.id} to be ${server.id}`);
  });

  test('ATTACH-03 attach by net_id with a free fixed IP: 200 with exactly that address', async ({
    fx,
    server,
  }) => {
    const { network, subnet } = await fx.attachNetwork();
    const attachAt = (address: string): Promise<Exchange> =>
      fx.attach(server.id, {
        interfaceAttachment: { net_id: network.id, fixed_ips: [{ ip_address: address }] },
      });
    let ip = await fx.freeIp(subnet);
    let got = await attachAt(ip);
    // Neutron hands out addresses at random: a port made meanwhile (by another check, or anyone)
    // may hold the one that was free. Only then is a 409 no answer about a free address.
    for (
      let tries = 1;
      tries < 3 && got.status === 409 && (await fx.addressesInUse(network.id)).has(ip);
      tries += 1
    ) {
      ip = await fx.freeIp(subnet);
      got = await attachAt(ip);
    }
    // The rest of the answer is ATTACH-01's; here the address it was asked for.
    const created = expectInterfaceBody<ShowBody>(
      got,
      'show',
      200,
      '2.1',
      owning('fixed_ips'),
    ).interfaceAttachment;
    const v4 = created.fixed_ips.filter((f) => f.ip_address.includes('.'));
    expectThat(
      v4.length === 1 && v4[0]?.ip_address === ip && v4[0].subnet_id === subnet.id,
      got,
      `exactly the IPv4 address ${ip} on subnet ${subnet.id}`,
    );
    const port = await fx.showPort(created.port_id);
    expectThat(
      port?.fixed_ips.some((f) => f.ip_address === ip) === true,
      got,
      `Neutron's port ${created.port_id} to hold ${ip}`,
    );
  });

  test('ATTACH-04 attach answers exactly 200 with a body that is a show of the new port (latest)', async ({
    fx,
    server,
  }) => {
    const port = await fx.createPort('attach-04');
    const got = await fx.attach(
      server.id,
      { interfaceAttachment: { port_id: port.id } },
      { microversion: 'latest' },
    );
    const max = fx.s.versions.max;
    expectThat(got.status === 200, got, 'status 200 (not 201 or 202)');
    const created = expectInterfaceBody<ShowBody>(got, 'show', 200, max);
    expectThat(keysOf(created).join() === 'interfaceAttachment', got, 'exactly the key interfaceAttachment');
    // The show is the measure here: its own shape is SHOW's to judge.
    const { exchange, attachment } = await showAttachment(fx, server.id, port.id, 'latest', []);
    const fromCreate = created.interfaceAttachment;
    // port_state may move between the two calls; everything else must be identical.
    expectThat(
      keysOf(fromCreate).join() === keysOf(attachment).join() &&
        fromCreate.port_id === attachment.port_id &&
        fromCreate.net_id === attachment.net_id &&
        fromCreate.mac_addr === attachment.mac_addr &&
        fromCreate.tag === attachment.tag &&
        sameFixedIps(fromCreate.fixed_ips, attachment.fixed_ips),
      exchange,
      `the show to equal the attach answer ${JSON.stringify(fromCreate)} (port_state aside)`,
    );
  });

  test('ATTACH-05 attach at 2.49 with a tag: 200, no tag in the answer, the tag kept', async ({
    fx,
    server,
  }) => {
    await requireMicroversion(fx, '2.49');

    const port = await fx.createPort('attach-05');
    const got = await fx.attach(
      server.id,
      { interfaceAttachment: { port_id: port.id, tag: 'foo' } },
      { microversion: '2.49' },
    );
    await skipIfTagsUnsupported(fx, got);
    const created = expectInterfaceBody<ShowBody>(
      got,
      'show',
      200,
      '2.49',
      owning('tag'),
    ).interfaceAttachment;
    expectThat(!('tag' in created), got, 'no tag key before 2.70');
    expectThat(created.port_id === port.id, got, `port_id ${port.id}`);
    if (fx.supports('2.70')) {
      const { exchange, attachment } = await showAttachment(fx, server.id, port.id, '2.70', ['tag']);
      expectThat(attachment.tag === 'foo', exchange, 'the tag given at 2.49 ("foo") shown at 2.70');
    }
  });

  test('ATTACH-06 attach at 2.70 with a tag: echoed, shown at 2.70, omitted at 2.69', async ({
    fx,
    server,
  }) => {
    await requireMicroversion(fx, '2.70');

    const port = await fx.createPort('attach-06');
    const got = await fx.attach(
      server.id,
      { interfaceAttachment: { port_id: port.id, tag: 'public' } },
      { microversion: '2.70' },
    );
    await skipIfTagsUnsupported(fx, got);
    const created = expectInterfaceBody<ShowBody>(
      got,
      'show',
      200,
      '2.70',
      owning('tag'),
    ).interfaceAttachment;
    expectThat(created.tag === 'public', got, '"tag": "public"');
    const at270 = await showAttachment(fx, server.id, port.id, '2.70', ['tag']);
    expectThat(at270.attachment.tag === 'public', at270.exchange, '"tag": "public" in a later show at 2.70');
    const at269 = await showAttachment(fx, server.id, port.id, '2.69', ['tag']);
    expectThat(!('tag' in at269.attachment), at269.exchange, 'no tag key at 2.69');
    await listedAfterAttach(fx, server.id, port.id);
    const listed = await listAttachments(fx, server.id, '2.70', ['tag']);
    const element = onlyElementFor(listed.attachments, port.id, listed.exchange);
    expectThat(element.tag === 'public', listed.exchange, '"tag": "public" in the list at 2.70');
  });

  test('ATTACH-07 port_state is DOWN or ACTIVE right after attach, then reaches ACTIVE', async ({
    fx,
    server,
  }) => {
    const { port, exchange, attachment } = await attachNewPort(fx, server.id, 'attach-07', {
      owns: ['port_state'],
    });
    expectThat(
      attachment.port_state === 'DOWN' || attachment.port_state === 'ACTIVE',
      exchange,
      `port_state DOWN or ACTIVE in the attach answer, got ${attachment.port_state}`,
    );
    await waitForPortActive(fx, server.id, port.id);
    const neutron = await fx.showPort(port.id);
    expectThat(
      neutron?.status === 'ACTIVE',
      exchange,
      `Neutron's status of ${port.id} ACTIVE once Nova says so`,
    );
  });

  test('ATTACH-08 a fixed IP outside every subnet: 400 (real Nova 26, 31 and 34: 500, known defect) and nothing attached', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    const { network } = await fx.attachNetwork();
    const ip = await addressOutsideNetwork(fx, network.id);
    const got = await fx.attach(server.id, {
      interfaceAttachment: { net_id: network.id, fixed_ips: [{ ip_address: ip }] },
    });
    if (got.status === 500) {
      expectFault(got, 500, 'computeFault', { prefix: UNEXPECTED });
      await knownUpstreamDefect(
        fx,
        'ATTACH-08: 500 computeFault (InvalidInput_Remote) instead of 400, as real Nova answers (26 Zed, 31 and 34 alike) (not mapped in attach_interfaces.py)',
      );
    } else {
      expectFault(got, 400, 'badRequest', { prefix: '' });
    }
    await expectUnchangedInterfaces(
      fx,
      server.id,
      baseline,
      `after an attach with ${ip}, outside the network`,
    );
  });

  test('NOTFOUND-03 attach by an unknown net_id: 404 "Network <id> could not be found." (real Nova 26, 31 and 34: 500), nothing attached', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    const netId = randomId();
    const got = await fx.attach(server.id, { interfaceAttachment: { net_id: netId } });
    if (got.status === 500) {
      expectFault(got, 500, 'computeFault', { prefix: UNEXPECTED });
      await knownUpstreamDefect(
        fx,
        'NOTFOUND-03: 500 computeFault (RemoteError) instead of 404, as real Nova answers (26 Zed, 31 and 34 alike) (NetworkNotFound raised in nova-compute is not mapped)',
      );
    } else {
      expectFault(got, 404, 'itemNotFound', `Network ${netId} could not be found.`);
    }
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after an attach to an unknown network');
  });

  test('NOTFOUND-04 attach by an unknown port_id: 404 "Port id <pid> could not be found.", nothing attached', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    const portId = randomId();
    const got = await fx.attach(server.id, { interfaceAttachment: { port_id: portId } });
    expectFault(got, 404, 'itemNotFound', `Port id ${portId} could not be found.`);
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after an attach of an unknown port');
  });

  test('NOTFOUND-05 attach of another project\'s port: 404 "Port id <pid> could not be found.", port untouched', async ({
    fx,
    server,
    altPort: port,
  }) => {
    const baseline = server.baseline;
    if ((await fx.showPort(port.id)) !== undefined)
      await skipBecause(
        fx,
        `the primary project can see the alt project's port (network ${port.network_id} belongs to it), so Nova would not answer 404`,
      );
    const got = await fx.attach(server.id, { interfaceAttachment: { port_id: port.id } });
    expectFault(got, 404, 'itemNotFound', `Port id ${port.id} could not be found.`);
    await expectUnchangedInterfaces(fx, server.id, baseline, "after an attach of another project's port");
    const after = await fx.showPort(port.id, 'alt');
    expectThat(after?.device_id === '', got, `the alt project's port ${port.id} still unbound`);
  });

  describe('NETSELECT-01 attach with an empty interfaceAttachment', () => {
    test('NETSELECT-01 exactly one available network: 200 on that network', async ({ fx, server }) => {
      const networks = await fx.autoSelectableNetworks();
      if (networks.length !== 1)
        await skipBecause(
          fx,
          `the project sees ${networks.length} networks Nova could pick, not exactly one`,
        );
      const baseline = server.baseline;
      const got = await fx.attach(server.id, { interfaceAttachment: {} });
      const created = expectInterfaceBody<ShowBody>(
        got,
        'show',
        200,
        '2.1',
        owning('values'),
      ).interfaceAttachment;
      expectThat(
        created.net_id === networks[0]?.id,
        got,
        `net_id ${String(networks[0]?.id)}, the only network`,
      );
      expectThat(!baseline.has(created.port_id), got, 'a new port');
      await expectListedOnce(fx, server.id, created.port_id);
    });

    test('NETSELECT-01 several available networks: 400 "Multiple possible networks found, ..."', async ({
      fx,
      server,
    }) => {
      const networks = await fx.autoSelectableNetworks();
      if (networks.length < 2)
        await skipBecause(
          fx,
          `the project sees ${networks.length} networks Nova could pick, not two or more`,
        );
      const baseline = server.baseline;
      const got = await fx.attach(server.id, { interfaceAttachment: {} });
      expectFault(
        got,
        400,
        'badRequest',
        'Multiple possible networks found, use a Network ID to be more specific.',
      );
      await expectUnchangedInterfaces(fx, server.id, baseline, 'after an ambiguous attach');
    });

    test('NETSELECT-01 no available network: 400 "No specific network was requested and none are available ..."', async ({
      fx,
      server,
    }) => {
      const networks = await fx.autoSelectableNetworks();
      if (networks.length !== 0)
        await skipBecause(fx, `the project sees ${networks.length} networks Nova could pick, not none`);
      const baseline = server.baseline;
      const projectId = await fx.projectId();
      const got = await fx.attach(server.id, { interfaceAttachment: {} });
      expectFault(
        got,
        400,
        'badRequest',
        `No specific network was requested and none are available for project '${projectId}'.`,
      );
      await expectUnchangedInterfaces(fx, server.id, baseline, 'after an attach with no network to pick');
    });
  });

  test('CONFLICT-01 attach of a port in use by another server: 409 "Port <pid> is still in use."', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    // Nova's PortInUse check is "device_id is set"; another server's id makes the port taken.
    const elsewhere = randomId();
    const port = await fx.createPort('conflict-01', { device_id: elsewhere, device_owner: 'compute:nova' });
    const got = await fx.attach(server.id, { interfaceAttachment: { port_id: port.id } });
    expectFault(got, 409, 'conflictingRequest', `Port ${port.id} is still in use.`);
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after an attach of a port in use');
    const after = await fx.showPort(port.id);
    expectThat(after?.device_id === elsewhere, got, `the port still bound to ${elsewhere}`);
  });

  test('CONFLICT-02 attach with a fixed IP another port holds: 409 "Fixed IP <ip> is already in use."', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    const { network, subnet } = await fx.attachNetwork();
    const holder = await fx.createPort('conflict-02');
    const ip = ipOn(holder, subnet.id);
    const got = await fx.attach(server.id, {
      interfaceAttachment: { net_id: network.id, fixed_ips: [{ ip_address: ip }] },
    });
    expectFault(got, 409, 'conflictingRequest', `Fixed IP ${ip} is already in use.`);
    await expectUnchangedInterfaces(fx, server.id, baseline, `after an attach with ${ip}, which is taken`);
    const after = await fx.showPort(holder.id);
    expectThat(
      after?.device_id === '' && after.fixed_ips.some((f) => f.ip_address === ip),
      got,
      `the holder port ${holder.id} unchanged: unbound and still holding ${ip}`,
    );
  });

  test('CONFLICT-03 attach of a port already attached to the same server: 409 "Port <pid> is still in use."', async ({
    fx,
    server,
  }) => {
    const { port } = await attachedPort(fx, server.id, 'conflict-03');
    const got = await fx.attach(server.id, { interfaceAttachment: { port_id: port.id } });
    expectFault(got, 409, 'conflictingRequest', `Port ${port.id} is still in use.`);
    await expectListedOnce(fx, server.id, port.id);
  });
});
