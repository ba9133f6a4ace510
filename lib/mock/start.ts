import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp, type MockStats } from './app.ts';
import type { MockOptions, MockUser } from './types.ts';

export type { MockDelays, MockOptions, MockUser, Release } from './types.ts';

export interface RunningMock {
  url: string;
  authUrl: string;
  users: { member: MockUser; alt: MockUser; reader: MockUser; admin: MockUser };
  applicationCredential: { id: string; secret: string };
  stats(): MockStats;
  stop(): Promise<void>;
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const app = createMockApp(options);
  const server = createServer(app.handler);
  // Clients keep connections alive; stop() must not wait for them.
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    authUrl: `${url}/identity/v3`,
    users: app.users,
    applicationCredential: app.applicationCredential,
    stats: app.stats,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        app.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
