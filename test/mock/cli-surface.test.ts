// What an OpenStack CLI session around a server reads besides os-interface (issue 14): flavor extra
// specs, availability zones, limits, quota sets, Neutron's security groups, extensions and zones.
import { describe, expect, it } from 'vitest';
import { fault, setup } from './app-setup.ts';

type Json = Record<string, unknown>;
const mv = (v: string): [string, string] => ['OpenStack-API-Version', `compute ${v}`];

describe('flavor extra specs', () => {
  it('answers an empty set for a flavor and FlavorNotFound for another id', async () => {
    const { agent, demo } = await setup();
    const ok = await agent.get('/compute/v2.1/flavors/1/os-extra_specs').set('X-Auth-Token', demo);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ extra_specs: {} });
    fault(
      await agent.get('/compute/v2.1/flavors/99/os-extra_specs').set('X-Auth-Token', demo),
      404,
      'itemNotFound',
      'Flavor 99 could not be found.',
    );
  });
});

describe('os-availability-zone', () => {
  it('lists the compute zone to anyone, without hosts', async () => {
    const { agent, reader } = await setup();
    const res = await agent.get('/compute/v2.1/os-availability-zone').set('X-Auth-Token', reader);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }],
    });
  });
  it('keeps the detail to admins, with the services of each zone', async () => {
    const { agent, demo, admin } = await setup();
    fault(
      await agent.get('/compute/v2.1/os-availability-zone/detail').set('X-Auth-Token', demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.",
    );
    const res = await agent.get('/compute/v2.1/os-availability-zone/detail').set('X-Auth-Token', admin);
    expect(res.status).toBe(200);
    const zones = (res.body as { availabilityZoneInfo: Json[] }).availabilityZoneInfo;
    expect(zones.map((z) => z.zoneName)).toEqual(['internal', 'nova']);
    const nova = zones[1]?.hosts as Record<string, Record<string, Json>>;
    expect(Object.keys(nova['compute1'] ?? {})).toEqual(['nova-compute']);
    expect(nova['compute1']?.['nova-compute']).toMatchObject({ available: true, active: true });
  });
});

