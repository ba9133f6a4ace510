// Arranges the scenario on both targets, replays every step on both at once and compares the
// two answers with each other (never with the recording).
import { randomBytes, randomUUID } from 'node:crypto';
import { resourceName } from '../harness/run-context.ts';
import { waitFor, WaitTimeoutError } from '../harness/wait.ts';
import type { Exchange } from '../openstack/http.ts';
import { explain } from './allow.ts';
import { compareAnswers, type Difference, type Ids } from './diff.ts';
import { STEPS, type RequestStep, type Step } from './scenario.ts';
import type { Side } from './target.ts';

/** A token Keystone never issued, shaped like a Fernet token. */
const BAD_TOKEN = 'gAAAAABnova-conformance-fidelity-not-a-token';

interface Sent {
  readonly status: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly text: string;
}

/** One side's outcome of a step: an answer, a failure (timeout, setup error), or not run. */
type Outcome = { readonly answer: Sent } | { readonly failure: string } | { readonly skipped: string };

interface Finding extends Difference {
  readonly explained?: string;
}

export interface StepResult {
  readonly id: string;
  readonly title: string;
  readonly request?: { readonly method: string; readonly path: string; readonly microversion?: string };
  readonly a: Outcome;
  readonly b: Outcome;
  readonly differences: readonly Finding[];
}

export interface Context {
  readonly side: Side;
  /** Placeholder → id on this side; grows as attaches and detaches tell new ids. */
  readonly ids: Record<string, string>;
}

/** What both sides share: values the scenario makes up once, so they are the same on both. */
export function sharedIds(): Record<string, string> {
  return { bogus_uuid: randomUUID(), other_project: randomBytes(16).toString('hex') };
}

/** Arranges one side: a server with no network, a free port, a port bound to another server id. */
export async function arrange(side: Side, shared: Record<string, string>): Promise<Context> {
  const fx = side.fx;
  const [server, target, token] = await Promise.all([
    fx.bootServer('server', 'none'),
    fx.attachNetwork(),
    side.session.token(),
  ]);
  const free = await fx.createPort('free');
  // Nova's PortInUse and "not this server's" checks look only at device_id: a made-up id is enough.
  const elsewhere = randomUUID();
  const other = await fx.createPort('other', { device_id: elsewhere, device_owner: 'compute:nova' });
  const fixedIp = await fx.freeIp(target.subnet);
  return {
    side,
    ids: {
      ...shared,
      server: server.id,
      net: target.network.id,
      subnet: target.subnet.id,
      free_port: free.id,
      other_port: other.id,
      elsewhere,
      fixed_ip: fixedIp,
      project_id: token.projectId,
      user_id: token.userId,
    },
  };
}

const PLACEHOLDER = /\{([a-z0-9_]+)\}/g;

function missing(text: string, ids: Ids): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => ids[name] === undefined);
}

export function fill(text: string, ids: Ids): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ids[name] ?? whole);
}

function fillJson(value: unknown, ids: Ids): unknown {
  if (typeof value === 'string') return fill(value, ids);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, ids));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v, ids)]));
  return value;
}

async function sendOnce(ctx: Context, step: RequestStep): Promise<Exchange> {
  const { side, ids } = ctx;
  const token =
    step.auth === 'none' ? null : step.auth === 'bad' ? BAD_TOKEN : (await side.session.token()).value;
  const path = fill(step.path, ids);
  if (step.base === 'root') {
    return side.session.http.send({
      method: step.method,
      url: `${side.facts.computeRoot}${path}`,
      headers: { ...(token === null ? {} : { 'X-Auth-Token': token }), ...step.headers },
    });
  }
  const projectPrefix =
    step.base === 'project'
      ? ids['project_id']
      : step.base === 'other-project'
        ? ids['other_project']
        : undefined;
  return side.session.compute.call({
    method: step.method,
    path,
    token,
    ...(projectPrefix !== undefined && { projectPrefix }),
    ...(step.microversion !== undefined && { microversion: step.microversion }),
    ...(step.versionHeaders !== undefined && { versionHeaders: step.versionHeaders }),
    ...(step.json !== undefined && { json: fillJson(step.json, ids) }),
    ...(step.rawBody !== undefined && { rawBody: step.rawBody }),
    ...(step.headers !== undefined && { headers: step.headers }),
  });
}

/** Whether an instance action's outcome is final: its events finished, or its message set. */
function actionFinished(exchange: Exchange): boolean {
  if (exchange.status !== 200) return true;
  const action = (
    exchange.json as { instanceAction?: { message?: unknown; events?: { finish_time?: unknown }[] } }
  )?.instanceAction;
  if (action === undefined) return true;
  // Events are admin-only by default; a member sees only the action's message, set on failure.
  if (action.events !== undefined && action.events.length > 0)
    return action.events.every((e) => e.finish_time !== null && e.finish_time !== undefined);
  return action.message !== null && action.message !== undefined;
}

