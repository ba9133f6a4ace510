// supertest against createMockApp().handler: routes, error paths and their order, as real Nova answers.
import type request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fault, setup } from './app-setup.ts';

type Json = Record<string, unknown>;

function rawHeaders(res: request.Response, name: string): string[] {
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === name) out.push(raw[i + 1] ?? '');
  return out;
}

describe('keystone', () => {
  it('issues password and application-credential tokens with a catalog', async () => {
    const { app, agent } = await setup();
    const res = await agent.post('/identity/v3/auth/tokens').send({
      auth: {
        identity: { methods: ['application_credential'], application_credential: app.applicationCredential },
      },
    });
    expect(res.status).toBe(201);
    const token = (res.body as { token: Json }).token;
    expect(token.methods).toEqual(['application_credential']);
    const catalog = token.catalog as { type: string; endpoints: { url: string; interface: string }[] }[];
    const compute = catalog.find((c) => c.type === 'compute');
    expect(compute?.endpoints.map((e) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    expect(compute?.endpoints[0]?.url).toMatch(/\/compute\/v2\.1$/);
  });
  it('answers 401 for a wrong password and 400 for a malformed body', async () => {
    const { agent } = await setup();
    const bad = await agent.post('/identity/v3/auth/tokens').send({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'demo', domain: { id: 'default' }, password: 'x' } },
        },
      },
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
    const malformed = await agent
      .post('/identity/v3/auth/tokens')
      .set('Content-Type', 'application/json')
      .send('{x');
    expect(malformed.status).toBe(400);
    expect((malformed.body as { error: Json }).error.code).toBe(400);
    const noIdentity = await agent.post('/identity/v3/auth/tokens').send({ auth: {} });
    expect(noIdentity.status).toBe(400);
  });
  it('expired tokens get the keystonemiddleware 401 from nova (AUTH-01)', async () => {
    const { agent, boot, iface, app } = await setup({ tokenTtlSeconds: 1 });
    const tok = String(
      (
        await agent.post('/identity/v3/auth/tokens').send({
          auth: {
            identity: {
              methods: ['password'],
              password: {
                user: { name: 'demo', domain: { name: 'Default' }, password: app.users.member.password },
              },
            },
            scope: { project: { name: 'demo', domain: { name: 'Default' } } },
          },
        })
      ).headers['x-subject-token'],
    );
    const sid = await boot(tok);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await agent.get(iface(sid)).set('X-Auth-Token', tok);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Keystone uri="http:\/\/.*\/identity"$/);
    expect(res.headers['openstack-api-version']).toBeUndefined();
    expect(res.headers['x-compute-request-id']).toBe(res.headers['x-openstack-request-id']);
    for (const tokenHeader of [undefined, 'bogus']) {
      const r = agent.get(iface(sid));
      const rr = await (tokenHeader ? r.set('X-Auth-Token', tokenHeader) : r);
      expect(rr.status).toBe(401);
    }
  });
});

describe('nova version documents (VERSIONS-01)', () => {
  it('serves / and /v2.1/ without a token', async () => {
    const { agent } = await setup();
    const root = await agent.get('/compute/');
    expect(root.status).toBe(200);
    const versions = (root.body as { versions: Json[] }).versions;
    expect(versions.map((v) => [v.id, v.status])).toEqual([
      ['v2.0', 'SUPPORTED'],
      ['v2.1', 'CURRENT'],
    ]);
    for (const p of ['/compute/v2.1', '/compute/v2.1/']) {
      const v = await agent.get(p);
      expect(v.status).toBe(200);
      const doc = (v.body as { version: Json }).version;
      expect(doc).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: '2.93', min_version: '2.1' });
      expect(doc['media-types']).toBeDefined();
    }
  });
  it('2026.2: 2.104 and v2.0 DEPRECATED', async () => {
    const { agent } = await setup({ release: '2026.2' });
    const root = await agent.get('/compute/');
    expect((root.body as { versions: Json[] }).versions.map((v) => [v.id, v.status, v.version])).toEqual([
      ['v2.0', 'DEPRECATED', ''],
      ['v2.1', 'CURRENT', '2.104'],
    ]);
  });
});

