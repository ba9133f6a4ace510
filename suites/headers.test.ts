import { Buffer } from 'node:buffer';
import { describe, test, type DetachCycle } from '../lib/harness/check.ts';
import { CYCLE_STEPS } from '../lib/harness/detach-cycle.ts';
import {
  expectContentType,
  expectMediaType,
  expectEmptyBody,
  expectFault,
  expectRequestIds,
  expectStatus,
  expectThat,
  expectVersionHeaders,
  fail,
} from '../lib/harness/expect.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { requireWrites } from '../lib/harness/outcomes.ts';
import { header, type Exchange } from '../lib/openstack/http.ts';
import { validate } from '../lib/schema/validator.ts';
import { randomId } from './support/attachments.ts';
import { proveInvalid } from './support/bodies.ts';

/**
 * Some Nova faults on the run's server reached by GET, as material for header checks: that they
 * are the faults they should be is NOTFOUND's and MV's to judge, so here it is a prerequisite.
 */
async function readFaults(fx: Fixtures, serverId: string): Promise<Exchange[]> {
  const portId = randomId();
  const missingPort = await fx.show(serverId, portId);
  const missingServer = randomId();
  const noServer = await fx.list(missingServer);
  const tooNew = await fx.list(serverId, { microversion: '2.0' });
  const badVersion = await fx.list(serverId, { microversion: 'abc' });
  await fx.prerequisite('GET requests Nova refuses answer their faults (404, 406, 400)', async () => {
    expectFault(missingPort, 404, 'itemNotFound', `Port id ${portId} could not be found.`);
    expectFault(noServer, 404, 'itemNotFound', `Instance ${missingServer} could not be found.`);
    expectFault(tooNew, 406, 'computeFault', { prefix: 'Version 2.0 is not supported by the API.' });
    expectFault(badVersion, 400, 'badRequest', { prefix: 'API Version String abc is of invalid format.' });
  });
  return [missingPort, noServer, tooNew, badVersion];
}

/** An attach the schema refuses, as material for header checks: a POST, so only when writes are allowed. */
async function attachFault(fx: Fixtures, serverId: string): Promise<Exchange> {
  const invalid = { interfaceAttachment: { port_id: 'abc' } };
  proveInvalid('2.1', invalid);
  const badBody = await fx.attach(serverId, invalid);
  await fx.prerequisite('an attach the schema refuses answers 400 badRequest', async () =>
    expectFault(badBody, 400, 'badRequest', { prefix: 'Invalid input for field/attribute port_id.' }),
  );
  return badBody;
}

/** The detach of the observed cycle, as material for header checks: that it answers 202 is DETACH's. */
async function detachAnswer(fx: Fixtures, cycle: DetachCycle): Promise<Exchange> {
  const { detach } = await cycle.detached();
  await fx.prerequisite(CYCLE_STEPS.accepted, async () =>
    expectThat(detach.status >= 200 && detach.status < 300, detach, 'a 2xx answer'),
  );
  return detach;
}

/** A PUT finds no route: the routes mapper's bare 404, which is not a Nova fault envelope. */
function expectNoRoute(got: Exchange): void {
  expectStatus(got, 404);
  const envelope = got.json === undefined ? [] : validate('common/fault', got.json);
  // An empty problem list would mean the body IS a Nova fault: the request reached a controller.
  expectThat(
    got.json === undefined || envelope.length > 0,
    got,
    "the routes mapper's plain 404 page, not a Nova JSON fault (PUT has no route)",
  );
}

/** Each answer has well-formed request ids, and no two answers share one. */
function expectDistinctRequestIds(answers: readonly [Exchange, ...Exchange[]]): void {
  const ids = answers.map(expectRequestIds);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  expectThat(
    repeated.length === 0,
    answers[ids.indexOf(repeated[0] ?? '')] ?? answers[0],
    `a new request id for every request (repeated: ${repeated.join(', ')})`,
  );
}

/** The version headers when named, and a Content-Length, when sent, equal to the body's length. */
function expectHeaderForms(got: Exchange): void {
  // The harness keys headers by lower-case name and joins repeated lines with ', ', so
  // eventlet's title case and uwsgi's mixed case, and two Vary lines or one folded line, all pass.
  const v = header(got, 'openstack-api-version')?.replace(/^compute /, '');
  if (v !== undefined) expectVersionHeaders(got, v);
  const length = header(got, 'content-length');
  if (length !== undefined && Number(length) !== Buffer.byteLength(got.text))
    fail(
      got,
      `Content-Length, when sent, to be the body's length ${Buffer.byteLength(got.text)}, got ${length}`,
    );
}

