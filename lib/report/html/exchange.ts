import { STATUS_CODES } from 'node:http';
import type { ExchangeEvidence } from '../model.ts';
import { text } from './escape.ts';
import { layoutJson } from './json-layout.ts';
import { printClipped } from './print-cut.ts';

/**
 * The exchange a check failed on, as a reader wants it: the request line, the status, the headers
 * that decide or explain Nova's answer (microversion, content type, the request id to find in the
 * cloud's logs), and the body as indented JSON. The other headers stay in the exchange log.
 */
const REQUEST_HEADERS = new Set(['openstack-api-version', 'x-openstack-nova-api-version', 'content-type']);
const RESPONSE_HEADERS = new Set([
  'content-type',
  'openstack-api-version',
  'x-openstack-nova-api-version',
  'vary',
  'location',
  'retry-after',
  'x-openstack-request-id',
  'x-compute-request-id',
]);

/** Printed lines of a request body: it is the reader's own input, rarely long, seldom the point. */
const REQUEST_BODY_LINES = 6;

/** The blank line between headers and body, as HTTP has it; left out in print, where lines count. */
const GAP = '\n<span class="gap">\n</span>';

function headerLines(headers: Readonly<Record<string, string>>, kept: ReadonlySet<string>): string[] {
  const entries = Object.entries(headers).filter(([name]) => kept.has(name.toLowerCase()));
  // Nova sends its request id twice (x-openstack-request-id, x-compute-request-id): once is enough.
  const openstackId = entries.find(([name]) => name.toLowerCase() === 'x-openstack-request-id')?.[1];
  return entries
    .filter(([name, value]) => name.toLowerCase() !== 'x-compute-request-id' || value !== openstackId)
    .map(([name, value]) => `${name}: ${value}`);
}

/** The request and the response, each in a block; the response body cut after `bodyLines` in print. */
export function exchangeHtml(exchange: ExchangeEvidence, bodyLines: number): string {
  const request = headerLines(exchange.requestHeaders, REQUEST_HEADERS)
    .filter((line) => exchange.requestBody !== undefined || !/^content-type:/i.test(line))
    .map((line) => `\n${text(line)}`)
    .join('');
  const requestBody =
    exchange.requestBody === undefined
      ? ''
      : `${GAP}${printClipped(layoutJson(exchange.requestBody), REQUEST_BODY_LINES)}`;
  const reason = STATUS_CODES[exchange.status] ?? '';
  const response = headerLines(exchange.responseHeaders, RESPONSE_HEADERS)
    .map((line) => `\n${text(line)}`)
    .join('');
  const body =
    exchange.body === ''
      ? `${GAP}(empty body)`
      : `${GAP}${printClipped(layoutJson(exchange.body), bodyLines)}`;
  return (
    `<pre class="request"><b>${text(`${exchange.method} ${exchange.url}`)}</b>${request}${requestBody}</pre>` +
    `<pre class="response"><b>${text(`${exchange.status} ${reason}`.trim())}</b>${response}${body}</pre>`
  );
}
