import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openrcOf } from '../../lib/harness/target.ts';
import { startMock, type MockOptions, type RunningMock } from '../../lib/mock/start.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'nova-conformance.js');

/** A temporary report folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `nova-conformance-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The parent's environment without anything that configures a run: a developer's OS_* or
 * CONFORMANCE_* variables, or the markers the runner hands to its worker, must not leak into the
 * child under test.
 */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(OS_|CONFORMANCE_|NOVA_CONFORMANCE_|VITEST)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** The variables an openrc would set for the mock (as lib/harness/target.ts does). */
export function mockEnv(mock: RunningMock, reportDir: string): Record<string, string> {
  return {
    ...cleanEnv(),
    ...openrcOf(mock),
    CONFORMANCE_POLL_INTERVAL: '0.02',
    CONFORMANCE_WAIT_TIMEOUT: '20',
    CONFORMANCE_REQUEST_TIMEOUT: '5',
    CONFORMANCE_REPORT_DIR: reportDir,
  };
}

export interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** Starts `node bin/nova-conformance.js <args>` in its own process group (for a group SIGKILL). */
export function spawnCli(args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, exited, stdout: () => out, stderr: () => err };
}

/** Polls `check` every 20 ms until it holds; throws with `what` (and the child's output) after `timeoutMs`. */
export async function until(
  check: () => boolean,
  what: string,
  timeoutMs = 90_000,
  child?: Child,
): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out waiting for ${what}${child !== undefined ? `\n${child.stdout()}\n${child.stderr()}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether the mock has seen a request of that method whose path matches. */
export function seen(mock: RunningMock, method: string, path: RegExp): boolean {
  return mock.stats().requests.some((r) => r.method === method && path.test(r.path));
}

export async function withMock<T>(options: MockOptions, body: (mock: RunningMock) => Promise<T>): Promise<T> {
  const mock = await startMock({ port: 0, ...options });
  try {
    return await body(mock);
  } finally {
    await mock.stop();
  }
}

/** Kills a child's whole process group, ignoring one that is gone already. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
