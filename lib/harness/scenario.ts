import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe as vitestDescribe } from 'vitest';
import { SUITES_VARIABLE as ONLY } from './run-context.ts';

// All suite files run as one vitest module (suites/all.ts), so that their checks share one pool
// of slots and servers and none waits for another file to end. The reports still speak of one
// scenario per suite file: each suite's describe blocks carry the scenario and file they came from.

declare module 'vitest' {
  interface TaskMeta {
    /** The scenario (suite file's base name) a describe block was written in. */
    scenario?: string;
    /** That suite file, relative to the project root. */
    suiteFile?: string;
  }
}

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUITES = join(PROJECT_ROOT, 'suites');
const SUITE_FILE = /\.test\.ts$/;

export interface SuiteFile {
  readonly scenario: string;
  /** Relative to the project root. */
  readonly file: string;
  readonly url: string;
}

/** The suite files the run loads, in name order. */
export function suiteFiles(env: NodeJS.ProcessEnv = process.env): SuiteFile[] {
  const only = env[ONLY]?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const all = readdirSync(SUITES)
    .filter((f) => SUITE_FILE.test(f))
    .sort()
    .map((f) => {
      const path = join(SUITES, f);
      return {
        scenario: f.replace(SUITE_FILE, ''),
        file: relative(PROJECT_ROOT, path),
        url: pathToFileURL(path).href,
      };
    });
  if (only === undefined) return all;
  const unknown = only.filter((s) => !all.some((f) => f.scenario === s));
  if (unknown.length > 0) throw new Error(`${ONLY} names no suite file: ${unknown.join(', ')}`);
  return all.filter((f) => only.includes(f.scenario));
}

let loading: SuiteFile | undefined;

/** Imports one suite file; the describe blocks it declares meanwhile belong to its scenario. */
export async function loadSuite(suite: SuiteFile): Promise<void> {
  loading = suite;
  try {
    await import(suite.url);
  } finally {
    loading = undefined;
  }
}

/**
 * The suites' `describe`: vitest's, with the scenario of the file being loaded. A suite file run
 * on its own (a test of the tool) has none, and the reports fall back to its module.
 */
export function describe(name: string, factory: () => void): void {
  const meta = loading === undefined ? {} : { scenario: loading.scenario, suiteFile: loading.file };
  vitestDescribe(name, { meta }, factory);
}

interface TaskLike {
  readonly suite?:
    { readonly meta: { readonly suiteFile?: string }; readonly suite?: TaskLike['suite'] } | undefined;
  readonly file: { readonly name: string };
}

/** The suite file a running check was written in. */
export function suiteFileOf(task: TaskLike): string {
  for (let suite = task.suite; suite !== undefined; suite = suite.suite)
    if (suite.meta.suiteFile !== undefined) return suite.meta.suiteFile;
  return task.file.name;
}
