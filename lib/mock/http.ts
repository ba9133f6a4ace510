import type { IncomingMessage, ServerResponse } from 'node:http';

/** oslo.middleware sizelimit's default `max_request_body_size`. */
const MAX_BODY_BYTES = 114688;

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

export interface ParsedUrl {
  /** as WHATWG URL resolves it (dot segments, percent-encoding) */
  pathname: string;
  query: URLSearchParams;
  /** the path as the client sent it, for the request log */
  rawPath: string;
}

/** Paths that `new URL` leaves exactly as written: no dot segment, nothing it would re-encode. */
const PLAIN_PATH = /^(?:(?:\/[A-Za-z0-9_~%:@+,=-]+(?:\.[A-Za-z0-9_~%:@+,=-]*)*)+\/?|\/)$/;

const PLAIN_QUERY = /^[A-Za-z0-9_~%:@+,=&.*/!$'();-]*$/;

/** The path and query of a request target; the common plain case without a URL object. */
export function parseUrl(target: string): ParsedUrl {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  // %2e is a dot to URL's path resolution; the query must hold nothing URL would re-encode or trim.
  if (PLAIN_PATH.test(rawPath) && !/%2e/i.test(rawPath) && PLAIN_QUERY.test(rawQuery))
    return { pathname: rawPath, query: new URLSearchParams(rawQuery), rawPath };
  const url = new URL(target, 'http://mock.invalid');
  return { pathname: url.pathname, query: url.searchParams, rawPath };
}

/** Whether the request carries body bytes (HTTP/1.1 frames a body by Content-Length or chunking). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

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
  // Header lists are short: a scan of the lower-cased names finds a repeat faster than maps would.
  // Repeats are sent as one line each, under the first spelling, next to the first (as setHeader
  // with an array would: Nova's two Varys). One flat list to writeHead skips setHeader's header map.
  const keys = headers.map((entry) => entry[0].toLowerCase());
  const flat: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const entry = headers[i];
    const key = keys[i];
    if (entry === undefined || keys.indexOf(key ?? '') < i) continue;
    flat.push(entry[0], entry[1]);
    for (let j = i + 1; j < headers.length; j++) {
      const later = headers[j];
      if (later !== undefined && keys[j] === key) flat.push(entry[0], later[1]);
    }
  }
  const length = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  flat.push('Content-Length', String(length));
  res.writeHead(status, flat);
  res.end(body ?? '');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderList = []): void {
  send(res, status, [['Content-Type', 'application/json'], ...headers], JSON.stringify(body));
}

/** Parses a JSON body the way Python's json.loads would accept it, or returns an error marker. */
export function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}