describe('microversions (MV-01..06)', () => {
  it('echoes the version in both headers and sends Vary twice, on success and fault', async () => {
    const { agent, demo, boot, iface } = await setup();
    const sid = await boot(demo);
    const ok = await agent.get(iface(sid)).set('X-Auth-Token', demo);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.headers['openstack-api-version']).toBe('compute 2.1');
    expect(ok.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(rawHeaders(ok, 'vary')).toEqual(['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version']);
    const bad = await agent
      .get(iface('nope'))
      .set('X-Auth-Token', demo)
      .set('X-OpenStack-Nova-API-Version', '2.70');
    fault(bad, 404, 'itemNotFound', 'Instance nope could not be found.');
    expect(bad.headers['openstack-api-version']).toBe('compute 2.70');
    expect(rawHeaders(bad, 'vary')).toHaveLength(2);
  });
  it('standard header wins; other services ignored; latest = max', async () => {
    const { agent, demo, boot, iface } = await setup();
    const sid = await boot(demo);
    const both = await agent
      .get(iface(sid))
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute 2.70')
      .set('X-OpenStack-Nova-API-Version', '2.1');
    expect(both.headers['openstack-api-version']).toBe('compute 2.70');
    expect(
      Object.keys((both.body as { interfaceAttachments: Json[] }).interfaceAttachments[0] ?? {}),
    ).toContain('tag');
    const vol = await agent
      .get(iface(sid))
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'volume 3.0');
    expect(vol.headers['openstack-api-version']).toBe('compute 2.1');
    const latest = await agent
      .get(iface(sid))
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute latest');
    expect(latest.headers['openstack-api-version']).toBe('compute 2.93');
  });
  it('406 out of range with echoed headers; 400 malformed without them', async () => {
    const { agent, demo, boot, iface } = await setup();
    const sid = await boot(demo);
    for (const v of ['2.0', '2.94']) {
      const res = await agent
        .get(iface(sid))
        .set('X-Auth-Token', demo)
        .set('OpenStack-API-Version', `compute ${v}`);
      fault(
        res,
        406,
        'computeFault',
        `Version ${v} is not supported by the API. Minimum is 2.1 and maximum is 2.93.`,
      );
      expect(res.headers['x-openstack-nova-api-version']).toBe(v);
    }
    for (const v of ['2.1.3', 'abc', 'LATEST', '2.01']) {
      const res = await agent
        .get(iface(sid))
        .set('X-Auth-Token', demo)
        .set('X-OpenStack-Nova-API-Version', v);
      fault(
        res,
        400,
        'badRequest',
        `API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`,
      );
      expect(res.headers['openstack-api-version']).toBeUndefined();
    }
  });
  it('2026.2 rejects query parameters from 2.102 (MV-06); zed ignores them', async () => {
    const m = await setup({ release: '2026.2' });
    const sid = await m.boot(m.demo);
    const rej = await m.agent
      .get(`${m.iface(sid)}?foo=bar`)
      .set('X-Auth-Token', m.demo)
      .set('OpenStack-API-Version', 'compute 2.102');
    fault(rej, 400, 'badRequest', "Additional properties are not allowed ('foo' was unexpected)");
    const okOld = await m.agent
      .get(`${m.iface(sid)}?foo=bar`)
      .set('X-Auth-Token', m.demo)
      .set('OpenStack-API-Version', 'compute 2.101');
    expect(okOld.status).toBe(200);
    const z = await setup();
    const zsid = await z.boot(z.demo);
    const zres = await z.agent
      .get(`${z.iface(zsid)}?foo=bar`)
      .set('X-Auth-Token', z.demo)
      .set('OpenStack-API-Version', 'compute 2.93');
    expect(zres.status).toBe(200);
  });
});

