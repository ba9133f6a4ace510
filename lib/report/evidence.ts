import type { Evidence, ExchangeEvidence } from './model.ts';

/**
 * The `evidence` a ConformanceError carries reaches the reporter through vitest's error
 * serialisation, from another process: it is read as unknown data and kept only when every field
 * has the promised type, so that a malformed one degrades to the error's message instead of
 * breaking the report.
 */
function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringMap(value: unknown, scrub: (text: string) => string): Record<string, string> | undefined {
  const map = record(value);
  if (map === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(map)) {
    if (typeof v === 'string') out[scrub(name)] = scrub(v);
    else if (Array.isArray(v)) out[scrub(name)] = scrub(v.map(String).join(', '));
    else return undefined;
  }
  return out;
}

function exchangeOf(value: unknown, scrub: (text: string) => string): ExchangeEvidence | undefined {
  const e = record(value);
  if (e === undefined) return undefined;
  const { method, url, status, requestBody, body } = e;
  const requestHeaders = stringMap(e['requestHeaders'] ?? {}, scrub);
  const responseHeaders = stringMap(e['responseHeaders'] ?? {}, scrub);
  if (typeof method !== 'string' || typeof url !== 'string' || typeof status !== 'number') return undefined;
  if (requestHeaders === undefined || responseHeaders === undefined) return undefined;
  return {
    method: scrub(method),
    url: scrub(url),
    status,
    requestHeaders,
    ...(typeof requestBody === 'string' && { requestBody: scrub(requestBody) }),
    responseHeaders,
    body: typeof body === 'string' ? scrub(body) : '',
  };
}

export function evidenceOf(value: unknown, scrub: (text: string) => string): Evidence | undefined {
  const e = record(value);
  if (e === undefined || typeof e['expected'] !== 'string') return undefined;
  const exchange = exchangeOf(e['exchange'], scrub);
  if (exchange === undefined) return undefined;
  const behaviour = e['behaviour'];
  return {
    ...(typeof behaviour === 'string' && { behaviour: scrub(behaviour) }),
    expected: scrub(e['expected']),
    exchange,
  };
}
