// A raw HTTP client for the mock (keeps repeated header lines, unlike fetch) and login helpers.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  /** [name, value] in wire order, repeated names kept */
  raw: [string, string][];
  header(name: string): string | undefined;
  headerAll(name: string): string[];
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export function call(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            raw.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            raw,
            header: (n) => raw.find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1],
            headerAll: (n) => raw.filter(([k]) => k.toLowerCase() === n.toLowerCase()).map(([, v]) => v),
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function login(
  baseUrl: string,
  user: { username: string; password: string; projectName: string },
): Promise<string> {
  const res = await call(
    baseUrl,
    'POST',
    '/identity/v3/auth/tokens',
    { 'Content-Type': 'application/json' },
    JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user.username, domain: { name: 'Default' }, password: user.password } },
        },
        scope: { project: { name: user.projectName, domain: { name: 'Default' } } },
      },
    }),
  );
  const token = res.header('x-subject-token');
  if (res.status !== 201 || !token) throw new Error(`login failed: ${res.status} ${res.text}`);
  return token;
}

/**
 * Recursive shape: object key sets and JSON value types; arrays element by element but in a canonical
 * order, since Nova lists ports in Neutron's order (by port id), which differs between clouds.
 */
export function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v))
    return v
      .map(shape)
      .sort((a, b) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
      );
  if (typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, shape(x)]),
    );
  return typeof v;
}
