import { header, type Exchange } from '../openstack/http.ts';
import { interfaceSchema, validate, type SchemaName } from '../schema/validator.ts';

/** A deviation from what real Nova does: the target answered, but not as Nova would. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function came(exchange: Exchange): string {
  const body = exchange.text.length > 300 ? `${exchange.text.slice(0, 300)}...` : exchange.text;
  return `${exchange.method} ${shortUrl(exchange.url)} answered ${exchange.status}${body === '' ? ' with an empty body' : `: ${body}`}`;
}

export function fail(exchange: Exchange, expected: string): never {
  throw new ConformanceError(`Expected ${expected}.\n${came(exchange)}`);
}

export function expectStatus(exchange: Exchange, status: number): void {
  if (exchange.status !== status) fail(exchange, `status ${status}`);
}

/** Checks the body against a schema and returns it; every response body passes through here. */
export function expectSchema<T>(exchange: Exchange, schema: SchemaName): T {
  if (exchange.json === undefined) fail(exchange, `a JSON body valid against ${schema}`);
  const problems = validate(schema, exchange.json);
  if (problems.length > 0) {
    throw new ConformanceError(
      `The body does not match ${schema}:\n  - ${problems.join('\n  - ')}\n${came(exchange)}`,
    );
  }
  return exchange.json as T;
}

/** Status plus the list/show schema of the effective microversion. */
export function expectInterfaceBody<T>(
  exchange: Exchange,
  kind: 'list' | 'show',
  status: number,
  effective: string,
): T {
  expectStatus(exchange, status);
  expectContentType(exchange, 'application/json');
  return expectSchema<T>(exchange, interfaceSchema(kind, effective));
}

const normalised = new Map<string, string>();

function normaliseMediaType(value: string): string {
  let out = normalised.get(value);
  if (out === undefined) {
    out = value.toLowerCase().replace(/\s+/g, '');
    // Bounded: a hostile target could send endless distinct values.
    if (normalised.size < 100) normalised.set(value, out);
  }
  return out;
}

/** Nova: `application/json` on success, `application/json; charset=UTF-8` on faults (charset case-insensitive). */
export function expectContentType(exchange: Exchange, expected: string): void {
  const actual = header(exchange, 'content-type');
  if (actual === undefined || normaliseMediaType(actual) !== normaliseMediaType(expected)) {
    fail(exchange, `Content-Type '${expected}', got '${actual ?? '(none)'}'`);
  }
}

export type MessageMatch = string | { readonly prefix: string } | { readonly contains: readonly string[] };

function messageMatches(message: string, match: MessageMatch): boolean {
  if (typeof match === 'string') return message === match;
  if ('prefix' in match) return message.startsWith(match.prefix);
  return match.contains.every((part) => message.includes(part));
}

function describeMatch(match: MessageMatch): string {
  if (typeof match === 'string') return `exactly ${JSON.stringify(match)}`;
  if ('prefix' in match) return `starting with ${JSON.stringify(match.prefix)}`;
  return `containing ${match.contains.map((part) => JSON.stringify(part)).join(' and ')}`;
}

export interface Fault {
  readonly key: string;
  readonly code: number;
  readonly message: string;
}

/**
 * A Nova fault: the status, `Content-Type: application/json; charset=UTF-8`, a body with exactly
 * one key (the fault name for the status), `code` equal to the status, and the message.
 */
export function expectFault(exchange: Exchange, status: number, key: string, message: MessageMatch): Fault {
  if (exchange.status !== status) fail(exchange, `status ${status} with a '${key}' fault`);
  expectContentType(exchange, 'application/json; charset=UTF-8');
  const body = expectSchema<Record<string, { code: number; message: string }>>(exchange, 'common/fault');
  const [actualKey, inner] = Object.entries(body)[0] ?? [];
  if (actualKey !== key || inner === undefined)
    fail(exchange, `the fault key '${key}', got '${actualKey ?? ''}'`);
  if (inner.code !== status) fail(exchange, `${key}.code equal to the status ${status}, got ${inner.code}`);
  if (!messageMatches(inner.message, message)) {
    fail(exchange, `${key}.message ${describeMatch(message)}, got ${JSON.stringify(inner.message)}`);
  }
  return { key: actualKey, code: inner.code, message: inner.message };
}

/** A 202 (or other) answer with no body at all. */
export function expectEmptyBody(exchange: Exchange): void {
  if (exchange.text !== '') fail(exchange, 'an empty body');
}

/**
 * The microversion headers Nova puts on every versioned answer: both version headers naming the
 * effective version, and Vary naming both request headers (as two lines or one folded line).
 */
export function expectVersionHeaders(exchange: Exchange, effective: string): void {
  const standard = header(exchange, 'openstack-api-version');
  if (standard !== `compute ${effective}`)
    fail(exchange, `header OpenStack-API-Version: compute ${effective}, got '${standard ?? '(none)'}'`);
  const legacy = header(exchange, 'x-openstack-nova-api-version');
  if (legacy !== effective)
    fail(exchange, `header X-OpenStack-Nova-API-Version: ${effective}, got '${legacy ?? '(none)'}'`);
  const vary = (header(exchange, 'vary') ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim());
  for (const name of ['openstack-api-version', 'x-openstack-nova-api-version']) {
    if (!vary.includes(name))
      fail(exchange, `Vary to name ${name}, got '${header(exchange, 'vary') ?? '(none)'}'`);
  }
}

export function expectNoVersionHeaders(exchange: Exchange): void {
  for (const name of ['openstack-api-version', 'x-openstack-nova-api-version']) {
    if (header(exchange, name) !== undefined)
      fail(exchange, `no ${name} header (the answer comes from before Nova's versioned code)`);
  }
}

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** x-openstack-request-id and x-compute-request-id, equal, of the form req-<uuid>. */
export function expectRequestIds(exchange: Exchange): string {
  const id = header(exchange, 'x-openstack-request-id');
  if (id === undefined || !REQUEST_ID.test(id))
    fail(exchange, `header x-openstack-request-id: req-<uuid>, got '${id ?? '(none)'}'`);
  const compute = header(exchange, 'x-compute-request-id');
  if (compute !== id)
    fail(
      exchange,
      `header x-compute-request-id equal to x-openstack-request-id (${id}), got '${compute ?? '(none)'}'`,
    );
  return id;
}

/** A plain assertion about meaning rather than shape, with the exchange as evidence. */
export function expectThat(condition: boolean, exchange: Exchange, expected: string): void {
  if (!condition) fail(exchange, expected);
}