describe('routing, tenants and order of checks', () => {
  it('PUT and unknown sub-paths are a plain HTML 404 (ROUTE-01)', async () => {
    const { agent, demo, boot, iface } = await setup();
    const sid = await boot(demo);
    // webob answers in the form Accept asks for; */* (what most clients send) gets the HTML page.
    for (const res of [
      await agent.put(iface(sid)).set('X-Auth-Token', demo).set('Accept', '*/*').send({}),
      await agent
        .put(`${iface(sid)}/x`)
        .set('X-Auth-Token', demo)
        .set('Accept', '*/*')
        .send({}),
      await agent.get(`/compute/v2.1/servers/${sid}/nothing`).set('X-Auth-Token', demo).set('Accept', '*/*'),
      await agent
        .get(`/compute/v2.1/NOTHEX/servers/${sid}/os-interface`)
        .set('X-Auth-Token', demo)
        .set('Accept', '*/*'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(res.text).toContain('<title>404 Not Found</title>');
      expect(res.headers['x-openstack-request-id']).toMatch(/^req-/);
    }
    // As the devcloud answers: webob's JSON for application/json, plain text with no Accept.
    const asJson = await agent
      .put(iface(sid))
      .set('X-Auth-Token', demo)
      .set('Accept', 'application/json')
      .send({});
    expect(asJson.headers['content-type']).toBe('application/json');
    expect(asJson.body).toEqual({
      message: 'The resource could not be found.<br /><br />\n\n\n',
      code: '404 Not Found',
      title: 'Not Found',
    });
    const plain = await agent.put(iface(sid)).set('X-Auth-Token', demo).send({});
    expect(plain.headers['content-type']).toBe('text/plain; charset=UTF-8');
  });
  it('project-prefixed routes (TENANT-01/02/03), mismatch checked before the body schema', async () => {
    const { agent, demo, boot, ids } = await setup();
    const sid = await boot(demo);
    const own = await agent
      .get(`/compute/v2.1/${ids.demoProject}/servers/${sid}/os-interface`)
      .set('X-Auth-Token', demo);
    expect(own.status).toBe(200);
    const msg = `Malformed request URL: URL's project_id '${ids.altProject}' doesn't match Context's project_id '${ids.demoProject}'`;
    const other = await agent
      .post(`/compute/v2.1/${ids.altProject}/servers/${sid}/os-interface`)
      .set('X-Auth-Token', demo)
      .send({ bogus: 1 });
    fault(other, 400, 'badRequest', msg);
    const legacy = await agent
      .delete(`/compute/v2/${ids.altProject}/servers/${sid}/os-interface/x`)
      .set('X-Auth-Token', demo);
    fault(legacy, 400, 'badRequest', msg);
    expect(legacy.headers['openstack-api-version']).toBeUndefined();
  });
  it('invalid body to a missing server is 400; another project gets 404, not 403 (VALIDATE-17, POLICY-02)', async () => {
    const { agent, demo, alt, boot, iface } = await setup();
    const sid = await boot(demo);
    fault(
      await agent
        .post(iface('3c5c69f9-be6b-43fa-9df5-c23d85f6096e'))
        .set('X-Auth-Token', demo)
        .send({ foo: 1 }),
      400,
      'badRequest',
      "Additional properties are not allowed ('foo' was unexpected)",
    );
    for (const res of [
      await agent.get(iface(sid)).set('X-Auth-Token', alt),
      await agent.post(iface(sid)).set('X-Auth-Token', alt).send({ interfaceAttachment: {} }),
      await agent.delete(`${iface(sid)}/x`).set('X-Auth-Token', alt),
    ])
      fault(res, 404, 'itemNotFound', `Instance ${sid} could not be found.`);
  });
  it('415, malformed JSON, empty body, huge body; still serving after each', async () => {
    const { agent, demo, boot, iface } = await setup();
    const sid = await boot(demo);
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .set('Content-Type', 'application/xml')
        .send('<a/>'),
      415,
      'badMediaType',
      'Unsupported Content-Type',
    );
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .set('Content-Type', 'application/json')
        .send('{bad'),
      400,
      'badRequest',
      'Malformed request body',
    );
    fault(
      await agent.post(iface(sid)).set('X-Auth-Token', demo),
      400,
      'badRequest',
      "None is not of type 'object'",
    );
    const huge = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .set('Content-Type', 'application/json')
      .send(`{"x": "${'a'.repeat(120_000)}"}`)
      .catch((e: { response?: request.Response }) => e.response);
    expect(huge?.status).toBe(413);
    const after = await agent.get(iface(sid)).set('X-Auth-Token', demo);
    expect(after.status).toBe(200);
  });
});

