// Neutron's security groups as a project sees them without making any: its `default` group, made
// on first use, with the four default rules. Read-only (list and show of groups and rules).
import type { MockState, RequestContext } from './state.ts';
import type { SecurityGroup, SecurityGroupRule } from './types.ts';

type Obj = Record<string, unknown>;

/**
 * securitygroups_db's rule dict plus the standard attributes. `belongs_to_default_sg` arrived in
 * Neutron 23 (2023.2); the rule's `tenant_id` left in Neutron 28 (2026.1), the group keeps it.
 */
function ruleView(state: MockState, g: SecurityGroup, r: SecurityGroupRule): Obj {
  const neutron = state.profile.neutron;
  return {
    id: r.id,
    project_id: g.projectId,
    ...(neutron < 28 && { tenant_id: g.projectId }),
    security_group_id: g.id,
    ethertype: r.ethertype,
    direction: r.direction,
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_address_group_id: null,
    normalized_cidr: null,
    remote_group_id: r.remoteGroupId,
    ...(neutron >= 23 && { belongs_to_default_sg: g.isDefault }),
    description: '',
    created_at: r.createdAt,
    updated_at: r.createdAt,
    revision_number: 0,
  };
}

function groupView(state: MockState, g: SecurityGroup): Obj {
  return {
    id: g.id,
    name: g.name,
    stateful: true,
    tenant_id: g.projectId,
    project_id: g.projectId,
    description: g.description,
    shared: false,
    security_group_rules: g.rules.map((r) => ruleView(state, g, r)),
    tags: [],
    created_at: g.createdAt,
    updated_at: g.createdAt,
    revision_number: 1,
  };
}

/** Own groups for a project, every group for an admin; asking makes the caller's default group. */
function visibleGroups(state: MockState, ctx: RequestContext): SecurityGroup[] {
  state.defaultSecurityGroup(ctx.projectId);
  return [...state.securityGroups.values()].filter((g) => ctx.isAdmin || g.projectId === ctx.projectId);
}

export type SecurityGroupAnswer =
  { status: 200; body: Obj } | { status: 404 | 405; type: string; message: string };

/** GET /v2.0/security-groups[/{id}] and /v2.0/security-group-rules[/{id}]; the list is filtered by the caller. */
export function securityGroups(
  state: MockState,
  ctx: RequestContext,
  method: string,
  collection: 'security-groups' | 'security-group-rules',
  id: string | undefined,
): SecurityGroupAnswer {
  if (method !== 'GET')
    return {
      status: 405,
      type: 'HTTPMethodNotAllowed',
      message: 'The server could not comply with the request.',
    };
  const groups = visibleGroups(state, ctx);
  if (collection === 'security-groups') {
    if (id === undefined)
      return { status: 200, body: { security_groups: groups.map((g) => groupView(state, g)) } };
    const g = groups.find((x) => x.id === id);
    if (!g)
      return { status: 404, type: 'SecurityGroupNotFound', message: `Security group ${id} does not exist` };
    return { status: 200, body: { security_group: groupView(state, g) } };
  }
  const rules = groups.flatMap((g) => g.rules.map((r) => ruleView(state, g, r)));
  if (id === undefined) return { status: 200, body: { security_group_rules: rules } };
  const r = rules.find((x) => x.id === id);
  if (!r)
    return {
      status: 404,
      type: 'SecurityGroupRuleNotFound',
      message: `Security group rule ${id} does not exist`,
    };
  return { status: 200, body: { security_group_rule: r } };
}
