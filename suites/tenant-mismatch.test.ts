import { describe, test } from '../lib/harness/check.ts';
import { expectFault, expectStatus, expectNoVersionHeaders, expectThat } from '../lib/harness/expect.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { skipBecause } from '../lib/harness/outcomes.ts';
import type { Exchange } from '../lib/openstack/http.ts';
import {
  attachedPort,
  expectUnchangedInterfaces,
  listedElements,
  showAttachment,
  randomId,
  type Attachment,
  type ListBody,
} from './support/attachments.ts';
import { projectMismatch, proveInvalid, proveValid, randomProjectId } from './support/bodies.ts';
import { anAttachedPort } from './support/sample-port.ts';

/** A project id that is not the token's: the alt identity's when configured (a real project). */
async function foreignProject(fx: Fixtures): Promise<{ other: string; own: string }> {
  const own = await fx.projectId();
  let other = fx.s.has('alt') ? await fx.projectId('alt') : randomProjectId();
  if (other === own) other = randomProjectId();
  return { other, own };
}

/** The attachment minus port_state, which Neutron may change between two reads. */
function stable(a: Attachment): Omit<Attachment, 'port_state'> {
  const { port_state: _state, ...rest } = a;
  return rest;
}

function sameAttachments(a: readonly Attachment[], b: readonly Attachment[]): boolean {
  const key = (list: readonly Attachment[]): string =>
    JSON.stringify(
      [...list]
        .sort((x, y) => x.port_id.localeCompare(y.port_id))
        .map(stable)
        .map((e) => ({
          ...e,
          fixed_ips: [...e.fixed_ips].sort((x, y) => x.ip_address.localeCompare(y.ip_address)),
        })),
      (_k, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
          : v,
    );
  return key(a) === key(b);
}

/**
 * Lists the server through /v2/{own project}: skips when the cloud does not serve /v2 at all, and
 * checks the answer otherwise (a list without microversion headers, which the /v2 wrapper strips).
 */
async function probeLegacy(fx: Fixtures, serverId: string, own: string): Promise<void> {
  const probe = await fx.list(serverId, { versionSegment: 'v2', projectPrefix: own });
  const notFound = (probe.json as { itemNotFound?: unknown } | undefined)?.itemNotFound;
  if (probe.status === 404 && notFound === undefined)
    await skipBecause(fx, `the cloud does not serve the legacy /v2 endpoint (GET ${probe.url} answered 404)`);
  // The own project's /v2 answering is the control the refusals are measured against (TENANT-01's own).
  await fx.prerequisite('the legacy /v2/{own project} endpoint lists the own server (200)', async () =>
    expectStatus(probe, 200),
  );
  // The /v2 wrapper strips the microversion headers from every answer.
  expectNoVersionHeaders(probe);
}

describe('project id in the URL', () => {
  test('TENANT-01 the own project id as URL prefix answers 200 with the same list and show as without', async ({
    fx,
    attachedServer: server,
  }) => {
    const sid = server.id;
    const own = await fx.projectId();
    // An empty list would make the comparison weak: attach one when the run may write.
    const portId =
      server.baseline.size > 0 || !fx.config.readOnly
        ? await anAttachedPort(fx, server, 'tenant-01')
        : undefined;
    // The bodies' shape is LIST's and SHOW's; here only that the prefix changes nothing.
    const plain = await listedElements(fx, sid);
    const prefixed = await fx.list(sid, { projectPrefix: own });
    expectStatus(prefixed, 200);
    const body = (prefixed.json ?? {}) as Partial<ListBody>;
    expectThat(
      sameAttachments(body.interfaceAttachments ?? [], plain.attachments),
      prefixed,
      `the same interfaces as the unprefixed list (${JSON.stringify(plain.attachments)})`,
    );
    if (portId !== undefined) {
      const { attachment } = await showAttachment(fx, sid, portId, undefined, []);
      const got = await fx.show(sid, portId, { projectPrefix: own });
      expectStatus(got, 200);
      const shown = (got.json ?? {}) as Partial<{ interfaceAttachment: Attachment }>;
      expectThat(
        shown.interfaceAttachment !== undefined && sameAttachments([shown.interfaceAttachment], [attachment]),
        got,
        `the same interface as the unprefixed show (${JSON.stringify(attachment)})`,
      );
    }
  });

  test("TENANT-02 another project's id in the URL: list and show answer 400 Malformed request URL", async ({
    fx,
    server,
  }) => {
    const { other, own } = await foreignProject(fx);
    const answers = [
      await fx.list(server.id, { projectPrefix: other }),
      await fx.show(server.id, randomId(), { projectPrefix: other }),
    ];
    for (const got of answers) expectFault(got, 400, 'badRequest', projectMismatch(other, own));
  });

  test("TENANT-02 another project's id in the URL: attach answers 400 before validating the body", async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;

    const { other, own } = await foreignProject(fx);
    const valid = { interfaceAttachment: { port_id: randomId() } };
    proveValid('2.1', valid);
    const invalid = { interfaceAttachment: { port_id: 'abc' } };
    proveInvalid('2.1', invalid, valid);
    const answers: Exchange[] = [
      await fx.attach(server.id, valid, { projectPrefix: other }),
      // The project check runs before the schema: still the URL message, not a schema error.
      await fx.attach(server.id, invalid, { projectPrefix: other }),
    ];
    for (const got of answers) expectFault(got, 400, 'badRequest', projectMismatch(other, own));
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after attaches to a mismatched URL');
  });

  test("TENANT-02 another project's id in the URL: detach answers 400 and the port stays attached", async ({
    fx,
    server,
  }) => {
    const { other, own } = await foreignProject(fx);
    const portId = (await attachedPort(fx, server.id, 'tenant-02')).port.id;
    const before = new Set([...server.baseline, portId]);
    const got = await fx.detach(server.id, portId, { projectPrefix: other });
    expectFault(got, 400, 'badRequest', projectMismatch(other, own));
    await expectUnchangedInterfaces(fx, server.id, before, 'after a detach through a mismatched URL');
  });

  test('TENANT-03 the legacy /v2/{project_id} endpoint refuses another project id with 400 on list and show', async ({
    fx,
    server,
  }) => {
    const { other, own } = await foreignProject(fx);
    await probeLegacy(fx, server.id, own);
    const answers = [
      await fx.list(server.id, { versionSegment: 'v2', projectPrefix: other }),
      await fx.show(server.id, randomId(), { versionSegment: 'v2', projectPrefix: other }),
    ];
    for (const got of answers) {
      expectFault(got, 400, 'badRequest', projectMismatch(other, own));
      expectNoVersionHeaders(got);
    }
  });

  test('TENANT-03 the legacy /v2/{project_id} endpoint refuses another project id with 400 on detach', async ({
    fx,
    server,
  }) => {
    const baseline = server.baseline;

    const { other, own } = await foreignProject(fx);
    await probeLegacy(fx, server.id, own);
    const got = await fx.detach(server.id, randomId(), { versionSegment: 'v2', projectPrefix: other });
    expectFault(got, 400, 'badRequest', projectMismatch(other, own));
    expectNoVersionHeaders(got);
    await expectUnchangedInterfaces(fx, server.id, baseline, 'after a detach through a mismatched /v2 URL');
  });
});
