import { describe, test } from 'vitest';
import {
  expectFault,
  expectInterfaceBody,
  expectNoVersionHeaders,
  expectSchema,
  expectStatus,
  expectThat,
  expectVersionHeaders,
  fail,
} from '../lib/harness/expect.ts';
import { fixtures, type As } from '../lib/harness/fixtures.ts';
import { requireIdentity, skipBecause } from '../lib/harness/outcomes.ts';
import { header, type Exchange } from '../lib/openstack/http.ts';
import {
  attachNewPort,
  expectUnchangedInterfaces,
  listAttachments,
  onServer,
  randomId,
  showAttachment,
  type ListBody,
  type ShowBody,
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
  test.for(callers)('AUTH-01 with $label list answers 401 from Keystone', async ({ as }, ctx) => {
    const fx = await fixtures();
    await onServer(
      ctx,
      fx,
      async ({ server, baseline }) => {
        for (const got of [
          await fx.list(server.id, { as }),
          // A version header must not change anything: the 401 comes before Nova parses it.
          await fx.list(server.id, { as, microversion: '2.70' }),
        ])
          expectKeystoneUnauthorized(got);
        await expectUnchangedInterfaces(fx, server.id, baseline, 'after unauthenticated requests');
      },
      { writes: false },
    );
  });

  test.for(callers)('AUTH-01 with $label attach and detach answer 401 from Keystone', async ({ as }, ctx) => {
    const fx = await fixtures();
    await onServer(ctx, fx, async ({ server, baseline }) => {
      const body = { interfaceAttachment: { port_id: randomId() } };
      // Valid, so that only the missing authentication can explain a refusal.
      proveValid('2.1', body);
      for (const got of [
        await fx.attach(server.id, body, { as }),
        await fx.detach(server.id, randomId(), { as }),
      ])
        expectKeystoneUnauthorized(got);
      await expectUnchangedInterfaces(fx, server.id, baseline, 'after unauthenticated requests');
    });
  });
});

describe('policy', () => {
  test('POLICY-01 a reader-only token lists and shows the interfaces (200)', async (ctx) => {
    const fx = await fixtures();
    await requireIdentity(ctx, fx, 'reader');
    await onServer(
      ctx,
      fx,
      async ({ server, baseline }) => {
        const mine = await listAttachments(fx, server.id);
        const got = await fx.list(server.id, { as: 'reader' });
        const body = expectInterfaceBody<ListBody>(got, 'list', 200, '2.1');
        expectVersionHeaders(got, '2.1');
        const ids = (list: ListBody['interfaceAttachments']): string =>
          list
            .map((a) => a.port_id)
            .sort()
            .join();
        expectThat(
          ids(body.interfaceAttachments) === ids(mine.attachments),
          got,
          `the reader to see the member's interfaces (${ids(mine.attachments) || 'none'})`,
        );
        let portId = [...baseline][0];
        if (portId === undefined && !fx.config.readOnly)
          portId = (await attachNewPort(fx, server.id, 'policy-01')).port.id;
        if (portId === undefined) {
          await ctx.annotate(
            'show not checked: the configured server has no interface (read-only run)',
            'note',
          );
          return;
        }
        const { attachment } = await showAttachment(fx, server.id, portId);
        const shown = await fx.show(server.id, portId, { as: 'reader' });
        const read = expectInterfaceBody<ShowBody>(shown, 'show', 200, '2.1').interfaceAttachment;
        expectThat(
          read.port_id === portId &&
            read.net_id === attachment.net_id &&
            read.mac_addr === attachment.mac_addr,
          shown,
          `the reader to see port ${portId} on network ${attachment.net_id} with MAC ${attachment.mac_addr}`,
        );
      },
      { writes: false },
    );
  });

  test('POLICY-01 a reader-only token may not attach or detach (403 forbidden by policy)', async (ctx) => {
    const fx = await fixtures();
    await requireIdentity(ctx, fx, 'reader');
    const mode = policyMode(fx);
    if (!mode.newDefaults)
      await skipBecause(
        ctx,
        `the cloud does not enforce the new policy defaults (${mode.why}); there a reader may attach and detach`,
      );
    await onServer(ctx, fx, async ({ server }) => {
      const portId = (await attachNewPort(fx, server.id, 'policy-01')).port.id;
      const before = new Set(await fx.attachedPortIds(server.id));
      const body = { interfaceAttachment: { port_id: randomId() } };
      proveValid('2.1', body);
      const attach = await fx.attach(server.id, body, { as: 'reader' });
      expectFault(attach, 403, 'forbidden', policyMessage('create'));
      expectVersionHeaders(attach, '2.1');
      const detach = await fx.detach(server.id, portId, { as: 'reader' });
      expectFault(detach, 403, 'forbidden', policyMessage('delete'));
      expectVersionHeaders(detach, '2.1');
      await expectUnchangedInterfaces(fx, server.id, before, "after a reader's attach and detach");
    });
  });

  test("POLICY-02 another project's user gets 404 Instance not found (not 403) on list and show", async (ctx) => {
    const fx = await fixtures();
    await requireIdentity(ctx, fx, 'alt');
    await onServer(
      ctx,
      fx,
      async ({ server, baseline }) => {
        // A port the server has, so that only the project can explain the 404; a read-only run on a
        // server without interfaces can only name a port that does not exist.
        let portId = [...baseline][0];
        if (portId === undefined)
          portId = fx.config.readOnly
            ? randomId()
            : (await attachNewPort(fx, server.id, 'policy-02')).port.id;
        const before = new Set(await fx.attachedPortIds(server.id));
        const answers = [
          await fx.list(server.id, { as: 'alt' }),
          await fx.show(server.id, portId, { as: 'alt' }),
        ];
        for (const got of answers) {
          expectFault(got, 404, 'itemNotFound', instanceNotFound(server.id));
          expectVersionHeaders(got, '2.1');
        }
        await expectUnchangedInterfaces(fx, server.id, before, "after another project's requests");
      },
      { writes: false },
    );
  });

  test("POLICY-02 another project's user gets 404 Instance not found (not 403) on attach and detach", async (ctx) => {
    const fx = await fixtures();
    await requireIdentity(ctx, fx, 'alt');
    await onServer(ctx, fx, async ({ server }) => {
      const portId = (await attachNewPort(fx, server.id, 'policy-02')).port.id;
      const before = new Set(await fx.attachedPortIds(server.id));
      const body = { interfaceAttachment: { port_id: randomId() } };
      proveValid('2.1', body);
      const answers = [
        await fx.attach(server.id, body, { as: 'alt' }),
        await fx.detach(server.id, portId, { as: 'alt' }),
      ];
      for (const got of answers) {
        expectFault(got, 404, 'itemNotFound', instanceNotFound(server.id));
        expectVersionHeaders(got, '2.1');
      }
      await expectUnchangedInterfaces(fx, server.id, before, "after another project's requests");
    });
  });
});