describe('response headers', () => {
  test('HEADERS-01 faults have Content-Type application/json; charset=UTF-8, success application/json', async ({
    fx,
    server,
  }) => {
    const listed = await fx.list(server.id);
    expectStatus(listed, 200);
    expectContentType(listed, 'application/json');
    for (const fault of await readFaults(fx, server.id))
      expectContentType(fault, 'application/json; charset=UTF-8');
  });

  test('HEADERS-01 the fault of an attach refused by the schema has Content-Type application/json; charset=UTF-8', async ({
    fx,
    server,
  }) => {
    expectContentType(await attachFault(fx, server.id), 'application/json; charset=UTF-8');
  });

  test('HEADERS-01 attach and show answers have Content-Type application/json', async ({ detachCycle }) => {
    const { attach, show } = await detachCycle.attached();
    expectContentType(attach, 'application/json');
    expectStatus(show, 200);
    expectContentType(show, 'application/json');
  });

  test('HEADERS-02 every answer to a GET, success or error, has x-openstack-request-id req-<uuid> and an equal x-compute-request-id', async ({
    fx,
    server,
  }) => {
    const listed = await fx.list(server.id);
    expectStatus(listed, 200);
    const unauthenticated = await fx.list(server.id, { as: 'none' });
    await fx.prerequisite('a request without a token answers 401', async () =>
      expectStatus(unauthenticated, 401),
    );
    expectDistinctRequestIds([listed, unauthenticated, ...(await readFaults(fx, server.id))]);
  });

  test('HEADERS-02 every answer, success or error, has x-openstack-request-id req-<uuid> and an equal x-compute-request-id', async ({
    fx,
    server,
  }) => {
    const listed = await fx.list(server.id);
    expectStatus(listed, 200);
    const unauthenticated = await fx.list(server.id, { as: 'none' });
    const media = await fx.call('POST', `/servers/${server.id}/os-interface`, {
      rawBody: '<interfaceAttachment/>',
      contentType: 'application/xml',
    });
    const noRoute = await fx.call('PUT', `/servers/${server.id}/os-interface`, {
      json: { interfaceAttachment: { port_id: randomId() } },
    });
    await fx.prerequisite("refused requests answer 401, 415 and the router's 404", async () => {
      expectStatus(unauthenticated, 401);
      expectFault(media, 415, 'badMediaType', 'Unsupported Content-Type');
      expectNoRoute(noRoute);
    });
    expectDistinctRequestIds([
      listed,
      unauthenticated,
      media,
      noRoute,
      ...(await readFaults(fx, server.id)),
      await attachFault(fx, server.id),
    ]);
  });

  test('HEADERS-02 a 202 detach has request ids too', async ({ fx, detachCycle }) => {
    await requireWrites(fx);

    expectRequestIds(await detachAnswer(fx, detachCycle));
  });

  test('HEADERS-03 names compared case-insensitively, Vary in either form, Content-Length optional but true', async ({
    fx,
    server,
  }) => {
    const listed = await fx.list(server.id);
    expectStatus(listed, 200);
    for (const got of [listed, ...(await readFaults(fx, server.id))]) expectHeaderForms(got);
  });

  test('HEADERS-03 on an attach refused by the schema: Vary in either form, Content-Length optional but true', async ({
    fx,
    server,
  }) => {
    expectHeaderForms(await attachFault(fx, server.id));
  });

  test('HEADERS-03 a 202 detach has an empty body, and if any Content-Type then application/json', async ({
    fx,
    detachCycle,
  }) => {
    await requireWrites(fx);

    const got = await detachAnswer(fx, detachCycle);
    expectEmptyBody(got);
    // The media type only: a charset parameter is HEADERS-01's.
    if (header(got, 'content-type') !== undefined) expectMediaType(got, 'application/json');
    const length = header(got, 'content-length');
    expectThat(length === undefined || length === '0', got, `no Content-Length or 0, got ${length ?? ''}`);
  });
});

describe('routes', () => {
  test('ROUTE-01 PUT on the collection and on a member answers 404 from the router (not 405, not a Nova fault)', async ({
    fx,
    server,
  }) => {
    // A body that could attach nothing, in case a broken target routed PUT to create.
    const json = { interfaceAttachment: { port_id: randomId() } };
    expectNoRoute(await fx.call('PUT', `/servers/${server.id}/os-interface`, { json }));
    expectNoRoute(await fx.call('PUT', `/servers/${server.id}/os-interface/${randomId()}`, { json }));
  });
});
