import { describe, test } from '../lib/harness/check.ts';
import { expectFault, fail } from '../lib/harness/expect.ts';
import { requireDisruptive, requireIdentity } from '../lib/harness/outcomes.ts';
import { resourceName } from '../lib/harness/run-context.ts';
import { expectUnchangedInterfaces } from './support/attachments.ts';

// The quota is the project's: while this check holds it at "used up", no other check of the run
// may be creating or deleting ports, so it runs alone once it knows it will run.
describe('port quota', () => {
  test('QUOTA-01 attach when the port quota is used up: 403 "Maximum number of ports exceeded", nothing attached', async ({
    fx,
    server,
  }) => {
    await requireDisruptive(fx, "changes the whole project's port quota (and needs an admin)");
    await requireIdentity(fx, 'admin');
    await fx.alone();
    const baseline = server.baseline;
    const projectId = await fx.projectId();
    const current = await fx.neutron('GET', `/quotas/${projectId}`, undefined, 'admin');
    if (current.status !== 200) fail(current, "Neutron to show the project's quota to the admin (setup)");
    const previous = (current.json as { quota: { port: number } }).quota.port;
    const all = await fx.neutron('GET', '/quotas', undefined, 'admin');
    const explicit = (
      (all.json as { quotas?: { project_id?: string; tenant_id?: string }[] } | undefined)?.quotas ?? []
    ).some((q) => (q.project_id ?? q.tenant_id) === projectId);
    const ports = await fx.neutron('GET', `/ports?project_id=${projectId}&fields=id`, undefined, 'admin');
    if (ports.status !== 200) fail(ports, "Neutron to list the project's ports to the admin (setup)");
    const used = (ports.json as { ports: unknown[] }).ports.length;
    const name = resourceName(fx.s.runId, 'quota-01');
    // Journal first: a crash must not leave the project without ports. No explicit quota before
    // means "restore by deleting the override".
    fx.s.registry.creating('quota', name, { projectId, ...(explicit && { port: previous }) });
    try {
      const set = await fx.neutron('PUT', `/quotas/${projectId}`, { quota: { port: used } }, 'admin');
      if (set.status !== 200) fail(set, `Neutron to set the port quota to ${used} (setup)`);
      const { network } = await fx.attachNetwork();
      const got = await fx.attach(server.id, { interfaceAttachment: { net_id: network.id } });
      expectFault(got, 403, 'forbidden', 'Maximum number of ports exceeded');
      await expectUnchangedInterfaces(fx, server.id, baseline, 'after an attach over quota');
    } finally {
      const back = explicit
        ? await fx.neutron('PUT', `/quotas/${projectId}`, { quota: { port: previous } }, 'admin')
        : await fx.neutron('DELETE', `/quotas/${projectId}`, undefined, 'admin');
      if (back.status >= 300) fail(back, `the port quota of ${projectId} restored to ${previous}`);
      fx.s.registry.gone('quota', name);
    }
  });
});
