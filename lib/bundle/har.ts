import type { Entry, Har, Header, Page } from 'har-format';
import type { RecordedExchange, SchemaRecord } from '../harness/exchange-log.ts';

export const HAR_FILE = 'exchanges.har';

/** The exchanges of one result (a check), as the reporter collected them from its task meta. */
export interface CheckExchanges {
  /** The result's key in summary.json (`results[].key`). */
  readonly key: string;
  /** `<scenario> › <name>`, for HAR viewers. */
  readonly title: string;
  readonly startedAt: string | undefined;
  readonly exchanges: readonly RecordedExchange[];
}

/** The custom fields every entry of exchanges.har carries (HAR 1.2 allows `_`-prefixed ones). */
interface EntryFields {
  readonly _check: string;
  /** The exchange's place among its check's exchanges (summary.json's failedExchangeIndex). */
  readonly _index: number;
  readonly _schema?: string;
  readonly _schemaIgnored?: readonly string[];
  readonly _truncated?: true;
}

// ---- reading the task meta, which crossed a process boundary --------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  const map = record(value);
  if (map === undefined) return undefined;
  return Object.values(map).every((v) => typeof v === 'string') ? (map as Record<string, string>) : undefined;
}

function listMap(value: unknown): Record<string, string[]> | undefined {
  const map = record(value);
  if (map === undefined) return undefined;
  return Object.values(map).every((v) => strings(v) !== undefined)
    ? (map as Record<string, string[]>)
    : undefined;
}

function schemaOf(value: unknown): SchemaRecord | undefined {
  const r = record(value);
  const ignored = strings(r?.['ignored']);
  return typeof r?.['name'] === 'string' && ignored !== undefined ? { name: r['name'], ignored } : undefined;
}

function exchangeOf(value: unknown, scrub: (text: string) => string): RecordedExchange | undefined {
  const e = record(value);
  if (e === undefined) return undefined;
  const requestHeaders = stringMap(e['requestHeaders']);
  const responseHeaders = listMap(e['responseHeaders']);
  const { seq, startedAt, method, url, status, body, durationMs, retries, requestBody } = e;
  if (
    typeof seq !== 'number' ||
    typeof startedAt !== 'string' ||
    typeof method !== 'string' ||
    typeof url !== 'string' ||
    typeof status !== 'number' ||
    typeof body !== 'string' ||
    typeof durationMs !== 'number' ||
    typeof retries !== 'number' ||
    requestHeaders === undefined ||
    responseHeaders === undefined
  )
    return undefined;
  const scrubMap = (map: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [k, scrub(v)]));
  const schema = schemaOf(e['schema']);
  return {
    seq,
    startedAt,
    method,
    url: scrub(url),
    requestHeaders: scrubMap(requestHeaders),
    ...(typeof requestBody === 'string' && { requestBody: scrub(requestBody) }),
    status,
    responseHeaders: Object.fromEntries(
      Object.entries(responseHeaders).map(([k, values]) => [k, values.map(scrub)]),
    ),
    body: scrub(body),
    ...(e['truncated'] === true && { truncated: true as const }),
    durationMs,
    retries,
    ...(schema !== undefined && { schema }),
  };
}

/** The recorded exchanges of a test's meta (lib/harness/exchange-log.ts), scrubbed; malformed ones are dropped. */
export function recordedExchangesOf(value: unknown, scrub: (text: string) => string): RecordedExchange[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const exchange = exchangeOf(item, scrub);
    return exchange === undefined ? [] : [exchange];
  });
}

// ---- writing HAR 1.2 ---------------------------------------------------------------------------------

function headerList(headers: Readonly<Record<string, string | readonly string[]>>): Header[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : value).map((v) => ({ name, value: v })),
  );
}

function contentType(headers: Readonly<Record<string, string | readonly string[]>>): string {
  const found = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return (typeof found === 'string' ? found : found?.join(', ')) ?? '';
}

function queryOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function entryOf(check: CheckExchanges, exchange: RecordedExchange, index: number): Entry {
  const bytes = Buffer.byteLength(exchange.body, 'utf8');
  const fields: EntryFields = {
    _check: check.key,
    _index: index,
    ...(exchange.schema !== undefined && {
      _schema: exchange.schema.name,
      ...(exchange.schema.ignored.length > 0 && { _schemaIgnored: exchange.schema.ignored }),
    }),
    ...(exchange.truncated === true && { _truncated: true as const }),
  };
  return {
    pageref: check.key,
    startedDateTime: exchange.startedAt,
    time: exchange.durationMs,
    comment: check.title,
    request: {
      method: exchange.method,
      url: exchange.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(exchange.requestHeaders),
      queryString: queryOf(exchange.url),
      ...(exchange.requestBody !== undefined && {
        postData: { mimeType: contentType(exchange.requestHeaders), text: exchange.requestBody },
      }),
      headersSize: -1,
      bodySize: exchange.requestBody === undefined ? 0 : Buffer.byteLength(exchange.requestBody, 'utf8'),
    },
    response: {
      status: exchange.status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(exchange.responseHeaders),
      content: { size: bytes, mimeType: contentType(exchange.responseHeaders), text: exchange.body },
      redirectURL: '',
      headersSize: -1,
      bodySize: bytes,
    },
    cache: {},
    // The harness times the whole exchange; HAR's phases are not measured apart.
    timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    ...fields,
  };
}

/**
 * Every exchange of every check as HAR 1.2: a page per check (id: its key in summary.json), an
 * entry per exchange naming its check (`_check`, and `comment` for viewers) and, where the
 * harness validated the body, the schema (`_schema`) and the problems it left to other checks.
 */
export function harOf(checks: readonly CheckExchanges[], creator: { name: string; version: string }): Har {
  const withExchanges = checks.filter((c) => c.exchanges.length > 0);
  const pages: Page[] = withExchanges.map((c) => ({
    id: c.key,
    title: c.title,
    startedDateTime: c.startedAt ?? c.exchanges[0]?.startedAt ?? new Date(0).toISOString(),
    pageTimings: {},
  }));
  return {
    log: {
      version: '1.2',
      creator,
      pages,
      entries: withExchanges.flatMap((c) => c.exchanges.map((e, i) => entryOf(c, e, i))),
      comment:
        'The exchanges of every check of the run, redacted (tokens, passwords and secrets never appear).',
    },
  };
}

export function harText(har: Har): string {
  return `${JSON.stringify(har, null, 2)}\n`;
}
