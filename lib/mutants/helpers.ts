// Small tools the mutants share: reading and rewriting JSON bodies, recognising os-interface calls
// and Nova faults, and the microversion an answer was given at.
import { randomUUID } from 'node:crypto';
import { headerValue, setHeader } from './proxy.ts';
import type { Reply, RequestContext, ResponseContext } from './types.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(body: Buffer | undefined): Json | undefined {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as Json;
  } catch {
    return undefined;
  }
}

/** Rewrites a JSON body in place; bodies that are not JSON are left alone. */
export function editJson(ctx: { body: Buffer }, edit: (body: Json) => Json | void): void {
  const parsed = parseJson(ctx.body);
  if (parsed === undefined) return;
  const before = JSON.stringify(parsed);
  const out = edit(parsed);
  const after = JSON.stringify(out === undefined ? parsed : out);
  // Untouched bodies keep their bytes (and formatting), so that the proxy can tell nothing changed.
  if (after !== before) ctx.body = Buffer.from(after);
}

export function editRequestJson(ctx: RequestContext, edit: (body: Json) => Json | void): void {
  const holder = { body: ctx.body ?? Buffer.alloc(0) };
  editJson(holder, edit);
  if (ctx.body !== undefined) ctx.body = holder.body;
}

export const isList = (r: RequestContext): boolean =>
  r.route !== undefined && r.route.portId === undefined && r.method === 'GET';
export const isShow = (r: RequestContext): boolean =>
  r.route !== undefined && r.route.portId !== undefined && r.method === 'GET';
export const isAttach = (r: RequestContext): boolean =>
  r.route !== undefined && r.route.portId === undefined && r.method === 'POST';
export const isDetach = (r: RequestContext): boolean =>
  r.route !== undefined && r.route.portId !== undefined && r.method === 'DELETE';

/** Every interfaceAttachment object of a list, show or attach answer. */
export function attachmentsOf(body: Json): JsonObject[] {
  if (!isObject(body)) return [];
  const one = body['interfaceAttachment'];
  if (isObject(one)) return [one];
  const many = body['interfaceAttachments'];
  return Array.isArray(many) ? many.filter(isObject) : [];
}

/** Applies an edit to every attachment of a successful os-interface answer matching `which`. */
export function editAttachments(
  ctx: ResponseContext,
  which: (r: RequestContext) => boolean,
  edit: (attachment: JsonObject) => void,
): void {
  if (!which(ctx.request) || ctx.status !== 200) return;
  editJson(ctx, (body) => {
    for (const a of attachmentsOf(body)) edit(a);
  });
}

/** The one key and its {code, message} of a Nova fault body, or undefined. */
export function faultOf(ctx: { body: Buffer }): { key: string; code: Json; message: string } | undefined {
  const body = parseJson(ctx.body);
  if (!isObject(body)) return undefined;
  const keys = Object.keys(body);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return undefined;
  const inner = body[key];
  if (!isObject(inner) || typeof inner['message'] !== 'string') return undefined;
  return { key, code: inner['code'] ?? null, message: inner['message'] };
}

/** A compute fault answer (not Keystone's 401): status ≥ 400 from the compute API with a fault body. */
export function isComputeFault(ctx: ResponseContext): boolean {
  return ctx.request.service === 'compute' && ctx.status >= 400 && faultOf(ctx) !== undefined;
}

/** The microversion an answer was given at, from its OpenStack-API-Version header ([major, minor]). */
export function answeredAt(ctx: ResponseContext): [number, number] | undefined {
  const m = /compute\s+(\d+)\.(\d+)/i.exec(headerValue(ctx.headers, 'OpenStack-API-Version') ?? '');
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

export function atLeast(version: [number, number] | undefined, major: number, minor: number): boolean {
  return version !== undefined && (version[0] > major || (version[0] === major && version[1] >= minor));
}

export function jsonReply(status: number, body: Json, headers: [string, string][] = []): Reply {
  const out: Reply = { status, headers: [...headers], body: Buffer.from(JSON.stringify(body)) };
  // Nova's faults name the charset, its successes do not (HEADERS-01).
  setHeader(
    out.headers,
    'Content-Type',
    status >= 400 ? 'application/json; charset=UTF-8' : 'application/json',
  );
  return out;
}

export function replaceFault(ctx: ResponseContext, status: number, key: string, message?: string): void {
  const fault = faultOf(ctx);
  if (fault === undefined) return;
  ctx.status = status;
  ctx.body = Buffer.from(JSON.stringify({ [key]: { code: status, message: message ?? fault.message } }));
}

export const uuid = (): string => randomUUID();
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
