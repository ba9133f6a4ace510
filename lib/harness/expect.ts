import { header, type Exchange } from '../openstack/http.ts';
import { recordSchema } from './exchange-log.ts';
import { redactHeaders, redactText } from '../openstack/redact.ts';
import { printable } from '../report/printable.ts';
import { interfaceSchema, validate, type SchemaName } from '../schema/validator.ts';
import type { FaultBody } from './bodies.ts';

const EVIDENCE_BODY = 2000;

/** The exchange a failed assertion is about, redacted, for the reports' one-exchange view. */
interface ExchangeEvidence {
  readonly seq: number;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody?: string;
  readonly responseHeaders: Record<string, string>;
  readonly body: string;
}

interface Evidence {
  readonly expected: string;
  readonly exchange: ExchangeEvidence;
}

function clip(text: string): string {
  return text.length > EVIDENCE_BODY ? `${text.slice(0, EVIDENCE_BODY)}...` : text;
}

function evidenceOf(exchange: Exchange): ExchangeEvidence {
  const flat = (headers: Readonly<Record<string, string | readonly string[]>>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : String(value),
      ]),
    );
  return {
    seq: exchange.seq,
    method: exchange.method,
    url: redactText(exchange.url),
    status: exchange.status,
    requestHeaders: flat(redactHeaders(exchange.requestHeaders)),
    ...(exchange.requestBody !== undefined && { requestBody: clip(exchange.requestBody) }),
    responseHeaders: flat(redactHeaders(exchange.headers)),
    body: clip(redactText(exchange.text)),
  };
}

/**
 * A deviation from what real Nova does: the target answered, but not as Nova would. `evidence`
 * (an own property, so vitest carries it to the reporter) names the one exchange it is about.
 */
class ConformanceError extends Error {
  readonly evidence: Evidence | undefined;

  constructor(message: string, evidence?: Evidence) {
    super(message);
    this.name = 'ConformanceError';
    this.evidence = evidence;
  }
}

/** The path and query of a URL, as failure messages show it (the host is the run's target). */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function came(exchange: Exchange): string {
  // The target's bytes reach a terminal: escape sequences are shown, never obeyed.
  const text = printable(redactText(exchange.text));
  const body = text.length > 300 ? `${text.slice(0, 300)}...` : text;
  return `${exchange.method} ${shortUrl(exchange.url)} answered ${exchange.status}${body === '' ? ' with an empty body' : `: ${body}`}`;
}

function failWith(exchange: Exchange, expected: string, message: string): never {
  throw new ConformanceError(message, { expected, exchange: evidenceOf(exchange) });
}

export function fail(exchange: Exchange, expected: string): never {
  failWith(exchange, expected, `Expected ${expected}.\n${came(exchange)}`);
}

export function expectStatus(exchange: Exchange, status: number): void {
  if (exchange.status !== status) fail(exchange, `status ${status}`);
}

/**
 * Which schema problems a check owns: the others belong to the behaviour that owns that field
 * (suites/support/ownership.ts), and a check reading the body on the way must not fail on them.
 */
export type Owns = (problem: string) => boolean;

/** Checks the body against a schema and returns it; every response body passes through here. */
export function expectSchema<T>(exchange: Exchange, schema: SchemaName, owns?: Owns): T {
  const all = exchange.json === undefined ? [] : validate(schema, exchange.json);
  const problems = owns === undefined ? all : all.filter((problem) => owns(problem));
  // The bundle's verify re-validates the recorded body: it must know what this check judged.
  recordSchema(
    exchange,
    schema,
    all.filter((problem) => !problems.includes(problem)),
  );
  if (exchange.json === undefined)
    fail(
      exchange,
      exchange.unparsed === undefined
        ? `a JSON body valid against ${schema}`
        : `a JSON body valid against ${schema}, but ${exchange.unparsed}`,
    );
  if (problems.length > 0) {
    failWith(
      exchange,
      `a body valid against ${schema}`,
      `The body does not match ${schema}:\n  - ${problems.join('\n  - ')}\n${came(exchange)}`,
    );
  }
  return exchange.json as T;
}

/**
 * Status plus the list/show schema of the effective microversion (the Content-Type is HEADERS-01's
 * to judge; a JSON body is required).
 */
export function expectInterfaceBody<T>(
  exchange: Exchange,
  kind: 'list' | 'show',
  status: number,
  effective: string,
  owns?: Owns,
): T {
  expectStatus(exchange, status);
  return expectSchema<T>(exchange, interfaceSchema(kind, effective), owns);
}

/** `type/subtype` of a media type, lower case, without parameters. */
function mediaType(value: string | undefined): string | undefined {
  return value?.split(';')[0]?.trim().toLowerCase();
}

/** The charset parameter of a Content-Type, lower case (HTTP says its value is case-insensitive). */
function charsetOf(value: string): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(value);
  return match?.[1]?.toLowerCase();
}

/**
 * The media type only: parameters (a charset on a success answer) are HEADERS-01's to judge, so a
 * check about something else does not fail on them.
 */
export function expectMediaType(exchange: Exchange, expected: string): void {
  const actual = header(exchange, 'content-type');
  if (mediaType(actual) !== mediaType(expected))
    fail(exchange, `Content-Type ${mediaType(expected) ?? expected}, got '${actual ?? '(none)'}'`);
}

/**
 * HEADERS-01: Nova sends `application/json` on success (no parameter) and `application/json;
 * charset=UTF-8` on faults (the charset's case is free).
 */
export function expectContentType(exchange: Exchange, expected: string): void {
  const actual = header(exchange, 'content-type');
  const wantedCharset = charsetOf(expected);
  const ok =
    actual !== undefined &&
    mediaType(actual) === mediaType(expected) &&
    charsetOf(actual) === wantedCharset &&
    (wantedCharset !== undefined || !actual.includes(';'));
  if (!ok) fail(exchange, `Content-Type '${expected}', got '${actual ?? '(none)'}'`);
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
 * A Nova fault: the status, a JSON body (its exact Content-Type is HEADERS-01's) with exactly
 * one key (the fault name for the status), `code` equal to the status, and the message.
 */
export function expectFault(exchange: Exchange, status: number, key: string, message: MessageMatch): Fault {
  if (exchange.status !== status) fail(exchange, `status ${status} with a '${key}' fault`);
  const body = expectSchema<FaultBody>(exchange, 'common/fault');
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

/** Only `OpenStack-API-Version: compute <effective>`, for checks that own that header and not the rest. */
export function expectStandardVersionHeader(exchange: Exchange, effective: string): void {
  const standard = header(exchange, 'openstack-api-version');
  if (standard !== `compute ${effective}`)
    fail(exchange, `header OpenStack-API-Version: compute ${effective}, got '${standard ?? '(none)'}'`);
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