describe('VALIDATE', () => {
  it('reproduces Nova/jsonschema messages', async () => {
    const { agent, demo, boot, iface, ids } = await setup();
    const sid = await boot(demo);
    const net = ids.privateNet;
    const post = (body: unknown, v = '2.1') =>
      agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .set('OpenStack-API-Version', `compute ${v}`)
        .send(body as object);
    const cases: [unknown, string, string][] = [
      [
        { interfaceAttachment: { tag: 'x' } },
        '2.48',
        "Invalid input for field/attribute interfaceAttachment. Value: {'tag': 'x'}. Additional properties are not allowed ('tag' was unexpected)",
      ],
      [
        { interfaceAttachment: { net_id: net, tag: 'a,b' } },
        '2.49',
        "Invalid input for field/attribute tag. Value: a,b. 'a,b' does not match '^[^,/]*$'",
      ],
      [
        { interfaceAttachment: { net_id: net, tag: '' } },
        '2.49',
        "Invalid input for field/attribute tag. Value: . '' is too short",
      ],
      [
        { interfaceAttachment: { net_id: 'abc' } },
        '2.1',
        "Invalid input for field/attribute net_id. Value: abc. 'abc' is not a 'uuid'",
      ],
      [
        { interfaceAttachment: { net_id: 1 } },
        '2.1',
        "Invalid input for field/attribute net_id. Value: 1. 1 is not of type 'string'",
      ],
      [
        { interfaceAttachment: { net_id: net, fixed_ips: [] } },
        '2.1',
        'Invalid input for field/attribute fixed_ips. Value: []. [] is too short',
      ],
      [
        { interfaceAttachment: { net_id: net, fixed_ips: [{ ip_address: '10.0.0' }] } },
        '2.1',
        "Invalid input for field/attribute ip_address. Value: 10.0.0. '10.0.0' is not valid under any of the given schemas",
      ],
      [
        { interfaceAttachment: { net_id: net, fixed_ips: [{ ip_address: '10.0.0.5', subnet_id: 'x' }] } },
        '2.1',
        "Invalid input for field/attribute 0. Value: {'ip_address': '10.0.0.5', 'subnet_id': 'x'}. Additional properties are not allowed ('subnet_id' was unexpected)",
      ],
      [
        { interfaceAttachment: { foo: 1 } },
        '2.1',
        "Invalid input for field/attribute interfaceAttachment. Value: {'foo': 1}. Additional properties are not allowed ('foo' was unexpected)",
      ],
      [
        { interfaceAttachment: null },
        '2.1',
        "Invalid input for field/attribute interfaceAttachment. Value: None. None is not of type 'object'",
      ],
      [{ foo: 1 }, '2.1', "Additional properties are not allowed ('foo' was unexpected)"],
      [
        { interfaceAttachment: { net_id: net, port_id: net } },
        '2.1',
        'Must not input both network_id and port_id',
      ],
      [
        { interfaceAttachment: { port_id: net, fixed_ips: [{ ip_address: '10.0.0.9' }] } },
        '2.1',
        'Must input network_id when request IP address',
      ],
      [
        { interfaceAttachment: { fixed_ips: [{ ip_address: '10.0.0.9' }] } },
        '2.1',
        'Must input network_id when request IP address',
      ],
    ];
    for (const [body, v, message] of cases) fault(await post(body, v), 400, 'badRequest', message);
    const sixty = await post({ interfaceAttachment: { net_id: net, tag: 'x'.repeat(60) } }, '2.49');
    expect(sixty.status).toBe(200);
  });
});