const MAX_UNTIL_MS = 60_000;

async function runRequest(ctx: Context, step: RequestStep): Promise<Outcome> {
  const { side, ids } = ctx;
  const texts = [step.path, JSON.stringify(step.json ?? null)];
  const absent = [...new Set(texts.flatMap((t) => missing(t, ids)))];
  if (absent.length > 0)
    return { skipped: `no ${absent.join(', ')} on this target (an earlier step failed)` };
  let exchange = await sendOnce(ctx, step);
  if (step.until === 'action-finished' && !actionFinished(exchange)) {
    try {
      const { value } = await waitFor(
        async () => {
          const again = await sendOnce(ctx, step);
          return actionFinished(again)
            ? { done: true, value: again }
            : { done: false, state: 'action still running' };
        },
        {
          what: `instance action ${fill('{detach_request}', ids)} to finish`,
          timeoutMs: Math.min(side.config.waitTimeoutMs, MAX_UNTIL_MS),
          intervalMs: side.config.pollIntervalMs,
        },
      );
      exchange = value;
    } catch (error) {
      if (!(error instanceof WaitTimeoutError)) throw error;
      // Compare what there is: an unfinished action is a difference worth seeing, not a crash.
    }
  }
  if (step.learnRequestId !== undefined && exchange.requestId !== undefined)
    ids[step.learnRequestId] = exchange.requestId;
  if (step.learnPort !== undefined && exchange.status === 200) {
    const portId = (exchange.json as { interfaceAttachment?: { port_id?: unknown } } | undefined)
      ?.interfaceAttachment?.port_id;
    if (typeof portId === 'string') {
      ids[step.learnPort] = portId;
      // Nova made this port: only the journal lets cleanup find it if the run dies before detaching.
      side.session.registry.created('port', resourceName(side.session.runId, step.learnPort), portId, {
        who: 'primary',
        serverId: ids['server'],
      });
    }
  }
  const answer: Sent = {
    status: exchange.status,
    url: exchange.url,
    headers: exchange.headers,
    text: exchange.text,
  };
  if (step.waitDetached !== undefined && exchange.status === 202) {
    const portId = ids[step.waitDetached];
    const serverId = ids['server'];
    if (portId !== undefined && serverId !== undefined) await side.fx.waitUntilDetached(serverId, portId);
  }
  return { answer };
}

async function runSetup(ctx: Context, action: 'lock' | 'unlock'): Promise<Outcome> {
  const serverId = ctx.ids['server'];
  if (serverId === undefined) return { skipped: 'no server' };
  await ctx.side.fx.serverAction(
    serverId,
    { [action]: null },
    (state) => state.locked === (action === 'lock'),
  );
  return { answer: { status: 0, url: '', headers: {}, text: '' } };
}

async function outcomeOf(ctx: Context, step: Step): Promise<Outcome> {
  try {
    return step.kind === 'setup' ? await runSetup(ctx, step.action) : await runRequest(ctx, step);
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

function describeOutcome(outcome: Outcome): string {
  if ('answer' in outcome) return String(outcome.answer.status);
  if ('failure' in outcome) return `failed: ${outcome.failure}`;
  return `not run: ${outcome.skipped}`;
}

function findings(step: Step, a: Outcome, b: Outcome, idsA: Ids, idsB: Ids): Finding[] {
  const raw: Difference[] = [];
  if ('answer' in a && 'answer' in b) {
    if (step.kind === 'request') raw.push(...compareAnswers(a.answer, b.answer, idsA, idsB));
  } else if (!('skipped' in a && 'skipped' in b)) {
    // Skipped on both (an earlier step answered alike without making the port) is no difference.
    raw.push({ aspect: 'failure', where: 'step', a: describeOutcome(a), b: describeOutcome(b) });
  }
  return raw.map((d) => {
    const reason = explain(step.id, d);
    return { ...d, ...(reason !== undefined && { explained: reason }) };
  });
}

/** Runs every step on both sides at once and returns the comparison, step by step. */
export async function replay(
  a: Context,
  b: Context,
  steps: readonly Step[] = STEPS,
  onStep: (result: StepResult) => void = () => {},
  stopped: () => boolean = () => false,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    if (stopped()) break;
    const [oa, ob] = await Promise.all([outcomeOf(a, step), outcomeOf(b, step)]);
    const result: StepResult = {
      id: step.id,
      title: step.title,
      ...(step.kind === 'request' && {
        request: {
          method: step.method,
          path: `${step.base === 'root' ? '' : step.base === 'project' ? '/v2.1/{project_id}' : step.base === 'other-project' ? '/v2.1/{other_project}' : '/v2.1'}${step.path}`,
          ...(step.microversion !== undefined && { microversion: step.microversion }),
        },
      }),
      a: oa,
      b: ob,
      differences: findings(step, oa, ob, a.ids, b.ids),
    };
    results.push(result);
    onStep(result);
  }
  return results;
}
