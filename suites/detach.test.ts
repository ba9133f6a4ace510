import {
  expectEmptyBody,
  expectInterfaceBody,
  expectRequestIds,
  expectStatus,
  expectThat,
} from '../lib/harness/expect.ts';
import { describe, test } from '../lib/harness/check.ts';
import { judgedEffect } from '../lib/harness/detach-cycle.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { header, type Exchange } from '../lib/openstack/http.ts';
import {
  attachedPort,
  listedAfterAttach,
  expectUnchangedInterfaces,
  randomId,
  waitForActionEvent,
  type ShowBody,
} from './support/attachments.ts';

const DETACH_EVENT = 'compute_detach_interface';
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 202 with nothing in the body (a Content-Type may come along; Nova sends application/json). */
function expectAccepted(got: Exchange): void {
  expectStatus(got, 202);
  expectEmptyBody(got);
}

/**
 * A 404 whose message tells why (the port is gone, or only no longer attached): the envelope
 * around the message is the fault checks' (SHOW-03/04) to judge, so reading it is a prerequisite.
 */
async function expectNotFound(fx: Fixtures, got: Exchange, message: string): Promise<void> {
  expectStatus(got, 404);
  const said = await fx.prerequisite('a 404 answer carries a fault message', async () => {
    const inner = Object.values((got.json ?? {}) as Record<string, { message?: unknown }>)[0]?.message;
    if (typeof inner !== 'string') throw new Error(`no fault message in ${got.text.slice(0, 200)}`);
    return inner;
  });
  expectThat(said === message, got, `the message ${JSON.stringify(message)}, got ${JSON.stringify(said)}`);
}

/** The request id of a detach, which the checks below only need to find its instance action. */
function requestIdOf(fx: Fixtures, got: Exchange): Promise<string> {
  return fx.prerequisite('the detach answer names its request (x-openstack-request-id)', async () =>
    expectRequestIds(got),
  );
}