describe('attach, show, detach', () => {
  it('attaches by net_id, port_id and fixed IP; tags from 2.49, echoed from 2.70 (ATTACH-01..06)', async () => {
    const { agent, demo, boot, iface, ids } = await setup();
    const sid = await boot(demo);
    const byNet = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { net_id: ids.sharedNet } });
    expect(byNet.status).toBe(200);
    const att = (byNet.body as { interfaceAttachment: Json }).interfaceAttachment;
    expect(Object.keys(att).sort()).toEqual(['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state']);
    expect(att.mac_addr).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const port = await agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', demo)
      .send({ port: { network_id: ids.privateNet } });
    const pid = String((port.body as { port: Json }).port.id);
    const byPort = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute 2.70')
      .send({ interfaceAttachment: { port_id: pid, tag: 'public' } });
    expect((byPort.body as { interfaceAttachment: Json }).interfaceAttachment).toMatchObject({
      port_id: pid,
      tag: 'public',
    });
    const at69 = await agent
      .get(`${iface(sid)}/${pid}`)
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute 2.69');
    expect((at69.body as { interfaceAttachment: Json }).interfaceAttachment.tag).toBeUndefined();
    const ip = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { net_id: ids.privateNet, fixed_ips: [{ ip_address: '10.0.0.77' }] } });
    expect(
      ((ip.body as { interfaceAttachment: { fixed_ips: Json[] } }).interfaceAttachment.fixed_ips[0] ?? {})
        .ip_address,
    ).toBe('10.0.0.77');
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { net_id: ids.privateNet, fixed_ips: [{ ip_address: '10.0.0.77' }] } }),
      409,
      'conflictingRequest',
      'Fixed IP 10.0.0.77 is already in use.',
    );
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { port_id: pid } }),
      409,
      'conflictingRequest',
      `Port ${pid} is still in use.`,
    );
    const other = await boot(demo);
    fault(
      await agent
        .post(iface(other))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { port_id: pid } }),
      409,
      'conflictingRequest',
      `Port ${pid} is still in use.`,
    );
    fault(
      await agent.get(`${iface(other)}/${pid}`).set('X-Auth-Token', demo),
      404,
      'itemNotFound',
      `Instance ${other} does not have a port with id ${pid}`,
    );
    const list = await agent.get(iface(sid)).set('X-Auth-Token', demo);
    expect((list.body as { interfaceAttachments: Json[] }).interfaceAttachments).toHaveLength(4);
  });
  it('NETSELECT: several, one, none', async () => {
    const { agent, demo, alt, admin, boot, iface, ids, app } = await setup();
    const sid = await boot(demo);
    fault(
      await agent.post(iface(sid)).set('X-Auth-Token', demo).send({ interfaceAttachment: {} }),
      400,
      'badRequest',
      'Multiple possible networks found, use a Network ID to be more specific.',
    );
    // Unshare the shared network: alt then sees only its own network.
    expect(
      (
        await agent
          .put(`/network/v2.0/networks/${ids.sharedNet}`)
          .set('X-Auth-Token', admin)
          .send({ network: { shared: false } })
      ).status,
    ).toBe(200);
    const asid = await boot(alt, [{ uuid: ids.altNet }]);
    const one = await agent.post(iface(asid)).set('X-Auth-Token', alt).send({ interfaceAttachment: {} });
    expect(one.status).toBe(200);
    expect((one.body as { interfaceAttachment: Json }).interfaceAttachment.net_id).toBe(ids.altNet);
    // Take alt's network away (ports first) to get the "none" case.
    const nsid = await boot(alt, 'none');
    for (const p of app.state.ports.values()) if (p.networkId === ids.altNet) app.state.ports.delete(p.id);
    expect((await agent.delete(`/network/v2.0/networks/${ids.altNet}`).set('X-Auth-Token', alt)).status).toBe(
      204,
    );
    fault(
      await agent.post(iface(nsid)).set('X-Auth-Token', alt).send({}),
      400,
      'badRequest',
      `No specific network was requested and none are available for project '${ids.altProject}'.`,
    );
  });
  it('unknown net/port, other project port, quota (NOTFOUND-03/04/05, QUOTA-01)', async () => {
    const { agent, demo, admin, boot, iface, ids } = await setup();
    const sid = await boot(demo);
    const bogus = '3c5c69f9-be6b-43fa-9df5-c23d85f6096e';
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { net_id: bogus } }),
      500,
      'computeFault',
      /RemoteError/,
    );
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { port_id: bogus } }),
      404,
      'itemNotFound',
      `Port id ${bogus} could not be found.`,
    );
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({
          interfaceAttachment: { net_id: ids.privateNet, fixed_ips: [{ ip_address: '192.168.9.9' }] },
        }),
      500,
      'computeFault',
      "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'nova.exception_Remote.InvalidInput_Remote'>",
    );
    const ap = await agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', admin)
      .send({ port: { network_id: ids.sharedNet } });
    const apid = String((ap.body as { port: Json }).port.id);
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { port_id: apid } }),
      404,
      'itemNotFound',
      `Port id ${apid} could not be found.`,
    );
    expect(
      (
        await agent
          .put(`/network/v2.0/quotas/${ids.demoProject}`)
          .set('X-Auth-Token', admin)
          .send({ quota: { port: 1 } })
      ).status,
    ).toBe(200);
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { net_id: ids.privateNet } }),
      403,
      'forbidden',
      'Maximum number of ports exceeded',
    );
    const neutron = await agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', demo)
      .send({ port: { network_id: ids.privateNet } });
    expect(neutron.status).toBe(409);
    expect((neutron.body as { NeutronError: Json }).NeutronError.type).toBe('OverQuota');
  });
  it('detach: 202, port removed, Nova-created deleted, user port unbound, events (DETACH-01..05)', async () => {
    const { agent, demo, admin, boot, iface, ids, app } = await setup();
    const sid = await boot(demo);
    const port = await agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', demo)
      .send({ port: { network_id: ids.privateNet } });
    const pid = String((port.body as { port: Json }).port.id);
    await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { port_id: pid } });
    const created = await agent
      .post(iface(sid))
      .set('X-Auth-Token', demo)
      .send({ interfaceAttachment: { net_id: ids.sharedNet } });
    const cid = String((created.body as { interfaceAttachment: Json }).interfaceAttachment.port_id);
    const d = await agent.delete(`${iface(sid)}/${pid}`).set('X-Auth-Token', demo);
    expect(d.status).toBe(202);
    expect(d.text).toBe('');
    expect(d.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    const after = (await agent.get(`/network/v2.0/ports/${pid}`).set('X-Auth-Token', demo)).body as {
      port: Json;
    };
    expect(after.port).toMatchObject({ device_id: '', device_owner: '', status: 'DOWN' });
    expect((await agent.delete(`${iface(sid)}/${cid}`).set('X-Auth-Token', demo)).status).toBe(202);
    expect(app.state.ports.has(cid)).toBe(false);
    const again = await agent.delete(`${iface(sid)}/${pid}`).set('X-Auth-Token', demo);
    expect(again.status).toBe(202);
    const action = await agent
      .get(
        `/compute/v2.1/servers/${sid}/os-instance-actions/${String(again.headers['x-openstack-request-id'])}`,
      )
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute 2.84');
    const ia = (action.body as { instanceAction: { message: string; events: Json[] } }).instanceAction;
    expect(ia.message).toBe('Error');
    expect(ia.events[0]).toMatchObject({ event: 'compute_detach_interface', result: 'Error' });
    // The details (2.84) are admin-only, as the devcloud shows a member (docs/fidelity.md).
    expect(ia.events[0]).not.toHaveProperty('details');
    const asAdmin = await agent
      .get(
        `/compute/v2.1/servers/${sid}/os-instance-actions/${String(again.headers['x-openstack-request-id'])}`,
      )
      .set('X-Auth-Token', admin)
      .set('OpenStack-API-Version', 'compute 2.84');
    expect((asAdmin.body as { instanceAction: { events: Json[] } }).instanceAction.events[0]).toMatchObject({
      details: `Port ${pid} is not attached`,
    });
    const ok = await agent
      .get(`/compute/v2.1/servers/${sid}/os-instance-actions/${String(d.headers['x-openstack-request-id'])}`)
      .set('X-Auth-Token', demo)
      .set('OpenStack-API-Version', 'compute 2.84');
    expect((ok.body as { instanceAction: { events: Json[] } }).instanceAction.events[0]).toMatchObject({
      event: 'compute_detach_interface',
      result: 'Success',
    });
  });
});

