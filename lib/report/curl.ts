import type { ExchangeEvidence } from './model.ts';

/**
 * A reproduction of a failed exchange for the console: one `curl` line a reader can paste after
 * `export OS_TOKEN=$(openstack token issue -f value -c id)`. The token is always `$OS_TOKEN`,
 * never a value: the evidence holds it redacted anyway, and a line made to be pasted into a shell
 * must not carry a secret. Only the headers that change Nova's answer are repeated.
 */
const REPEATED = new Set(['openstack-api-version', 'x-openstack-nova-api-version', 'content-type']);

/** POSIX shell single quotes: everything literal, a quote itself closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** JSON bodies on one line, so the reproduction stays one line; anything else as it was sent. */
function oneLine(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body));
  } catch {
    return body;
  }
}

/**
 * A clipped body (the harness keeps 2,000 characters) is no reproduction: say so instead. The
 * exchange log marks the cut `... (N bytes)`, an assertion's evidence `...`; a JSON body, which a
 * suite sends, never ends with either.
 */
const CLIPPED = /\.\.\.(?: \(\d+ bytes\))?$/;

export function curlOf(exchange: ExchangeEvidence): string {
  const parts = ['curl -sS', `-X ${exchange.method}`, shellQuote(exchange.url)];
  const headers = Object.entries(exchange.requestHeaders);
  if (headers.some(([name]) => name.toLowerCase() === 'x-auth-token'))
    parts.push('-H "X-Auth-Token: $OS_TOKEN"');
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!REPEATED.has(lower)) continue;
    if (lower === 'content-type' && exchange.requestBody === undefined) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (exchange.requestBody !== undefined) {
    if (CLIPPED.test(exchange.requestBody)) parts.push("-d '...' # (request body clipped; see junit.xml)");
    else parts.push(`-d ${shellQuote(oneLine(exchange.requestBody))}`);
  }
  return parts.join(' ');
}
