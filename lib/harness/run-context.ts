import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Preflight } from './preflight.ts';
import type { Server } from './servers.ts';

/**
 * NOVA_CONFORMANCE_SUITES: a comma-separated list of scenarios to load instead of all (the mutants
 * runner loads only the suites that should kill a mutant). For the tool's own development; users
 * select checks with `run --include`.
 */
export const SUITES_VARIABLE = 'NOVA_CONFORMANCE_SUITES';

/** The marker every resource of the suite carries in its name, so `cleanup` can find leftovers. */
export const NAME_PREFIX = 'nova-conformance';

export function newRunId(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function resourceName(runId: string, purpose: string): string {
  return `${NAME_PREFIX}-${runId}-${purpose}`;
}

export function journalPath(reportDir: string, runId: string): string {
  return join(reportDir, 'journal', `${runId}.jsonl`);
}

/**
 * What the runner hands the test worker: vitest's provide/inject carries it over the worker's IPC
 * channel, never through the environment (a large catalog would not fit there, and the tokens
 * would be visible to every child process).
 */
export interface RunContext {
  readonly runId: string;
  readonly journal: string;
  /** Variables naming the target for the worker's configuration (the embedded mock's openrc). */
  readonly targetEnv: Readonly<Record<string, string>>;
  readonly facts: Preflight;
  /** Servers the runner asked Nova for while vitest started (lib/harness/early-boots.ts). */
  readonly early?: EarlyServers;
}

/** The pool's first servers, asked for early: how many were asked for, and those Nova accepted. */
export interface EarlyServers {
  readonly asked: number;
  readonly servers: readonly Server[];
}

/** The key of the run context in vitest's ProvidedContext. */
export const RUN_CONTEXT_KEY = 'novaConformanceRun';

declare module 'vitest' {
  export interface ProvidedContext {
    novaConformanceRun: RunContext;
  }
}
