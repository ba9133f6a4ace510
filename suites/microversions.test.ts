import { describe, test, type AttachedServer } from '../lib/harness/check.ts';
import {
  expectMediaType,
  expectFault,
  expectNoVersionHeaders,
  expectSchema,
  expectStatus,
  expectThat,
  expectStandardVersionHeader,
  expectVersionHeaders,
} from '../lib/harness/expect.ts';
import type { VersionDocument, VersionsDocument } from '../lib/harness/bodies.ts';
import type { Fixtures } from '../lib/harness/fixtures.ts';
import { note, requireMicroversion } from '../lib/harness/outcomes.ts';
import { computeRoot } from '../lib/openstack/compute.ts';
import type { Exchange } from '../lib/openstack/http.ts';
import { compareMicroversions } from '../lib/schema/validator.ts';
import {
  listAttachments,
  listedPortIds,
  onlyElementFor,
  showAttachment,
  randomId,
  type ListBody,
} from './support/attachments.ts';
import { proveInvalid } from './support/bodies.ts';
import { anAttachedPort } from './support/sample-port.ts';

const STANDARD = 'OpenStack-API-Version';
const LEGACY = 'X-OpenStack-Nova-API-Version';

interface HeaderCase {
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The version Nova applies for these request headers. */
  readonly effective: string;
}

/**
 * Lists the server (and shows one attached port, when there is one) with exactly `headers` as
 * version headers, and checks that Nova applied `effective`: the response headers name it and the
 * bodies have its shape (the 2.70 `tag` key present or absent).
 */
async function expectApplied(
  fx: Fixtures,
  serverId: string,
  portId: string | undefined,
  c: HeaderCase,
): Promise<void> {
  const tagged = compareMicroversions(c.effective, '2.70') >= 0;
  // The bodies are read for the one key that tells the versions apart; their shape is LIST's and SHOW's.
  const { exchange: listed, attachments } = await listAttachments(fx, serverId, undefined, [], {
    headers: c.headers,
  });
  expectVersionHeaders(listed, c.effective);
  if (portId === undefined) return;
  const element = await fx.prerequisite('the attached port is in the list', async () =>
    onlyElementFor(attachments, portId, listed),
  );
  expectThat(
    element !== undefined && 'tag' in element === tagged,
    listed,
    `${c.label}: version ${c.effective} applied to the list, so ${tagged ? 'a' : 'no'} tag key`,
  );
  const { exchange: shown, attachment } = await showAttachment(fx, serverId, portId, undefined, [], {
    headers: c.headers,
  });
  expectVersionHeaders(shown, c.effective);
  expectThat(
    'tag' in attachment === tagged,
    shown,
    `${c.label}: version ${c.effective} applied, so ${tagged ? 'a' : 'no'} tag key`,
  );
}

/**
 * Runs `check` with a port attached to the check's server. A read-only run on a server without
 * interfaces cannot attach one: then only the list (empty) and its headers are checked.
 */
async function withPort(
  fx: Fixtures,
  server: AttachedServer,
  purpose: string,
  check: (fx: Fixtures, serverId: string, portId: string | undefined) => Promise<void>,
): Promise<void> {
  await requireMicroversion(fx, '2.70');
  if (server.baseline.size === 0 && fx.config.readOnly) {
    await note(fx, 'bodies not checked: the server has no interface and the run is read-only', 'note');
    return check(fx, server.id, undefined);
  }
  return check(fx, server.id, await anAttachedPort(fx, server, purpose));
}

/** The smallest microversion above the server's maximum. */
function aboveMax(max: string): string {
  const [major, minor] = max.split('.').map(Number);
  return `${major ?? 2}.${(minor ?? 0) + 1}`;
}

