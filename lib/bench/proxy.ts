// Part 2: a transparent recording proxy in front of a cloud, to time the cloud's own answers.
// One loopback listener per upstream origin; the Keystone catalog (and every other body or
// Location header naming an upstream origin) is rewritten to the matching listener, so the run
// talks only to the proxy and sees the cloud otherwise unchanged.
import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { closesAfterAnswer } from '../openstack/http.ts';
import { DetachDelay } from './detach-delay.ts';

interface ProxiedRequest {
  readonly method: string;
  readonly upstreamUrl: string;
  readonly status: number;
  /** From the request's first byte sent upstream to the last byte of the answer received. */
  readonly start: number;
  readonly end: number;
}

export interface RecordingProxy {
  /** The auth URL to give the run instead of the cloud's. */
  readonly authUrl: string;
  readonly records: readonly ProxiedRequest[];
  /** With a detach delay: how many detaches it delayed and how many answers it rewrote. */
  readonly delay: DetachDelay | undefined;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** Makes every detach take effect this long after its 202 (lib/bench/detach-delay.ts). */
  readonly detachDelayMs?: number;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'proxy-connection',
  'upgrade',
]);

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** Every endpoint origin named in a Keystone token or catalog body. */
function catalogOrigins(body: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'url' && typeof inner === 'string') {
          try {
            found.push(new URL(inner).origin);
          } catch {
            // Not a URL: nothing to proxy.
          }
        } else visit(inner);
      }
    }
  };
  visit(body);
  return found;
}

export async function startRecordingProxy(
  upstreamAuthUrl: string,
  options: ProxyOptions = {},
): Promise<RecordingProxy> {
  const records: ProxiedRequest[] = [];
  const delay =
    options.detachDelayMs !== undefined && options.detachDelayMs > 0
      ? new DetachDelay(options.detachDelayMs)
      : undefined;
  const listeners = new Map<string, { server: Server; origin: string }>();
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true });

  const rewrite = (text: string): string => {
    let out = text;
    for (const [upstream, { origin }] of listeners) out = out.split(upstream).join(origin);
    return out;
  };

  const listen = async (upstream: string): Promise<string> => {
    const existing = listeners.get(upstream);
    if (existing !== undefined) return existing.origin;
    const target = new URL(upstream);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const agent = target.protocol === 'https:' ? httpsAgent : httpAgent;
    const server = createServer((req, res) => {
      void (async () => {
        const body = await readAll(req);
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (value === undefined || HOP_BY_HOP.has(name)) continue;
          headers[name] = name === 'host' ? target.host : value;
        }
        if (body.length > 0 || req.method === 'POST' || req.method === 'PUT')
          headers['content-length'] = String(body.length);
        // As the harness's client does: kept alive, the next request upstream could go out on a
        // connection the server is closing, and come back as this proxy's 502.
        if (closesAfterAnswer(req.method ?? 'GET')) headers['connection'] = 'close';
        const start = performance.now();
        const upstreamUrl = `${upstream}${req.url ?? '/'}`;
        const answer = await new Promise<IncomingMessage>((resolve, reject) => {
          const out = send(upstreamUrl, { method: req.method ?? 'GET', headers, agent }, resolve);
          out.once('error', reject);
          out.end(body);
        });
        let payload = await readAll(answer);
        const end = performance.now();
        records.push({
          method: req.method ?? 'GET',
          upstreamUrl,
          status: answer.statusCode ?? 0,
          start,
          end,
        });
        let status = answer.statusCode ?? 502;
        const type = String(answer.headers['content-type'] ?? '');
        if (delay !== undefined) {
          let json: unknown;
          try {
            json =
              payload.length > 0 && type.includes('json') ? JSON.parse(payload.toString('utf8')) : undefined;
          } catch {
            json = undefined;
          }
          const shown = delay.answer(req.method ?? 'GET', req.url ?? '/', status, answer.headers, json);
          if (shown !== undefined) {
            status = shown.status;
            payload = Buffer.from(JSON.stringify(shown.json), 'utf8');
          }
        }
        if (/json|text/.test(type) && payload.length > 0) {
          let text = payload.toString('utf8');
          if (type.includes('json')) {
            try {
              for (const origin of catalogOrigins(JSON.parse(text))) await listen(origin);
            } catch {
              // Not JSON after all: rewrite what is known.
            }
          }
          text = rewrite(text);
          payload = Buffer.from(text, 'utf8');
        }
        const raw: string[] = [];
        for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
          const name = answer.rawHeaders[i] as string;
          const value = answer.rawHeaders[i + 1] as string;
          if (HOP_BY_HOP.has(name.toLowerCase())) continue;
          raw.push(name, name.toLowerCase() === 'location' ? rewrite(value) : value);
        }
        if (req.method !== 'HEAD' && status !== 204 && status !== 304)
          raw.push('Content-Length', String(payload.length));
        res.writeHead(status, status === answer.statusCode ? answer.statusMessage : undefined, raw);
        res.end(req.method === 'HEAD' ? undefined : payload);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bench proxy: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    listeners.set(upstream, { server, origin });
    return origin;
  };

  const auth = new URL(upstreamAuthUrl);
  const authOrigin = await listen(auth.origin);
  return {
    authUrl: `${authOrigin}${upstreamAuthUrl.slice(auth.origin.length)}`,
    records,
    delay,
    async stop() {
      await Promise.all(
        [...listeners.values()].map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