describe('detach', () => {
  test('DETACH-01 detach of an attached port: 202, empty body, the port leaves the list and Neutron unbinds it', async ({
    fx,
    detachCycle,
  }) => {
    const cycle = await detachCycle.detached();
    expectAccepted(cycle.detach);
    const unbound = await judgedEffect(fx, cycle);
    expectThat(unbound !== undefined, cycle.detach, `the user's port ${cycle.port.id} to survive the detach`);
  });

  test('DETACH-02 detach of a random port id: 202, and the attached interface stays', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;
    // An interface to get wrongly removed, so that "nothing changes" means something.
    const { port } = await attachedPort(fx, server.id, 'detach-02-kept');
    const got = await fx.detach(server.id, randomId());
    expectAccepted(got);
    // The detach runs after the 202; wait for it to end before looking at the result.
    await waitForActionEvent(fx, server.id, await requestIdOf(fx, got), DETACH_EVENT);
    await expectUnchangedInterfaces(
      fx,
      server.id,
      new Set([...baseline, port.id]),
      'after detaching an unknown port',
    );
  });

  test("DETACH-02 detach through another server's URL: 202, and the port stays attached to the server that holds it", async ({
    fx,
    server,
    secondServer,
  }) => {
    const { port } = await attachedPort(fx, server.id, 'detach-02-elsewhere');
    // The detach runs on the server of the URL, which has no such port.
    const got = await fx.detach(secondServer.id, port.id);
    expectAccepted(got);
    await waitForActionEvent(fx, secondServer.id, await requestIdOf(fx, got), DETACH_EVENT);
    await expectUnchangedInterfaces(
      fx,
      server.id,
      new Set([port.id]),
      `after a detach sent through ${secondServer.id}`,
    );
    const held = await fx.showPort(port.id);
    expectThat(held?.device_id === server.id, got, `port ${port.id} still bound to server ${server.id}`);
  });

  test('DETACH-02 detach of an existing port that is not attached: 202, the port stays unbound', async ({
    fx,
    server,
    port,
  }) => {
    const baseline = server.baseline;
    const got = await fx.detach(server.id, port.id);
    expectAccepted(got);
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after detaching a port that was not attached');
    const after = await fx.showPort(port.id);
    expectThat(after?.device_id === '', got, `port ${port.id} still exists and unbound`);
  });

  test('DETACH-03 detach carries x-openstack-request-id; its instance action has compute_detach_interface Success', async ({
    fx,
    detachCycle,
  }) => {
    const cycle = await detachCycle.detached();
    const got = cycle.detach;
    expectAccepted(got);
    // x-openstack-request-id is DETACH-03's; its x-compute-request-id twin is HEADERS-02's.
    const requestId = header(got, 'x-openstack-request-id') ?? '';
    expectThat(
      REQUEST_ID.test(requestId),
      got,
      `header x-openstack-request-id: req-<uuid>, got '${requestId}'`,
    );
    const { exchange, action, event } = await waitForActionEvent(fx, cycle.serverId, requestId, DETACH_EVENT);
    expectThat(
      action.action === 'detach_interface',
      exchange,
      `action detach_interface, got ${action.action}`,
    );
    expectThat(action.request_id === requestId, exchange, `request_id ${requestId}`);
    expectThat(action.instance_uuid === cycle.serverId, exchange, `instance_uuid ${cycle.serverId}`);
    expectThat(
      event.result === 'Success',
      exchange,
      `event ${DETACH_EVENT} result Success, got ${String(event.result)}`,
    );
    await judgedEffect(fx, cycle);
  });

  test('DETACH-04 after detach: show answers 404, a Nova-created port is deleted, a user port survives unbound', async ({
    fx,
    server,
  }) => {
    const { network } = await fx.attachNetwork();
    const novaPort = await fx.prerequisite('attach by net_id (200 with the new port_id)', async () => {
      const byNet = await fx.attach(server.id, { interfaceAttachment: { net_id: network.id } });
      return expectInterfaceBody<ShowBody>(byNet, 'show', 200, '2.1').interfaceAttachment.port_id;
    });
    await listedAfterAttach(fx, server.id, novaPort);
    const { port: userPort } = await attachedPort(fx, server.id, 'detach-04');

    for (const portId of [novaPort, userPort.id]) expectAccepted(await fx.detach(server.id, portId));
    for (const portId of [novaPort, userPort.id]) await fx.waitUntilDetached(server.id, portId);

    const gone = await fx.show(server.id, novaPort);
    await expectNotFound(fx, gone, `Port id ${novaPort} could not be found.`);
    await fx.waitForPort(novaPort, (p) => p === undefined, `Neutron to delete Nova's port ${novaPort}`);

    const kept = await fx.show(server.id, userPort.id);
    await expectNotFound(fx, kept, `Instance ${server.id} does not have a port with id ${userPort.id}`);
    const survivor = await fx.waitForPort(
      userPort.id,
      (p) => p === undefined || p.device_id === '',
      `Neutron to unbind the user's port ${userPort.id}`,
    );
    expectThat(survivor !== undefined, kept, `the user's port ${userPort.id} to survive the detach`);
    expectThat(
      survivor?.device_owner === '',
      kept,
      `the user's port ${userPort.id} to lose its device_owner, got '${String(survivor?.device_owner)}'`,
    );
  });

  test('DETACH-05 detach of a port that is not attached: 202 and its instance action event ends in Error', async ({
    fx,
    server,
    port,
  }) => {
    const baseline = server.baseline;
    const got = await fx.detach(server.id, port.id);
    expectAccepted(got);
    const requestId = await requestIdOf(fx, got);
    // 2.84 adds the event's details; read them where the cloud has it.
    const microversion = fx.supports('2.84') ? '2.84' : undefined;
    const { exchange, action, event } = await waitForActionEvent(
      fx,
      server.id,
      requestId,
      DETACH_EVENT,
      microversion,
    );
    expectThat(
      action.action === 'detach_interface',
      exchange,
      `action detach_interface, got ${action.action}`,
    );
    expectThat(
      event.result === 'Error',
      exchange,
      `event ${DETACH_EVENT} result Error, got ${String(event.result)}`,
    );
    if (typeof event.details === 'string')
      expectThat(
        event.details === `Port ${port.id} is not attached`,
        exchange,
        `details "Port ${port.id} is not attached", got ${JSON.stringify(event.details)}`,
      );
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after detaching a port that was not attached');
    const after = await fx.showPort(port.id);
    expectThat(after?.device_id === '', got, `port ${port.id} still exists and unbound`);
  });
});