describe('microversion negotiation', () => {
  test('MV-01 success and fault answers carry both version headers and Vary; 2.1 without a header', async ({
    fx,
    server,
  }) => {
    const exchange = await fx.list(server.id);
    expectStatus(exchange, 200);
    expectVersionHeaders(exchange, '2.1');
    const v = fx.supports('2.70') ? '2.70' : fx.s.versions.max;
    const portId = randomId();
    const missing = await fx.show(server.id, portId, { microversion: v });
    await fx.prerequisite('a show of an unknown port answers 404 itemNotFound', async () =>
      expectFault(missing, 404, 'itemNotFound', `Port id ${portId} could not be found.`),
    );
    expectVersionHeaders(missing, v);
    const latest = await fx.list(server.id, { microversion: 'latest' });
    expectStatus(latest, 200);
    expectVersionHeaders(latest, fx.s.versions.max);
  });

  test('MV-01 an attach refused by the schema carries both version headers and Vary', async ({
    fx,
    server,
  }) => {
    const v = fx.supports('2.70') ? '2.70' : fx.s.versions.max;
    const invalid = { interfaceAttachment: { port_id: 'abc' } };
    proveInvalid(v, invalid);
    const refused = await fx.attach(server.id, invalid, { microversion: v });
    await fx.prerequisite('an attach the schema refuses answers 400 badRequest', async () =>
      expectFault(refused, 400, 'badRequest', { prefix: 'Invalid input for field/attribute port_id.' }),
    );
    expectVersionHeaders(refused, v);
  });

  test('MV-02 only the legacy or only the standard header (2.70) is honoured', async ({
    fx,
    attachedServer: server,
  }) => {
    await withPort(fx, server, 'mv-02', async (fx, sid, pid) => {
      for (const c of [
        { label: `only ${LEGACY}: 2.70`, headers: { [LEGACY]: '2.70' }, effective: '2.70' },
        {
          label: `only ${STANDARD}: compute 2.70`,
          headers: { [STANDARD]: 'compute 2.70' },
          effective: '2.70',
        },
        {
          label: 'both headers 2.70',
          headers: { [STANDARD]: 'compute 2.70', [LEGACY]: '2.70' },
          effective: '2.70',
        },
        { label: `only ${LEGACY}: 2.69`, headers: { [LEGACY]: '2.69' }, effective: '2.69' },
      ])
        await expectApplied(fx, sid, pid, c);
    });
  });

  test('MV-02 both headers with different values: the OpenStack-API-Version value wins', async ({
    fx,
    attachedServer: server,
  }) => {
    await withPort(fx, server, 'mv-02', async (fx, sid, pid) => {
      for (const c of [
        {
          label: 'standard 2.70, legacy 2.69',
          headers: { [STANDARD]: 'compute 2.70', [LEGACY]: '2.69' },
          effective: '2.70',
        },
        {
          label: 'standard 2.69, legacy 2.70',
          headers: { [STANDARD]: 'compute 2.69', [LEGACY]: '2.70' },
          effective: '2.69',
        },
      ])
        await expectApplied(fx, sid, pid, c);
    });
  });

  test('MV-03 OpenStack-API-Version: volume 3.0 alone is no compute version (2.1)', async ({
    fx,
    attachedServer: server,
  }) => {
    await withPort(fx, server, 'mv-03', async (fx, sid, pid) => {
      await expectApplied(fx, sid, pid, {
        label: 'volume 3.0 only',
        headers: { [STANDARD]: 'volume 3.0' },
        effective: '2.1',
      });
    });
  });

  test('MV-03 entries for other services are skipped: the compute entry or the legacy header applies', async ({
    fx,
    attachedServer: server,
  }) => {
    await withPort(fx, server, 'mv-03', async (fx, sid, pid) => {
      for (const c of [
        {
          label: 'volume 3.0 plus legacy 2.70',
          headers: { [STANDARD]: 'volume 3.0', [LEGACY]: '2.70' },
          effective: '2.70',
        },
        {
          label: 'folded compute 2.70, volume 3.0',
          headers: { [STANDARD]: 'compute 2.70, volume 3.0' },
          effective: '2.70',
        },
      ])
        await expectApplied(fx, sid, pid, c);
    });
  });

  test('MV-04 2.0 and the maximum plus one answer 406 with the requested version echoed', async ({
    fx,
    server,
  }) => {
    const { min, max } = fx.s.versions;
    // The expected message names the range the version document gave (VERSIONS-01's to judge).
    await fx.prerequisite('the version document names the minimum and maximum microversion', async () => {
      if (!/^\d+\.\d+$/.test(min) || !/^\d+\.\d+$/.test(max))
        throw new Error(`the version document gave min_version '${min}' and version '${max}'`);
    });
    for (const v of ['2.0', aboveMax(max)]) {
      const got = await fx.list(server.id, { microversion: v });
      expectFault(
        got,
        406,
        'computeFault',
        `Version ${v} is not supported by the API. Minimum is ${min} and maximum is ${max}.`,
      );
      // The echo of what was asked; Vary is MV-01's.
      expectStandardVersionHeader(got, v);
    }
  });

  test.for(['2.1.3', 'abc', 'LATEST'])(
    'MV-05 version %s is of invalid format: 400 without version headers',
    async (v, { fx, server }) => {
      const got = await fx.list(server.id, { microversion: v });
      expectFault(
        got,
        400,
        'badRequest',
        `API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`,
      );
      // The version could not be parsed, so none is echoed.
      expectNoVersionHeaders(got);
    },
  );

  test('MV-06 below 2.102 an unknown query parameter on list is ignored', async ({ fx, server }) => {
    const v = fx.supports('2.102') ? '2.101' : fx.s.versions.max;
    const plain = (await listedPortIds(fx, server.id)).ids.sort().join();
    const got = await fx.call('GET', `/servers/${server.id}/os-interface?foo=bar`, { microversion: v });
    expectStatus(got, 200);
    const seen = ((got.json as Partial<ListBody> | undefined)?.interfaceAttachments ?? [])
      .map((a) => a.port_id)
      .sort()
      .join();
    expectThat(seen === plain, got, `the same interfaces as without the parameter (${plain || 'none'})`);
  });

  test('MV-06 from 2.102 an unknown query parameter on list and show answers 400', async ({ fx, server }) => {
    await requireMicroversion(fx, '2.102');

    for (const v of ['2.102', fx.s.versions.max]) {
      const answers: Exchange[] = [
        await fx.call('GET', `/servers/${server.id}/os-interface?foo=bar`, { microversion: v }),
        await fx.call('GET', `/servers/${server.id}/os-interface/${randomId()}?foo=bar`, {
          microversion: v,
        }),
      ];
      for (const got of answers) {
        expectFault(got, 400, 'badRequest', { contains: ["'foo' was unexpected"] });
      }
    }
  });
});