describe('STATE and POLICY', () => {
  it('locked: 409 for the owner, admin passes (STATE-01)', async () => {
    const { agent, demo, admin, boot, iface, ids } = await setup();
    const sid = await boot(demo);
    expect(
      (
        await agent
          .post(`/compute/v2.1/servers/${sid}/action`)
          .set('X-Auth-Token', admin)
          .send({ lock: null })
      ).status,
    ).toBe(202);
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { net_id: ids.privateNet } }),
      409,
      'conflictingRequest',
      `Instance ${sid} is locked`,
    );
    fault(
      await agent.delete(`${iface(sid)}/x`).set('X-Auth-Token', demo),
      409,
      'conflictingRequest',
      `Instance ${sid} is locked`,
    );
    expect(
      (
        await agent
          .post(iface(sid))
          .set('X-Auth-Token', admin)
          .send({ interfaceAttachment: { net_id: ids.privateNet } })
      ).status,
    ).toBe(200);
    expect((await agent.get(iface(sid)).set('X-Auth-Token', demo)).status).toBe(200);
  });
  it('suspended / shelved_offloaded → 409; stopped and paused allowed (STATE-02/03)', async () => {
    const { agent, demo, boot, iface, ids } = await setup();
    const act = (sid: string, body: object) =>
      agent.post(`/compute/v2.1/servers/${sid}/action`).set('X-Auth-Token', demo).send(body);
    for (const [action, state] of [
      ['suspend', 'suspended'],
      ['shelve', 'shelved_offloaded'],
    ] as const) {
      const sid = await boot(demo);
      expect((await act(sid, { [action]: null })).status).toBe(202);
      fault(
        await agent
          .post(iface(sid))
          .set('X-Auth-Token', demo)
          .send({ interfaceAttachment: { net_id: ids.privateNet } }),
        409,
        'conflictingRequest',
        `Cannot 'attach_interface' instance ${sid} while it is in vm_state ${state}`,
      );
      fault(
        await agent.delete(`${iface(sid)}/x`).set('X-Auth-Token', demo),
        409,
        'conflictingRequest',
        `Cannot 'detach_interface' instance ${sid} while it is in vm_state ${state}`,
      );
    }
    for (const action of ['os-stop', 'pause']) {
      const sid = await boot(demo);
      expect((await act(sid, { [action]: null })).status).toBe(202);
      expect(
        (
          await agent
            .post(iface(sid))
            .set('X-Auth-Token', demo)
            .send({ interfaceAttachment: { net_id: ids.privateNet } })
        ).status,
      ).toBe(200);
      expect((await agent.delete(`${iface(sid)}/x`).set('X-Auth-Token', demo)).status).toBe(202);
    }
  });
  it('task_state during reboot → 409 (STATE-04)', async () => {
    const { agent, demo, boot, iface, ids, app } = await setup({
      delays: { build: 0, detach: 0, portActive: 0, taskState: 5000 },
    });
    const sid = await boot(demo);
    expect(
      (
        await agent
          .post(`/compute/v2.1/servers/${sid}/action`)
          .set('X-Auth-Token', demo)
          .send({ reboot: { type: 'SOFT' } })
      ).status,
    ).toBe(202);
    fault(
      await agent
        .post(iface(sid))
        .set('X-Auth-Token', demo)
        .send({ interfaceAttachment: { net_id: ids.privateNet } }),
      409,
      'conflictingRequest',
      `Cannot 'attach_interface' instance ${sid} while it is in task_state rebooting`,
    );
    const show = await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo);
    expect((show.body as { server: Json }).server.status).toBe('REBOOT');
    app.close();
  });
  it('2026.2: reader-only token may list but not create/delete (POLICY-01); zed lets it through', async () => {
    const m = await setup({ release: '2026.2' });
    const sid = await m.boot(m.demo);
    expect((await m.agent.get(m.iface(sid)).set('X-Auth-Token', m.reader)).status).toBe(200);
    fault(
      await m.agent
        .post(m.iface(sid))
        .set('X-Auth-Token', m.reader)
        .send({ interfaceAttachment: { net_id: m.ids.privateNet } }),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-attach-interfaces:create to be performed.",
    );
    fault(
      await m.agent.delete(`${m.iface(sid)}/x`).set('X-Auth-Token', m.reader),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-attach-interfaces:delete to be performed.",
    );
    const z = await setup();
    const zsid = await z.boot(z.demo);
    expect(
      (
        await z.agent
          .post(z.iface(zsid))
          .set('X-Auth-Token', z.reader)
          .send({ interfaceAttachment: { net_id: z.ids.privateNet } })
      ).status,
    ).toBe(200);
  });
});

