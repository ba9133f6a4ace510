import type { IncomingMessage, ServerResponse } from 'node:http';

/** oslo.middleware sizelimit's default `max_request_body_size`. */
export const MAX_BODY_BYTES = 114688;

export interface MockRequest {
  method: string;
  /** path below the service prefix, without the query string */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** undefined when the client sent no body bytes */
  body: Buffer | undefined;
  /** the service's public base URL, e.g. http://127.0.0.1:1234/compute */
  baseUrl: string;
  rawHeaders: string[];
}

export class BodyTooLarge extends Error {}

/** Reads the body, giving up (without draining) once it passes the limit. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(size === 0 ? undefined : Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
  });
}

export type HeaderList = [string, string][];

export function send(
  res: ServerResponse,
  status: number,
  headers: HeaderList,
  body: string | Buffer | undefined,
): void {
  if (res.headersSent) return;
  const merged = new Map<string, string[]>();
  const names = new Map<string, string>();
  for (const [k, v] of headers) {
    const key = k.toLowerCase();
    if (!names.has(key)) names.set(key, k);
    merged.set(key, [...(merged.get(key) ?? []), v]);
  }
  for (const [key, values] of merged) {
    const name = names.get(key) ?? key;
    // Node writes an array as one header line per element: Nova sends Vary twice this way.
    res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
  }
  const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.setHeader('Content-Length', String(buf.length));
  res.statusCode = status;
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderList = []): void {
  send(res, status, [['Content-Type', 'application/json'], ...headers], JSON.stringify(body));
}

export function header(req: { headers: IncomingMessage['headers'] }, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v.join(',');
  return v;
}

/** Parses a JSON body the way Python's json.loads would accept it, or returns an error marker. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}
