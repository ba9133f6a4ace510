import type { Exchange } from '../openstack/http.ts';
import { redactText } from '../openstack/redact.ts';

const BODY_LIMIT = 2000;

function clip(text: string): string {
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}... (${text.length} bytes)` : text;
}

/** One exchange as text, redacted as recorded, for failure output. */
export function formatExchange(exchange: Exchange): string {
  const lines = [`#${exchange.seq} ${exchange.startedAt}`, `> ${exchange.method} ${exchange.url}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders))
    lines.push(`> ${name}: ${String(value)}`);
  if (exchange.requestBody !== undefined) lines.push(`> ${clip(exchange.requestBody)}`);
  // A throttled answer was retried (429, or 503 with Retry-After): say so, or the evidence hides it.
  const retried =
    exchange.retries > 0
      ? `, after ${exchange.retries} ${exchange.retries === 1 ? 'retry' : 'retries'} on 429/503`
      : '';
  lines.push(`< ${exchange.status} (${exchange.durationMs.toFixed(0)} ms${retried})`);
  for (const [name, values] of Object.entries(exchange.headers))
    for (const value of values) lines.push(`< ${name}: ${value}`);
  if (exchange.text !== '') lines.push(`< ${clip(exchange.text)}`);
  return lines.join('\n');
}

/** The compute microversion a request asked for, as the reports name it. */
function requestedMicroversion(exchange: Exchange): string | undefined {
  if (!exchange.url.includes('/servers')) return undefined;
  const headers = Object.entries(exchange.requestHeaders);
  const standard = headers.find(([name]) => name.toLowerCase() === 'openstack-api-version')?.[1];
  const legacy = headers.find(([name]) => name.toLowerCase() === 'x-openstack-nova-api-version')?.[1];
  const value =
    typeof standard === 'string'
      ? standard.replace(/^compute\s+/, '')
      : typeof legacy === 'string'
        ? legacy
        : undefined;
  return value ?? '2.1 (no header)';
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

// ---- the exchanges of a check for the results bundle (exchanges.har) ----------------------------

/** Which schema the harness validated a response body against, and what it left to other checks. */
export interface SchemaRecord {
  readonly name: string;
  /** Problems the check did not own (its `owns` filter), which another behaviour's check judges. */
  readonly ignored: readonly string[];
}

/** One exchange of a check, whole (bodies up to a limit), for the bundle's HAR file. */
export interface RecordedExchange {
  readonly seq: number;
  readonly startedAt: string;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
  /** The body was longer than RECORDED_BODY_LIMIT characters and is cut there. */
  readonly truncated?: true;
  readonly durationMs: number;
  readonly retries: number;
  readonly schema?: SchemaRecord;
}

/** os-interface bodies are a few kilobytes; a body this long is kept only in part. */
const RECORDED_BODY_LIMIT = 1024 * 1024;

/**
 * Validations wait here until the check's teardown takes its exchanges. Keyed by what identifies
 * an exchange, not by object: the check holds the caller's object, the evidence a redacted copy.
 * Bounded, for validations of exchanges no check owns (a file's shared arrangement).
 */
const validations = new Map<string, SchemaRecord>();
const VALIDATIONS_KEPT = 10_000;

function keyOf(exchange: Pick<Exchange, 'seq' | 'startedAt' | 'method' | 'url'>): string {
  return `${exchange.seq} ${exchange.startedAt} ${exchange.method} ${exchange.url}`;
}

/** Called where the harness validates a body (expectSchema); the first schema of an exchange is kept. */
export function recordSchema(exchange: Exchange, name: string, ignored: readonly string[]): void {
  const key = keyOf(exchange);
  if (validations.has(key)) return;
  if (validations.size >= VALIDATIONS_KEPT) {
    const oldest = validations.keys().next();
    if (oldest.done !== true) validations.delete(oldest.value);
  }
  validations.set(key, { name, ignored: [...ignored] });
}

function flatHeaders(headers: Readonly<Record<string, string | string[]>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
  );
}

function recorded(exchange: Exchange): RecordedExchange {
  const key = keyOf(exchange);
  const schema = validations.get(key);
  validations.delete(key);
  const truncated = exchange.text.length > RECORDED_BODY_LIMIT;
  return {
    seq: exchange.seq,
    startedAt: exchange.startedAt,
    method: exchange.method,
    url: redactText(exchange.url),
    requestHeaders: flatHeaders(exchange.requestHeaders),
    ...(exchange.requestBody !== undefined && { requestBody: exchange.requestBody }),
    status: exchange.status,
    responseHeaders: exchange.headers,
    body: truncated ? exchange.text.slice(0, RECORDED_BODY_LIMIT) : exchange.text,
    ...(truncated && { truncated: true as const }),
    durationMs: Math.round(exchange.durationMs * 10) / 10,
    retries: exchange.retries,
    ...(schema !== undefined && { schema }),
  };
}

/**
 * What the reports learn of a check's exchanges, through its task meta: request ids,
 * microversions and every exchange whole (`recorded`, for the bundle's HAR) always; the log as
 * text (redacted as recorded) only when the check did not pass, with the index of the exchange
 * its failure names (an index into `recorded` too).
 */
export function evidenceMeta(
  exchanges: readonly Exchange[],
  count: number,
  failedSeq: number | undefined,
  withLog: boolean,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    requestIds: unique(exchanges.map((e) => e.requestId)),
    microversions: unique(exchanges.map(requestedMicroversion)),
    exchanges: count,
    recorded: exchanges.map(recorded),
  };
  if (withLog && exchanges.length > 0) {
    meta['exchangeLog'] = exchanges.map(formatExchange).join('\n\n');
    const index = failedSeq === undefined ? -1 : exchanges.findIndex((e) => e.seq === failedSeq);
    if (index >= 0) meta['failedExchangeIndex'] = index;
  }
  return meta;
}
