import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { formatExchange } from '../../lib/harness/exchange-log.ts';
import { HttpClient, type Exchange } from '../../lib/openstack/http.ts';
import { MAX_JSON_DEPTH } from '../../lib/openstack/json-depth.ts';
import { hostile } from './servers.ts';

// What the client makes of bodies a hostile target sends: compressed without being asked, not
// UTF-8, or nested deeper than any Nova answer. Each ends as a described exchange, never as raw
// control bytes or a stack overflow.

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((x) => x.close()));
  open = [];
});

async function answering(
  body: Buffer | string,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
): Promise<{ exchange: Exchange; recorded: Exchange; sent: Record<string, string | string[] | undefined> }> {
  let sent: Record<string, string | string[] | undefined> = {};
  const server = await hostile((req, res) => {
    sent = req.headers;
    res.writeHead(200, headers);
    res.end(body);
  });
  open.push(server);
  const records: Exchange[] = [];
  const http = new HttpClient({
    timeoutMs: 5000,
    maxResponseBytes: 64 * 1024 * 1024,
    onExchange: (e) => records.push(e),
  });
  open.push(http);
  const exchange = await http.send({
    method: 'GET',
    url: `${server.url}/compute/v2.1/servers/x/os-interface`,
  });
  return { exchange, recorded: records[0] as Exchange, sent };
}

// NUL to backspace, VT to US, DEL: what must never reach a terminal raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

describe('compression', () => {
  test('the client asks for none', async () => {
    const { sent } = await answering('{}');
    expect(sent['accept-encoding']).toBe('identity');
  });

  test('a gzip body sent unasked is described, not decoded and not shown raw', async () => {
    const gzip = gzipSync(Buffer.from('{"interfaceAttachments": []}\x00\x08\x1b[2K'));
    const { exchange, recorded } = await answering(gzip, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect(exchange.text).toBe(`(${gzip.length} bytes, Content-Encoding gzip, not decoded)`);
    expect(exchange.json).toBeUndefined();
    expect(exchange.unparsed).toContain('compressed (Content-Encoding gzip)');
    expect(formatExchange(recorded)).not.toMatch(CONTROL);
  });

  test('Content-Encoding: identity is no compression', async () => {
    const { exchange } = await answering('{"a": 1}', {
      'Content-Type': 'application/json',
      'Content-Encoding': 'identity',
    });
    expect(exchange.json).toEqual({ a: 1 });
  });
});

describe('bytes that are not UTF-8', () => {
  test('are described, never passed on as text', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x08, 0x7d]);
    const { exchange, recorded } = await answering(bytes);
    expect(exchange.text).toBe('(6 bytes that are not UTF-8 text, not shown)');
    expect(exchange.unparsed).toBe('it is not UTF-8 text');
    expect(formatExchange(recorded)).not.toMatch(CONTROL);
  });

  test('a byte-order mark is kept, so that it is not silently accepted as JSON', async () => {
    const { exchange } = await answering(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]));
    expect(exchange.text).toBe('\ufeff{}');
    expect(exchange.json).toBeUndefined();
  });
});

describe('JSON depth', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

  test(`${MAX_JSON_DEPTH} levels are parsed, one more is not`, async () => {
    expect((await answering(nested(MAX_JSON_DEPTH))).exchange.json).toBeInstanceOf(Array);
    const { exchange } = await answering(nested(MAX_JSON_DEPTH + 1));
    expect(exchange.json).toBeUndefined();
    expect(exchange.unparsed).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
  });

  test('brackets inside strings do not count', async () => {
    const { exchange } = await answering(JSON.stringify({ message: '['.repeat(1000) }));
    expect(exchange.json).toEqual({ message: '['.repeat(1000) });
  });

  test('an interface list nested 100,000 levels deep: described, recorded and redacted without a stack overflow', async () => {
    const body = `{"interfaceAttachments": ${nested(100_000)}}`;
    const started = performance.now();
    const { exchange, recorded } = await answering(body);
    expect(exchange.json).toBeUndefined();
    expect(exchange.unparsed).toContain('levels deep');
    expect(recorded.text.length).toBe(body.length);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
