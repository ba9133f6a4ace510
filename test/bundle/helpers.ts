import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Of } from '../../lib/bundle/digest.ts';
import { MANIFEST_FILE, manifestText, type Manifest } from '../../lib/bundle/manifest.ts';
import { createMockApp, type MockApp } from '../../lib/mock/app.ts';
import { openrcOf } from '../../lib/harness/target.ts';
import { runCli, type Ran } from '../cli/helpers.ts';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Cli = Ran;

export function cli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = PROJECT_ROOT): Promise<Cli> {
  return runCli(args, env, 300_000, cwd);
}

/** A real run of `nova-conformance run` against a mock this process started (so it knows its secrets). */
export interface MockRun {
  readonly app: MockApp;
  readonly reportDir: string;
  readonly run: Cli;
  /** Only what a user would set, for further commands of the same user. */
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function runAgainstMock(extra: NodeJS.ProcessEnv = {}): Promise<MockRun> {
  const app = createMockApp({ delays: { build: 50, detach: 30, portActive: 30, taskState: 200 } });
  const server: Server = createServer(app.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scratch = mkdtempSync(join(tmpdir(), 'nova-conformance-bundle-'));
  const reportDir = join(scratch, 'reports');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NO_COLOR: '1',
    NOVA_CONFORMANCE_LOCK_DIR: join(scratch, 'locks'),
    ...openrcOf({ authUrl: `http://127.0.0.1:${port}/identity/v3`, users: app.users }),
    CONFORMANCE_POLL_INTERVAL: '0.02',
    CONFORMANCE_WAIT_TIMEOUT: '20',
    CONFORMANCE_REPORT_DIR: reportDir,
    ...extra,
  };
  const run = await cli(['run'], env);
  return {
    app,
    reportDir,
    run,
    env,
    async close() {
      app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A copy of a run directory to change. */
export function copyOf(dir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'nova-conformance-tampered-')), 'run');
  cpSync(dir, copy, { recursive: true, dereference: true });
  return copy;
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * What a forger would do after changing a file: recompute its digest in the manifest and the
 * manifest's own, so that only the consistency checks can tell.
 */
export function reseal(dir: string): void {
  const path = join(dir, MANIFEST_FILE);
  const { digest: _digest, ...fields } = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const name of Object.keys(fields.files)) {
    const bytes = readFileSync(join(dir, name));
    files[name] = { sha256: sha256Of(bytes), bytes: bytes.length };
  }
  writeFileSync(path, manifestText({ ...fields, files }));
}

/** Changes the byte at `at` to `to`. */
export function changeByte(path: string, at: number, to: string): void {
  const bytes = readFileSync(path);
  bytes[at] = to.charCodeAt(0);
  writeFileSync(path, bytes);
}
