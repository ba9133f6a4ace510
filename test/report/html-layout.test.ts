import { describe, expect, test } from 'vitest';
import { exchangeHtml } from '../../lib/report/html/exchange.ts';
import { printBodyLines } from '../../lib/report/html/failures.ts';
import { layoutJson } from '../../lib/report/html/json-layout.ts';
import { cutForPrint, printClipped, PRINT_WIDTH } from '../../lib/report/html/print-cut.ts';
import type { ExchangeEvidence } from '../../lib/report/model.ts';

// The pieces of summary.html that decide how much of a body is shown and printed.
describe('layoutJson', () => {
  test('keeps a value that fits on one line, with spaces after colons and commas', () => {
    expect(layoutJson('{"interfaceAttachment":{"port_id":"p1","fixed_ips":[]}}')).toBe(
      '{"interfaceAttachment": {"port_id": "p1", "fixed_ips": []}}',
    );
  });

  test('opens a value that does not fit, and lets a single-key wrapper share its lines', () => {
    const message = 'Unexpected API Error. '.repeat(5).trim();
    expect(layoutJson(JSON.stringify({ computeFault: { code: 500, message } }))).toBe(
      `{"computeFault": {\n  "code": 500,\n  "message": ${JSON.stringify(message)}\n}}`,
    );
    const ports = Array.from({ length: 4 }, (_, i) => ({ port_id: `port-${i}`.padEnd(30, 'x') }));
    expect(layoutJson(JSON.stringify({ interfaceAttachments: ports, extra: 1 })).split('\n')).toEqual([
      '{',
      '  "interfaceAttachments": [',
      ...ports.map((p, i) => `    ${JSON.stringify(p).replace(':', ': ')}${i < 3 ? ',' : ''}`),
      '  ],',
      '  "extra": 1',
      '}',
    ]);
  });

  test('leaves what is not JSON as it came (a clipped body, HTML, a trailing control byte)', () => {
    for (const body of ['{"a": 1', '<html>502</html>', '{"a": 1}\u0001', ''])
      expect(layoutJson(body)).toBe(body);
  });
});

describe('cutForPrint', () => {
  test('keeps text within the lines given whole', () => {
    expect(cutForPrint('a\nb\nc', 3)).toEqual({ shown: 'a\nb\nc', rest: '', restLines: 0 });
  });

  test('cuts at a line, counting a long line as the lines it wraps to', () => {
    expect(cutForPrint('a\nb\nc\nd', 2)).toEqual({ shown: 'a\nb\n', rest: 'c\nd', restLines: 2 });
    const long = 'x'.repeat(PRINT_WIDTH * 3);
    const cut = cutForPrint(`a\n${long}\nb`, 2);
    expect(cut.shown).toBe(`a\n${'x'.repeat(PRINT_WIDTH)}`);
    expect(cut.shown + cut.rest).toBe(`a\n${long}\nb`);
    expect(cut.restLines).toBe(2);
  });

  test('puts the cut part and a note in spans for the print stylesheet, text escaped', () => {
    expect(printClipped('<a>\n<b>\n<c>', 1)).toBe(
      '&lt;a&gt;\n<span class="print-cut">&lt;b&gt;\n&lt;c&gt;</span>' +
        '<span class="print-note">[… 2 more lines cut in print: see the report on screen or junit.xml]</span>',
    );
    expect(printClipped('short', 5)).toBe('short');
  });
});

describe('printBodyLines', () => {
  test('shares a budget of printed lines among the failures, within bounds', () => {
    expect(printBodyLines(1)).toBe(40);
    expect(printBodyLines(8)).toBe(20);
    expect(printBodyLines(40)).toBe(4);
    expect(printBodyLines(500)).toBe(3);
  });
});

describe('exchangeHtml', () => {
  const evidence = (computeId: string): ExchangeEvidence => ({
    method: 'GET',
    url: 'http://127.0.0.1:9/compute/v2.1/servers/s1/os-interface',
    status: 200,
    requestHeaders: { 'X-Auth-Token': '<redacted>', 'User-Agent': 'nova-conformance' },
    responseHeaders: {
      'content-type': 'application/json',
      'content-length': '2',
      'x-openstack-request-id': 'req-1',
      'x-compute-request-id': computeId,
      date: 'Tue, 01 Dec 2026 12:00:00 GMT',
    },
    body: '{}',
  });

  test('shows the headers that matter, the request id once, and leaves the rest to the log', () => {
    expect(exchangeHtml(evidence('req-1'), 10)).toBe(
      '<pre class="request"><b>GET http://127.0.0.1:9/compute/v2.1/servers/s1/os-interface</b></pre>' +
        '<pre class="response"><b>200 OK</b>\ncontent-type: application/json\nx-openstack-request-id: req-1' +
        '\n<span class="gap">\n</span>{}</pre>',
    );
    expect(exchangeHtml(evidence('req-2'), 10)).toContain(
      'x-openstack-request-id: req-1\nx-compute-request-id: req-2',
    );
  });
});
