import { describe, test } from '../lib/harness/check.ts';
import { expectFault, expectInterfaceBody, expectThat } from '../lib/harness/expect.ts';
import { requireMicroversion } from '../lib/harness/outcomes.ts';
import { waitFor } from '../lib/harness/wait.ts';
import {
  attachedPort,
  listedElements,
  keysOf,
  onlyElementFor,
  randomId,
  sameFixedIps,
  showAttachment,
  type ShowBody,
} from './support/attachments.ts';

describe('show', () => {
  test('SHOW-01 show of an attached port equals its list element and the Neutron port', async ({
    fx,
    attachedServer: server,
  }) => {
    const port = server.port ?? (await attachedPort(fx, server.id, 'show-01')).port;
    const got = await fx.show(server.id, port.id);
    const body = expectInterfaceBody<ShowBody>(got, 'show', 200, '2.1');
    expectThat(keysOf(body).join() === 'interfaceAttachment', got, 'exactly the key interfaceAttachment');
    const shown = body.interfaceAttachment;
    expectThat(shown.port_id === port.id, got, `port_id ${port.id}`);
    expectThat(
      shown.net_id === port.network_id,
      got,
      `net_id equal to Neutron's network_id ${port.network_id}`,
    );
    expectThat(shown.mac_addr === port.mac_address, got, `mac_addr equal to Neutron's ${port.mac_address}`);
    expectThat(
      sameFixedIps(shown.fixed_ips, port.fixed_ips),
      got,
      `fixed_ips equal to Neutron's ${JSON.stringify(port.fixed_ips)}`,
    );

    const { exchange, attachments } = await listedElements(fx, server.id);
    const element = onlyElementFor(attachments, port.id, exchange);
    expectThat(element.net_id === shown.net_id, exchange, 'the list element net_id equal to show');
    expectThat(element.mac_addr === shown.mac_addr, exchange, 'the list element mac_addr equal to show');
    expectThat(
      sameFixedIps(element.fixed_ips, shown.fixed_ips),
      exchange,
      'the list element fixed_ips equal to show',
    );

    // port_state moves (DOWN, then ACTIVE) while the port is wired up: compare once it settles.
    await waitFor(
      async () => {
        const one = (await showAttachment(fx, server.id, port.id)).attachment.port_state;
        const listed = onlyElementFor(
          (await listedElements(fx, server.id)).attachments,
          port.id,
          exchange,
        ).port_state;
        const neutron = (await fx.showPort(port.id))?.status;
        return one === listed && listed === neutron
          ? { done: true, value: one }
          : { done: false, state: `show ${one}, list ${listed}, Neutron ${String(neutron)}` };
      },
      {
        what: `show, list and Neutron to agree on the port_state of ${port.id}`,
        timeoutMs: fx.config.waitTimeoutMs,
        intervalMs: fx.config.pollIntervalMs,
      },
    );
  });

  test('SHOW-02 show at 2.70 of a port attached without tag: "tag": null', async ({
    fx,
    attachedServer: server,
  }) => {
    await requireMicroversion(fx, '2.70');

    const port = server.port ?? (await attachedPort(fx, server.id, 'show-02')).port;
    const { exchange, attachment } = await showAttachment(fx, server.id, port.id, '2.70', ['tag']);
    expectThat('tag' in attachment && attachment.tag === null, exchange, '"tag": null');
    expectThat(attachment.port_id === port.id, exchange, `port_id ${port.id}`);
  });

  test('SHOW-03 show of a random port id: 404 "Port id <pid> could not be found."', async ({
    fx,
    server,
  }) => {
    const portId = randomId();
    const got = await fx.show(server.id, portId);
    expectFault(got, 404, 'itemNotFound', `Port id ${portId} could not be found.`);
  });

  test('SHOW-03 show of a port id that is not a UUID: 404 "Port id not-a-uuid could not be found." (not 400)', async ({
    fx,
    server,
  }) => {
    const got = await fx.show(server.id, 'not-a-uuid');
    expectFault(got, 404, 'itemNotFound', 'Port id not-a-uuid could not be found.');
  });

  test('SHOW-04 show of an unbound port: 404 "Instance <sid> does not have a port with id <pid>"', async ({
    fx,
    server,
  }) => {
    const port = await fx.createPort('show-04-free');
    const got = await fx.show(server.id, port.id);
    expectFault(got, 404, 'itemNotFound', `Instance ${server.id} does not have a port with id ${port.id}`);
  });

  test('SHOW-04 show of a port bound to another server: 404 "Instance <sid> does not have a port with id <pid>"', async ({
    fx,
    server,
  }) => {
    // Nova compares the port's device_id with the server; another server's id is all it takes.
    const elsewhere = randomId();
    const port = await fx.createPort('show-04-other', {
      device_id: elsewhere,
      device_owner: 'compute:nova',
    });
    const got = await fx.show(server.id, port.id);
    expectFault(got, 404, 'itemNotFound', `Instance ${server.id} does not have a port with id ${port.id}`);
    const after = await fx.showPort(port.id);
    expectThat(
      after?.device_id === elsewhere,
      got,
      `the port still bound to ${elsewhere} (a show changes nothing)`,
    );
  });
});