describe('limits', () => {
  it('shows the quota defaults and what the project uses, by microversion', async () => {
    const { agent, demo, boot } = await setup();
    await boot(demo);
    const at = async (v: string): Promise<Json> => {
      const res = await agent
        .get('/compute/v2.1/limits')
        .set('X-Auth-Token', demo)
        .set(...mv(v));
      expect(res.status, res.text).toBe(200);
      const limits = (res.body as { limits: { rate: unknown[]; absolute: Json } }).limits;
      expect(limits.rate).toEqual([]);
      return limits.absolute;
    };
    const v21 = await at('2.1');
    expect(v21).toMatchObject({
      maxTotalInstances: 10,
      maxTotalCores: 20,
      maxTotalRAMSize: 51200,
      maxImageMeta: 128,
      maxPersonality: 5,
      maxSecurityGroups: -1,
      totalInstancesUsed: 1,
      totalCoresUsed: 1,
      totalRAMUsed: 512,
      totalSecurityGroupsUsed: 0,
    });
    expect(Object.keys(v21)).toHaveLength(19);
    const v236 = await at('2.36');
    for (const gone of ['maxSecurityGroups', 'maxTotalFloatingIps', 'totalFloatingIpsUsed'])
      expect(v236).not.toHaveProperty(gone);
    expect(v236).toHaveProperty('maxImageMeta');
    expect(await at('2.39')).not.toHaveProperty('maxImageMeta');
    const v257 = await at('2.57');
    expect(v257).not.toHaveProperty('maxPersonality');
    expect(Object.keys(v257).sort()).toEqual(
      [
        'maxServerGroupMembers',
        'maxServerGroups',
        'maxServerMeta',
        'maxTotalCores',
        'maxTotalInstances',
        'maxTotalKeypairs',
        'maxTotalRAMSize',
        'totalCoresUsed',
        'totalInstancesUsed',
        'totalRAMUsed',
        'totalServerGroupsUsed',
      ].sort(),
    );
  });
  it("lets only an admin read another project's limits", async () => {
    const { agent, demo, admin, ids, boot } = await setup();
    await boot(demo);
    fault(
      await agent.get(`/compute/v2.1/limits?tenant_id=${ids.altProject}`).set('X-Auth-Token', demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:limits:other_project to be performed.",
    );
    const res = await agent
      .get(`/compute/v2.1/limits?tenant_id=${ids.demoProject}`)
      .set('X-Auth-Token', admin);
    expect((res.body as { limits: { absolute: Json } }).limits.absolute.totalInstancesUsed).toBe(1);
  });
});

describe('the instance quota', () => {
  it('refuses the eleventh server of a project with 403, as Nova words TooManyInstances', async () => {
    const { agent, demo, alt, boot, ids } = await setup();
    for (let i = 0; i < 10; i += 1) await boot(demo, 'none');
    const res = await agent
      .post('/compute/v2.1/servers')
      .set('X-Auth-Token', demo)
      .set(...mv('2.37'))
      .send({ server: { name: 'one-too-many', imageRef: ids.image, flavorRef: '1', networks: 'none' } });
    expect(res.status, res.text).toBe(403);
    expect(res.body).toEqual({
      forbidden: {
        code: 403,
        message: 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances',
      },
    });
    // The quota is the project's: another project still boots.
    await boot(alt, 'none');
  });
});

describe('os-quota-sets', () => {
  it("shows the project's quotas, their usage in the detail, by microversion", async () => {
    const { agent, demo, ids, boot } = await setup();
    await boot(demo);
    const path = `/compute/v2.1/os-quota-sets/${ids.demoProject}`;
    const show = await agent.get(path).set('X-Auth-Token', demo);
    expect(show.status, show.text).toBe(200);
    expect(show.body).toEqual({
      quota_set: {
        id: ids.demoProject,
        instances: 10,
        cores: 20,
        ram: 51200,
        metadata_items: 128,
        injected_files: 5,
        injected_file_content_bytes: 10240,
        injected_file_path_bytes: 255,
        key_pairs: 100,
        server_groups: 10,
        server_group_members: 10,
        fixed_ips: -1,
        floating_ips: -1,
        security_groups: -1,
        security_group_rules: -1,
      },
    });
    const v257 = await agent
      .get(path)
      .set('X-Auth-Token', demo)
      .set(...mv('2.57'));
    expect(Object.keys((v257.body as { quota_set: Json }).quota_set)).toEqual([
      'id',
      'instances',
      'cores',
      'ram',
      'metadata_items',
      'key_pairs',
      'server_groups',
      'server_group_members',
    ]);
    const detail = await agent.get(`${path}/detail`).set('X-Auth-Token', demo);
    expect((detail.body as { quota_set: Json }).quota_set.instances).toEqual({
      limit: 10,
      in_use: 1,
      reserved: 0,
    });
    const defaults = await agent
      .get(`/compute/v2.1/os-quota-sets/${ids.altProject}/defaults`)
      .set('X-Auth-Token', demo);
    expect((defaults.body as { quota_set: Json }).quota_set).toMatchObject({
      id: ids.altProject,
      instances: 10,
    });
  });
  it("refuses another project's quotas to a member, an unknown project to an admin", async () => {
    const { agent, demo, admin, ids } = await setup();
    fault(
      await agent.get(`/compute/v2.1/os-quota-sets/${ids.altProject}`).set('X-Auth-Token', demo),
      403,
      'forbidden',
      "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.",
    );
    const unknown = 'f'.repeat(32);
    fault(
      await agent.get(`/compute/v2.1/os-quota-sets/${unknown}`).set('X-Auth-Token', admin),
      400,
      'badRequest',
      `Project ID ${unknown} is not a valid project.`,
    );
  });
});

describe('Neutron security groups', () => {
  it("makes each project's default group on first use, with the four default rules", async () => {
    const { agent, demo, alt, ids } = await setup();
    const res = await agent.get('/network/v2.0/security-groups').set('X-Auth-Token', demo);
    expect(res.status, res.text).toBe(200);
    const groups = (res.body as { security_groups: Json[] }).security_groups;
    expect(groups).toHaveLength(1);
    const g = groups[0] ?? {};
    expect(g).toMatchObject({
      name: 'default',
      description: 'Default security group',
      project_id: ids.demoProject,
    });
    const rules = g.security_group_rules as Json[];
    expect(
      rules.map((r) => `${String(r.direction)} ${String(r.ethertype)} ${r.remote_group_id === g.id}`),
    ).toEqual(['egress IPv4 false', 'egress IPv6 false', 'ingress IPv4 true', 'ingress IPv6 true']);
    const again = await agent.get('/network/v2.0/security-groups').set('X-Auth-Token', demo);
    expect((again.body as { security_groups: Json[] }).security_groups.map((x) => x.id)).toEqual([g.id]);
    const other = await agent.get('/network/v2.0/security-groups').set('X-Auth-Token', alt);
    const altGroups = (other.body as { security_groups: Json[] }).security_groups;
    expect(altGroups.map((x) => x.project_id)).toEqual([ids.altProject]);
    const shown = await agent
      .get(`/network/v2.0/security-groups/${String(altGroups[0]?.id)}`)
      .set('X-Auth-Token', demo);
    expect(shown.status).toBe(404);
    expect((shown.body as { NeutronError: Json }).NeutronError.type).toBe('SecurityGroupNotFound');
  });
  it('answers only the fields asked for, as openstackclient asks', async () => {
    const { agent, demo } = await setup();
    const res = await agent
      .get(
        '/network/v2.0/security-groups?fields=id&fields=name&fields=description&fields=project_id&fields=tags',
      )
      .set('X-Auth-Token', demo);
    const g = (res.body as { security_groups: Json[] }).security_groups[0] ?? {};
    expect(Object.keys(g).sort()).toEqual(['description', 'id', 'name', 'project_id', 'tags']);
  });
  it.each([
    ['zed', true, false],
    ['epoxy', true, true],
    ['2026.2', false, true],
  ] as const)(
    'on %s shows tenant_id on rules: %s, belongs_to_default_sg: %s',
    async (release, tenant, belongs) => {
      const { agent, demo } = await setup({ release });
      const res = await agent.get('/network/v2.0/security-group-rules').set('X-Auth-Token', demo);
      const rules = (res.body as { security_group_rules: Json[] }).security_group_rules;
      expect(rules).toHaveLength(4);
      expect('tenant_id' in (rules[0] ?? {})).toBe(tenant);
      expect('belongs_to_default_sg' in (rules[0] ?? {})).toBe(belongs);
    },
  );
});

describe('Neutron extensions and zones', () => {
  it('names its extensions as Neutron does, so a client finds "Availability Zone"', async () => {
    const { agent, demo } = await setup();
    const list = await agent.get('/network/v2.0/extensions').set('X-Auth-Token', demo);
    const exts = (list.body as { extensions: Json[] }).extensions;
    expect(exts.find((e) => e.name === 'Availability Zone')?.alias).toBe('availability_zone');
    const one = await agent.get('/network/v2.0/extensions/availability_zone').set('X-Auth-Token', demo);
    expect((one.body as { extension: Json }).extension.name).toBe('Availability Zone');
    expect((await agent.get('/network/v2.0/extensions/nope').set('X-Auth-Token', demo)).status).toBe(404);
    const zones = await agent.get('/network/v2.0/availability_zones').set('X-Auth-Token', demo);
    expect(zones.body).toEqual({
      availability_zones: [{ name: 'nova', resource: 'network', state: 'available' }],
    });
  });
});
