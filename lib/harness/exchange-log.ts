import type { Exchange } from '../openstack/http.ts';

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

/**
 * What the reports learn of a check's exchanges, through its task meta: request ids and
 * microversions always; the whole log (redacted as recorded) only when the check did not pass,
 * with the index of the exchange its failure names.
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
  };
  if (withLog && exchanges.length > 0) {
    meta['exchangeLog'] = exchanges.map(formatExchange).join('\n\n');
    const index = failedSeq === undefined ? -1 : exchanges.findIndex((e) => e.seq === failedSeq);
    if (index >= 0) meta['failedExchangeIndex'] = index;
  }
  return meta;
}
