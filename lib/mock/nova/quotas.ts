// Nova's legacy quotas as clients read them: GET /limits and /os-quota-sets/{project_id} (with
// /detail and /defaults). Limits are the [quota] defaults of nova.conf (nothing is ever changed
// here); usage is counted from the project's servers, as the DB quota driver counts it.
import type { Server } from '../types.ts';
import { type NovaRequest, type NovaResult } from './context.ts';
import { badRequest, forbidden, policyDenied } from './faults.ts';
import { atLeast } from './microversion.ts';

/**
 * nova.quota.QUOTAS' resources in its order, with the [quota] option defaults; the deprecated
 * nova-network ones have no option and answer -1.
 */
const DEFAULTS: readonly (readonly [string, number])[] = [
  ['instances', 10],
  ['cores', 20],
  ['ram', 51200],
  ['metadata_items', 128],
  ['injected_files', 5],
  ['injected_file_content_bytes', 10240],
  ['injected_file_path_bytes', 255],
  ['key_pairs', 100],
  ['server_groups', 10],
  ['server_group_members', 10],
  ['fixed_ips', -1],
  ['floating_ips', -1],
  ['security_groups', -1],
  ['security_group_rules', -1],
];

/** The network proxies leave the answers at 2.36, the personality files at 2.57. */
const WITHOUT_PROXIES = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
const WITHOUT_FILES = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

function hidden(n: NovaRequest, extra: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (!n.legacyV2 && atLeast(n.version, '2.36')) for (const k of WITHOUT_PROXIES) out.add(k);
  if (!n.legacyV2 && atLeast(n.version, '2.57')) for (const k of extra) out.add(k);
  return out;
}

/** Usage of the counted resources: instances, cores and ram of the project's live servers. */
function usage(n: NovaRequest, projectId: string): Record<string, number> {
  const used: Record<string, number> = { instances: 0, cores: 0, ram: 0 };
  const live = (s: Server): boolean => !s.deleted && s.projectId === projectId;
  for (const s of n.state.servers.values()) {
    if (!live(s)) continue;
    const flavor = n.state.flavors.get(s.flavorId);
    used.instances = (used.instances ?? 0) + 1;
    used.cores = (used.cores ?? 0) + (flavor?.vcpus ?? 0);
    used.ram = (used.ram ?? 0) + (flavor?.ram ?? 0);
  }
  return used;
}

/**
 * The quota check of a server create (TooManyInstances, 403): the first of instances, cores and
 * ram the new server would take past its limit, worded as Nova words it.
 */
export function checkServerQuota(n: NovaRequest, flavorId: string): void {
  const flavor = n.state.flavors.get(flavorId);
  const used = usage(n, n.ctx.projectId);
  const wanted: Record<string, number> = { instances: 1, cores: flavor?.vcpus ?? 0, ram: flavor?.ram ?? 0 };
  for (const [name, limit] of DEFAULTS) {
    const requested = wanted[name];
    if (requested === undefined || limit < 0) continue;
    const already = used[name] ?? 0;
    if (already + requested > limit)
      throw forbidden(
        `Quota exceeded for ${name}: Requested ${requested}, but already used ${already} of ${limit} ${name}`,
      );
  }
}

/** limits.ViewBuilder: each quota under its API name(s), then the usage of the counted ones. */
const LIMIT_NAMES: Readonly<Record<string, readonly string[]>> = {
  instances: ['maxTotalInstances'],
  cores: ['maxTotalCores'],
  ram: ['maxTotalRAMSize'],
  metadata_items: ['maxServerMeta', 'maxImageMeta'],
  injected_files: ['maxPersonality'],
  injected_file_content_bytes: ['maxPersonalitySize'],
  key_pairs: ['maxTotalKeypairs'],
  server_groups: ['maxServerGroups'],
  server_group_members: ['maxServerGroupMembers'],
  floating_ips: ['maxTotalFloatingIps'],
  security_groups: ['maxSecurityGroups'],
  security_group_rules: ['maxSecurityGroupRules'],
};

const USED_NAMES: readonly (readonly [string, string])[] = [
  ['totalRAMUsed', 'ram'],
  ['totalCoresUsed', 'cores'],
  ['totalInstancesUsed', 'instances'],
  ['totalFloatingIpsUsed', 'floating_ips'],
  ['totalSecurityGroupsUsed', 'security_groups'],
  ['totalServerGroupsUsed', 'server_groups'],
];

export function showLimits(n: NovaRequest): NovaResult {
  let projectId = n.ctx.projectId;
  const asked = n.req.query.get('tenant_id');
  if (asked !== null) {
    // os_compute_api:limits:other_project is admin-only.
    if (!n.ctx.isAdmin) throw policyDenied('os_compute_api:limits:other_project');
    projectId = asked;
  }
  // The limits API drops only injected_files and injected_file_content_bytes at 2.57.
  const skip = hidden(n, ['injected_files', 'injected_file_content_bytes']);
  const noImageMeta = !n.legacyV2 && atLeast(n.version, '2.39');
  const absolute: Record<string, number> = {};
  for (const [name, limit] of DEFAULTS) {
    if (skip.has(name)) continue;
    for (const apiName of LIMIT_NAMES[name] ?? []) {
      if (noImageMeta && apiName === 'maxImageMeta') continue;
      absolute[apiName] = limit;
    }
  }
  const used = usage(n, projectId);
  for (const [apiName, name] of USED_NAMES) if (!skip.has(name)) absolute[apiName] = used[name] ?? 0;
  return { status: 200, body: { limits: { rate: [], absolute } } };
}

type QuotaView = 'show' | 'detail' | 'defaults';

export function quotaSet(n: NovaRequest, view: QuotaView): NovaResult {
  const id = n.params.project_id ?? '';
  // show and detail are project_reader_or_admin (the owner under Zed's legacy rule); defaults is anyone's.
  if (view !== 'defaults' && !n.ctx.isAdmin && id !== n.ctx.projectId)
    throw policyDenied(`os_compute_api:os-quota-sets:${view}`);
  // identity.verify_project_id asks Keystone, which knows every project of this cloud.
  if (!n.state.projects.has(id)) throw badRequest(`Project ID ${id} is not a valid project.`);
  const skip = hidden(n, WITHOUT_FILES);
  const used = usage(n, id);
  const quotaSetBody: Record<string, unknown> = { id };
  for (const [name, limit] of DEFAULTS) {
    if (skip.has(name)) continue;
    quotaSetBody[name] = view === 'detail' ? { limit, in_use: used[name] ?? 0, reserved: 0 } : limit;
  }
  return { status: 200, body: { quota_set: quotaSetBody } };
}
