// What a Nova controller gets for one request, and the checks every controller shares.
import type { MockRequest } from '../http.ts';
import type { MockState, RequestContext } from '../state.ts';
import type { InstanceAction, Server } from '../types.ts';
import { isUuidLike, novaTime } from '../util.ts';
import { instanceNotFound, conflict, invalidState, policyDenied } from './faults.ts';
import { type Version } from './microversion.ts';

export interface NovaRequest {
  state: MockState;
  req: MockRequest;
  ctx: RequestContext;
  version: Version;
  legacyV2: boolean;
  requestId: string;
  /** decoded JSON body; null when none was sent (POST/PUT only) */
  body: unknown;
  params: Record<string, string>;
  /** http://host:port/compute/v2.1 (or /v2) as the client addressed it, without project id */
  endpoint: string;
}

export interface NovaResult {
  status: number;
  body?: unknown;
  headers?: [string, string][];
}

/** common.get_instance: project-scoped for non-admins, so other projects' servers are simply absent. */
export function getInstance(n: NovaRequest, sid: string): Server {
  if (!isUuidLike(sid)) throw instanceNotFound(sid);
  const server = n.state.servers.get(sid.toLowerCase());
  if (!server || server.deleted) throw instanceNotFound(sid);
  if (!n.ctx.isAdmin && server.projectId !== n.ctx.projectId) throw instanceNotFound(sid);
  return server;
}

type PolicyKind = 'reader' | 'member';

/**
 * Zed runs with enforce_new_defaults off, so the deprecated admin_or_owner rule still passes any role
 * on the owning project; 2023.1 and later enforce project_reader_or_admin / project_member_or_admin.
 */
export function authorize(n: NovaRequest, rule: string, kind: PolicyKind, targetProject: string): void {
  const { ctx } = n;
  if (ctx.isAdmin) return;
  if (!n.state.profile.newPolicyDefaults) {
    if (ctx.projectId === targetProject) return;
    throw policyDenied(rule);
  }
  const ok =
    ctx.projectId === targetProject &&
    (kind === 'reader'
      ? ctx.roles.includes('reader') || ctx.roles.includes('member')
      : ctx.roles.includes('member'));
  if (!ok) throw policyDenied(rule);
}

/** compute.api.check_instance_lock: admins are not held back by a lock. */
export function checkLock(n: NovaRequest, server: Server): void {
  if (server.locked && !n.ctx.isAdmin) throw conflict(`Instance ${server.id} is locked`);
}

/** compute.api.check_instance_state followed by common.raise_http_conflict_for_instance_invalid_state. */
export function checkState(
  server: Server,
  action: string,
  sid: string,
  vmStates: string[],
  taskStates: (string | null)[] = [null],
  mustHaveLaunched = true,
): void {
  if (!vmStates.includes(server.vmState)) throw invalidState(action, sid, 'vm_state', server.vmState);
  if (!taskStates.includes(server.taskState)) throw invalidState(action, sid, 'task_state', server.taskState);
  if (mustHaveLaunched && server.launchedAt === null)
    throw conflict(`Instance ${sid} is in an invalid state for '${action}'`);
}

export function recordAction(n: NovaRequest, server: Server, action: string): InstanceAction {
  const now = novaTime();
  const record: InstanceAction = {
    action,
    requestId: n.requestId,
    userId: n.ctx.userId,
    projectId: n.ctx.projectId,
    startTime: now,
    updatedAt: now,
    message: null,
    events: [],
  };
  server.actions.push(record);
  return record;
}

export function startEvent(record: InstanceAction, event: string): InstanceAction['events'][number] {
  const ev = { event, startTime: novaTime(), finishTime: null, result: null, traceback: null, details: null };
  record.events.push(ev);
  return ev;
}

export function finishEvent(
  record: InstanceAction,
  ev: InstanceAction['events'][number],
  error?: { details: string; exception: string },
): void {
  ev.finishTime = novaTime();
  record.updatedAt = ev.finishTime;
  if (!error) {
    ev.result = 'Success';
    return;
  }
  ev.result = 'Error';
  ev.details = error.details;
  ev.traceback =
    'Traceback (most recent call last):\n' +
    '  File "/usr/lib/python3/dist-packages/nova/compute/manager.py", in decorated_function\n' +
    `${error.exception}: ${error.details}\n`;
  record.message = 'Error';
}
