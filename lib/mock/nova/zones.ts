// os-availability-zone: the one compute zone (`nova`, the default of every compute host) and, for
// admins, the detail with the services per host, as nova.api.openstack.compute.availability_zone
// renders them for a single-node cloud whose services all run on one host.
import { COMPUTE_HOST } from '../state.ts';
import { novaTime } from '../util.ts';
import type { NovaRequest, NovaResult } from './context.ts';
import { policyDenied } from './faults.ts';

/** CONF.default_availability_zone and CONF.internal_service_availability_zone. */
const COMPUTE_ZONE = 'nova';
const INTERNAL_ZONE = 'internal';

/** Anyone may list the zones; the internal zone is hidden and no hosts are shown. */
export function listZones(): NovaResult {
  return {
    status: 200,
    body: { availabilityZoneInfo: [{ zoneName: COMPUTE_ZONE, zoneState: { available: true }, hosts: null }] },
  };
}

/** Admin only (os_compute_api:os-availability-zone:detail); zones sorted by name, as Nova sorts them. */
export function detailZones(n: NovaRequest): NovaResult {
  if (!n.ctx.isAdmin) throw policyDenied('os_compute_api:os-availability-zone:detail');
  // Services report every few seconds; "now" to the second stands for the last report.
  const service = (): Record<string, unknown> => ({ available: true, active: true, updated_at: novaTime() });
  return {
    status: 200,
    body: {
      availabilityZoneInfo: [
        {
          zoneName: INTERNAL_ZONE,
          zoneState: { available: true },
          hosts: { [COMPUTE_HOST]: { 'nova-conductor': service(), 'nova-scheduler': service() } },
        },
        {
          zoneName: COMPUTE_ZONE,
          zoneState: { available: true },
          hosts: { [COMPUTE_HOST]: { 'nova-compute': service() } },
        },
      ],
    },
  };
}
