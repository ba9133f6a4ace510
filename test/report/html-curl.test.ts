import { describe, expect, test } from 'vitest';
import { curlOf } from '../../lib/report/curl.ts';
import type { ExchangeEvidence } from '../../lib/report/model.ts';

// The reproduction line the console and summary.html print under a failure.
const exchange = (requestBody?: string): ExchangeEvidence => ({
  method: 'POST',
  url: "http://127.0.0.1:9/compute/v2.1/servers/it's/os-interface",
  status: 500,
  requestHeaders: {
    'X-Auth-Token': '<redacted>',
    'OpenStack-API-Version': 'compute 2.69',
    'Content-Type': 'application/json',
    'User-Agent': 'nova-conformance',
  },
  ...(requestBody !== undefined && { requestBody }),
  responseHeaders: {},
  body: '',
});

describe('curlOf', () => {
  test('repeats the method, the quoted URL, the headers that matter and the body, the token as $OS_TOKEN', () => {
    expect(curlOf(exchange('{ "interfaceAttachment": { "port_id": "p1" } }'))).toBe(
      `curl -sS -X POST 'http://127.0.0.1:9/compute/v2.1/servers/it'\\''s/os-interface' ` +
        `-H "X-Auth-Token: $OS_TOKEN" -H 'OpenStack-API-Version: compute 2.69' ` +
        `-H 'Content-Type: application/json' -d '{"interfaceAttachment":{"port_id":"p1"}}'`,
    );
  });

  test('says a clipped body was clipped, as the log marks it and as an assertion’s evidence does', () => {
    for (const body of [`{"a": "${'x'.repeat(2000)}... (2100 bytes)`, `{"a": "${'x'.repeat(2000)}...`])
      expect(curlOf(exchange(body))).toMatch(/ -d '\.\.\.' # \(request body clipped; see junit\.xml\)$/);
  });
});
