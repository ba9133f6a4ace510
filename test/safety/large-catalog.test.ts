import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { mockEnv, spawnCli, tempDir, withMock } from './helpers.ts';

/**
 * Keystone behind a proxy that adds `extra` endpoints (other services, other regions) to every
 * token's catalog, as a large cloud's catalog has; everything else passes through untouched.
 */
async function paddedKeystone(
  authUrl: string,
  extra: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(authUrl);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            let body = Buffer.concat(parts);
            if (req.method === 'POST' && req.url?.endsWith('/auth/tokens') && answer.statusCode === 201) {
              const token = JSON.parse(body.toString()) as { token: { catalog: unknown[] } };
              for (let i = 0; i < extra; i += 1)
                token.token.catalog.push({
                  id: `padding-${i}`,
                  type: `padding-${i % 50}`,
                  name: `padding-${i}`,
                  endpoints: [
                    {
                      id: `endpoint-${i}`,
                      interface: 'public',
                      region: `Region${i}`,
                      region_id: `Region${i}`,
                      url: `http://127.0.0.1:9/padding/${i}`,
                    },
                  ],
                });
              body = Buffer.from(JSON.stringify(token));
            }
            const headers = { ...answer.headers, 'content-length': String(body.length) };
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test(
  'a catalog of 1,000 endpoints: the run reaches its checks (nothing of the run travels in the environment)',
  { timeout: 120_000 },
  async () => {
    await withMock({ delays: { build: 20 } }, async (mock) => {
      const keystone = await paddedKeystone(mock.authUrl, 1000);
      const dir = tempDir('catalog');
      try {
        const run = spawnCli(['run', '--filter', 'LIST-05'], {
          ...mockEnv(mock, dir.path),
          OS_AUTH_URL: keystone.url,
        });
        const { code } = await run.exited;
        expect(code, run.stdout() + run.stderr()).toBe(0);
        expect(run.stderr()).not.toContain('E2BIG');
        expect(run.stdout()).toContain('Verdict: PASSED');
      } finally {
        await keystone.close();
        dir.remove();
      }
    });
  },
);
