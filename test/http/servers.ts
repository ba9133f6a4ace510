import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Hostile {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server, scheme: 'http' | 'https'): Promise<Hostile> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Hostile servers hold connections open on purpose: cut them, or close() waits for ever.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback HTTP server answering every request with `handler`. */
export function hostile(handler: Handler): Promise<Hostile> {
  return listen(createServer(handler), 'http');
}

/** A self-signed certificate for 127.0.0.1, made with openssl at test time. */
export function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A loopback HTTPS server whose certificate no CA vouches for. */
export function hostileTls(handler: Handler): Promise<Hostile> {
  return listen(createTlsServer(selfSigned(), handler), 'https');
}

// ---- behaviours -------------------------------------------------------------------------------

/** Accepts the request and never answers. */
export const silent: Handler = () => undefined;

/** Sends headers, then one byte every 100 ms for ever. */
export const trickle: Handler = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
};

/** Closes the connection without a word. */
export const hangUp: Handler = (req) => req.socket.destroy();

export function answer(status: number, contentType: string, body: string): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': contentType });
    res.end(body);
  };
}

export const html = answer(
  200,
  'text/html',
  '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>',
);
export const plainText = answer(200, 'text/plain', 'OK');
export const invalidJson = answer(200, 'application/json', '{"version": {"version": "2.93",');

/** Announces 1000 bytes, sends a few, and closes. */
export const truncated: Handler = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
  res.write('{"version": {');
  setTimeout(() => req.socket.destroy(), 20);
};

const MB = 1024 * 1024;

/** Streams 100 MB (chunked, no length announced), produced lazily so the server stays small too. */
export const huge: Handler = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < 100 * MB) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => (sent = 100 * MB));
  pump();
};

/** Announces 100 MB in Content-Length (and would send it). */
export const hugeDeclared: Handler = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(100 * MB) });
  res.write(Buffer.alloc(1024, 0x20));
};

/** Redirects every request to itself. */
export const redirectLoop: Handler = (req, res) => {
  res.writeHead(302, { Location: req.url ?? '/' });
  res.end();
};

/**
 * Like Nova under Debian's uwsgi: one request per connection, a 204 without `Connection: close`,
 * and the connection closed some time after the answer (on a busy machine, milliseconds later).
 * A request that arrives on it after its first is never answered: the connection is closed under it.
 */
export async function uwsgiLike(lagMs: number): Promise<Hostile & { seen: () => string[] }> {
  const seen: string[] = [];
  const served = new WeakSet<object>();
  const server = await hostile((req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (served.has(socket)) {
      socket.destroy();
      return;
    }
    served.add(socket);
    seen.push(req.method ?? '');
    if (req.method === 'DELETE') res.writeHead(204).end();
    // A body's end is the connection's end there: only the 204 leaves a connection looking open.
    else res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' }).end('{}');
    res.on('finish', () => setTimeout(() => socket.destroy(), lagMs));
  });
  return { ...server, seen: () => seen };
}