describe('version documents', () => {
  test('VERSIONS-01 GET on the compute root lists v2.0 and v2.1 without a token', async ({ fx }) => {
    const url = `${computeRoot(fx.s.compute.base)}/`;
    const got = await fx.send({ method: 'GET', url });
    expectStatus(got, 200);
    expectMediaType(got, 'application/json');
    const { versions } = expectSchema<VersionsDocument>(got, 'common/versions');
    const ids = versions.map((v) => v.id).sort();
    expectThat(ids.join() === 'v2.0,v2.1', got, `exactly the entries v2.0 and v2.1 (got ${ids.join(', ')})`);
    const current = versions.find((v) => v.id === 'v2.1');
    expectThat(
      current?.status === 'CURRENT' && current.min_version === '2.1' && current.version === fx.s.versions.max,
      got,
      `v2.1 CURRENT with min_version 2.1 and version ${fx.s.versions.max}`,
    );
  });

  test('VERSIONS-01 GET /v2.1/ without a token answers the version document with the maximum', async ({
    fx,
  }) => {
    const got = await fx.send({ method: 'GET', url: `${fx.s.compute.base}/` });
    expectStatus(got, 200);
    expectMediaType(got, 'application/json');
    const { version } = expectSchema<VersionDocument>(got, 'common/version');
    expectThat(
      version.version === fx.s.versions.max && version.min_version === '2.1',
      got,
      `version ${fx.s.versions.max} (what the run discovered) and min_version 2.1`,
    );
  });
});