describe('servers, flavors, neutron, glance', () => {
  it('boots, lists, filters and deletes servers; frees ports', async () => {
    const { agent, demo, boot, app, ids } = await setup();
    const port = await agent
      .post('/network/v2.0/ports')
      .set('X-Auth-Token', demo)
      .send({ port: { network_id: ids.privateNet } });
    const pid = String((port.body as { port: Json }).port.id);
    const sid = await boot(demo, [{ port: pid }, { uuid: ids.sharedNet }]);
    const show = (await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo)).body as {
      server: Json;
    };
    expect(show.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
    });
    const byName = (await agent.get('/compute/v2.1/servers?name=vm').set('X-Auth-Token', demo)).body as {
      servers: Json[];
    };
    expect(byName.servers.map((s) => s.id)).toEqual([sid]);
    expect((await agent.get('/compute/v2.1/servers/detail').set('X-Auth-Token', demo)).status).toBe(200);
    expect((await agent.get('/compute/v2.1/flavors/detail').set('X-Auth-Token', demo)).status).toBe(200);
    expect((await agent.get('/compute/v2.1/flavors/1').set('X-Auth-Token', demo)).status).toBe(200);
    const before = app.state.ports.size;
    expect((await agent.delete(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo)).status).toBe(204);
    expect(app.state.ports.size).toBe(before - 1);
    expect(app.state.ports.get(pid)?.deviceId).toBe('');
    fault(
      await agent.get(`/compute/v2.1/servers/${sid}`).set('X-Auth-Token', demo),
      404,
      'itemNotFound',
      `Instance ${sid} could not be found.`,
    );
  });
  it('neutron visibility and errors; glance image', async () => {
    const { agent, demo, alt } = await setup();
    const nets = (
      (await agent.get('/network/v2.0/networks').set('X-Auth-Token', demo)).body as { networks: Json[] }
    ).networks;
    expect(nets.map((n) => n.name).sort()).toEqual(['private', 'public', 'shared']);
    const ext = (
      (await agent.get('/network/v2.0/networks?router:external=true').set('X-Auth-Token', alt)).body as {
        networks: Json[];
      }
    ).networks;
    expect(ext.map((n) => n.name)).toEqual(['public']);
    const nf = await agent.get('/network/v2.0/ports/nope').set('X-Auth-Token', demo);
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({
      NeutronError: { type: 'PortNotFound', message: 'Port nope could not be found.', detail: '' },
    });
    const images = (
      (await agent.get('/image/v2/images').set('X-Auth-Token', demo)).body as { images: Json[] }
    ).images;
    expect(images[0]).toMatchObject({ name: 'cirros-0.6.2-x86_64-disk', status: 'active' });
  });
});
