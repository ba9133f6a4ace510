import { describe, test } from '../lib/harness/check.ts';
import {
  expectFault,
  expectNoVersionHeaders,
  expectSchema,
  expectStatus,
  expectThat,
  fail,
} from '../lib/harness/expect.ts';
import type { As } from '../lib/harness/fixtures.ts';
import { note, requireIdentity, skipBecause } from '../lib/harness/outcomes.ts';
import { header, type Exchange } from '../lib/openstack/http.ts';
import {
  attachedPort,
  listedPortIds,
  expectUnchangedInterfaces,
  randomId,
  type ListBody,
} from './support/attachments.ts';
import { instanceNotFound, proveValid } from './support/bodies.ts';
import { policyMode } from './support/policy.ts';

/** keystonemiddleware's answer: before any Nova code, so its own body format and no version headers. */
function expectKeystoneUnauthorized(got: Exchange): void {
  expectStatus(got, 401);
  const challenge = header(got, 'www-authenticate');
  if (challenge === undefined || !/^Keystone uri="[^"]+"$/.test(challenge))
    fail(got, `header WWW-Authenticate: Keystone uri="<identity URL>", got '${challenge ?? '(none)'}'`);
  const mediaType = (header(got, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  expectThat(mediaType === 'application/json', got, `a JSON 401 body (Content-Type application/json)`);
  expectSchema(got, 'common/keystone-unauthorized');
  expectNoVersionHeaders(got);
}

const policyMessage = (action: 'create' | 'delete'): string =>
  `Policy doesn't allow os_compute_api:os-attach-interfaces:${action} to be performed.`;

describe('authentication', () => {
  const callers: { label: string; as: As }[] = [
    { label: 'no token', as: 'none' },
    { label: 'a token Keystone never issued', as: { token: 'gAAAAAbogus-nova-conformance' } },
  ];
  test.for(callers)('AUTH-01 with $label list answers 401 from Keystone', async ({ as }, { fx, server }) => {
    const baseline = server.baseline;

    for (const got of [
      await fx.list(server.id, { as }),
      // A version header must not change anything: the 401 comes before Nova parses it.
      await fx.list(server.id, { as, microversion: '2.70' }),
    ])
      expectKeystoneUnauthorized(got);
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after unauthenticated requests');
  });

  test.for(callers)(
    'AUTH-01 with $label attach and detach answer 401 from Keystone',
    async ({ as }, { fx, server }) => {
      const baseline = server.baseline;

      const body = { interfaceAttachment: { port_id: randomId() } };
      // Valid, so that only the missing authentication can explain a refusal.
      proveValid('2.1', body);
      for (const got of [
        await fx.attach(server.id, body, { as }),
        await fx.detach(server.id, randomId(), { as }),
      ])
        expectKeystoneUnauthorized(got);
      await expectUnchangedInterfaces(fx, server.id, baseline, 'after unauthenticated requests');
    },
  );
});

describe('policy', () => {
  test('POLICY-01 a reader-only token lists and shows the interfaces (200)', async ({
    fx,
    attachedServer: server,
  }) => {
    await requireIdentity(fx, 'reader');
    const baseline = server.baseline;

    // The list's shape is LIST's to judge; here only who may read it.
    const mine = (await listedPortIds(fx, server.id)).ids.sort().join();
    const got = await fx.list(server.id, { as: 'reader' });
    expectStatus(got, 200);
    const seen = ((got.json as ListBody | undefined)?.interfaceAttachments ?? [])
      .map((a) => a.port_id)
      .sort()
      .join();
    expectThat(seen === mine, got, `the reader to see the member's interfaces (${mine || 'none'})`);
    let portId = server.port?.id ?? [...baseline][0];
    if (portId === undefined && !fx.config.readOnly)
      portId = (await attachedPort(fx, server.id, 'policy-01')).port.id;
    if (portId === undefined) {
      await note(fx, 'show not checked: the configured server has no interface (read-only run)', 'note');
      return;
    }
    // Allowed is what POLICY-01 says; what the show holds is SHOW's to judge.
    expectStatus(await fx.show(server.id, portId, { as: 'reader' }), 200);
  });

  test('POLICY-01 a reader-only token may not attach or detach (403 forbidden by policy)', async ({
    fx,
    server,
  }) => {
    await requireIdentity(fx, 'reader');
    const mode = policyMode(fx);
    if (!mode.newDefaults)
      await skipBecause(
        fx,
        `the cloud does not enforce the new policy defaults (${mode.why}); there a reader may attach and detach`,
      );

    const portId = (await attachedPort(fx, server.id, 'policy-01')).port.id;
    const before = new Set(await fx.attachedPortIds(server.id));
    const body = { interfaceAttachment: { port_id: randomId() } };
    proveValid('2.1', body);
    const attach = await fx.attach(server.id, body, { as: 'reader' });
    expectFault(attach, 403, 'forbidden', policyMessage('create'));
    const detach = await fx.detach(server.id, portId, { as: 'reader' });
    expectFault(detach, 403, 'forbidden', policyMessage('delete'));
    await expectUnchangedInterfaces(fx, server.id, before, "after a reader's attach and detach");
  });

  test("POLICY-02 another project's user gets 404 Instance not found (not 403) on list and show", async ({
    fx,
    attachedServer: server,
  }) => {
    await requireIdentity(fx, 'alt');
    const baseline = server.baseline;

    // A port the server has, so that only the project can explain the 404; a read-only run on a
    // server without interfaces can only name a port that does not exist.
    let portId = server.port?.id ?? [...baseline][0];
    if (portId === undefined)
      portId = fx.config.readOnly ? randomId() : (await attachedPort(fx, server.id, 'policy-02')).port.id;
    const before = new Set(await fx.attachedPortIds(server.id));
    const answers = [
      await fx.list(server.id, { as: 'alt' }),
      await fx.show(server.id, portId, { as: 'alt' }),
    ];
    for (const got of answers) expectFault(got, 404, 'itemNotFound', instanceNotFound(server.id));
    await expectUnchangedInterfaces(fx, server.id, before, "after another project's requests");
  });

  test("POLICY-02 another project's user gets 404 Instance not found (not 403) on attach and detach", async ({
    fx,
    server,
  }) => {
    await requireIdentity(fx, 'alt');

    const portId = (await attachedPort(fx, server.id, 'policy-02')).port.id;
    const before = new Set(await fx.attachedPortIds(server.id));
    const body = { interfaceAttachment: { port_id: randomId() } };
    proveValid('2.1', body);
    const answers = [
      await fx.attach(server.id, body, { as: 'alt' }),
      await fx.detach(server.id, portId, { as: 'alt' }),
    ];
    for (const got of answers) expectFault(got, 404, 'itemNotFound', instanceNotFound(server.id));
    await expectUnchangedInterfaces(fx, server.id, before, "after another project's requests");
  });
});
