// Mutation testing of the suites: one identity run through the proxy with no mutant (must pass),
// then one run per mutant (must fail, and fail only behaviours the mutant declares). A mutant's run
// covers its own suites or every suite, and stops at its first failure or goes to the end. Each run
// is a child vitest process pointed at a fresh deviation proxy by the same OS_* variables an
// openrc sets.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  blockingResults,
  classify,
  undeclaredOf,
  type BlockedOutcome,
  type TestOutcome,
} from './precision.ts';
import { startProxy } from './proxy.ts';
import type { MutantEvent } from './reporter.ts';
import type { Mutant } from './types.ts';
import { openrcOf } from '../harness/target.ts';
import { RUN_DELAYS } from '../mock/delays.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The target the proxy sits in front of. */
export type TargetSpec =
  | { readonly kind: 'mock' }
  /** A real cloud, described by the OS_* / CONFORMANCE_* variables of an openrc or the environment. */
  | { readonly kind: 'cloud'; readonly env: Readonly<Record<string, string>> };

export interface RunOptions {
  readonly mutants: readonly Mutant[];
  readonly target: TargetSpec;
  /** Child runs at the same time (2 on the CI machines; 1 for a real cloud). */
  readonly lanes: number;
  /** Seconds after which a child run is stopped (it then counts as killed by a timeout). */
  readonly childTimeoutSeconds: number;
  /** Skip the identity run (for quick local iterations on one mutant; never in CI). */
  readonly skipIdentity?: boolean;
  /** Which suites a mutant's run covers: the ones it names (its killing set) or every suite. */
  readonly scope?: 'own' | 'all';
  /**
   * Stop a mutant's run at its first failure (the verdict is known; which behaviours failed is not).
   * Without it the run goes to the end and records every test that notices the mutant.
   */
  readonly bail?: boolean;
  readonly log?: (line: string) => void;
}

interface ChildResult {
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  readonly failed: TestOutcome[];
  /** Every line the child's reporter wrote (failures and blocked checks). */
  readonly events: MutantEvent[];
  readonly passed: number;
  readonly skipped: number;
  readonly blocked: number;
  /** Failures outside any test (global setup, a file that did not load): first lines of stderr. */
  readonly runError: string | undefined;
}

export interface MutantResult {
  readonly name: string;
  readonly description: string;
  readonly suites: readonly string[];
  readonly behaviours: readonly string[];
  readonly verdict: 'killed' | 'survived';
  /** Tests that failed (the killers), or the reason the run failed without a failing test. */
  readonly killedBy: string[];
  /** The failing tests with the first line of their error (why the suite noticed). */
  readonly failures: TestOutcome[];
  /** The behaviours whose own checks failed, sorted. */
  readonly failedBehaviours: string[];
  /** Failed behaviours the mutant does not declare: each one makes `npm run mutants` fail. */
  readonly undeclared: string[];
  /** Failures that are no behaviour's (hooks, prerequisite results): listed apart, not counted. */
  readonly prerequisiteFailures: TestOutcome[];
  /** Checks skipped because a prerequisite failed: not failures of their behaviour. */
  readonly blocked: BlockedOutcome[];
  /** The prerequisite results that blocked them. */
  readonly blockedBy: string[];
  /** Whether the run covered every suite to the end, so that `failedBehaviours` is complete. */
  readonly complete: boolean;
  /** How many exchanges the mutant changed; 0 would make a kill suspicious. */
  readonly fired: number;
  readonly seconds: number;
}

export interface Report {
  readonly startedAt: string;
  readonly seconds: number;
  readonly target: 'mock' | 'cloud';
  readonly identity: (ChildResult & { ok: boolean }) | undefined;
  /** Which suites each mutant's run covered and whether it stopped at the first failure. */
  readonly scope: 'own' | 'all';
  readonly bail: boolean;
  readonly mutants: MutantResult[];
  readonly killed: number;
  readonly survived: number;
  /** Killed mutants that failed a behaviour they do not declare. */
  readonly imprecise: number;
}

/** Mock delays: the run's own (small, but not zero, so that the suites' polling is exercised). */
const MOCK_DELAYS = RUN_DELAYS;

/** Variables of the parent that must not reach a child: the child's target is the proxy, nothing else. */
const OWN_PREFIXES = ['OS_', 'CONFORMANCE_', 'NOVA_CONFORMANCE_'];

interface Upstream {
  readonly authUrl: string;
  /** Variables besides OS_AUTH_URL that describe the target (credentials, second users, settings). */
  readonly env: Record<string, string>;
  readonly caFile: string | undefined;
  readonly insecure: boolean;
  stop(): Promise<void>;
}

async function startUpstream(target: TargetSpec): Promise<Upstream> {
  if (target.kind === 'cloud') {
    const { OS_AUTH_URL: authUrl, OS_CACERT: caFile, OS_INSECURE: insecure, ...rest } = target.env;
    if (authUrl === undefined) throw new Error('the cloud target needs OS_AUTH_URL');
    return {
      authUrl,
      env: rest,
      caFile,
      insecure: insecure === '1' || insecure?.toLowerCase() === 'true',
      stop: async () => {},
    };
  }
  const { startMock } = await import('../mock/start.ts');
  const mock = await startMock({ port: 0, delays: MOCK_DELAYS });
  // The proxy stands where the auth URL was; the rest of the openrc is the mock's own.
  const { OS_AUTH_URL: _direct, ...openrc } = openrcOf(mock);
  return {
    authUrl: mock.authUrl,
    env: {
      ...openrc,
      // The mock is made for this run and thrown away: every check may run, state and quota included.
      CONFORMANCE_PROFILE: 'disruptive',
      CONFORMANCE_POLL_INTERVAL: '0.02',
      // Short, so that a mutant that never finishes a detach fails the wait quickly.
      CONFORMANCE_WAIT_TIMEOUT: '4',
      CONFORMANCE_REQUEST_TIMEOUT: '10',
    },
    caFile: undefined,
    insecure: false,
    stop: () => mock.stop(),
  };
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split('\n').find((l) => l.trim() !== '' && !/^[\s⎯]*(Unhandled Errors?)?[\s⎯]*$/.test(l));
  return line?.trim().slice(0, 300);
}

function readEvents(file: string): MutantEvent[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  // The child appends while the runner polls: the last line may not be complete yet. Only lines
  // that end in a newline are read; the rest is read on the next poll.
  return lines
    .slice(0, -1)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as MutantEvent);
}

interface ChildMode {
  /** Stop vitest at its first failing test. */
  readonly bail: boolean;
  readonly stopAt: 'fail' | 'end' | 'exit';
}

/**
 * Runs vitest on the given suites (scenarios: suites/<name>.test.ts) with the given target variables. With `stopAt` 'fail' the child is stopped
 * at the first failing test (a mutant run: one failure decides, and the mock is thrown away, so its
 * cleanup is wasted time); with 'end' once the tests are done; with 'exit' it runs to its end (a
 * real cloud: its cleanup must run).
 */
async function runChild(
  suites: readonly string[],
  env: Record<string, string>,
  mode: ChildMode,
  timeoutSeconds: number,
): Promise<ChildResult> {
  const { stopAt } = mode;
  const dir = mkdtempSync(join(tmpdir(), 'nova-mutants-'));
  const events = join(dir, 'events.jsonl');
  const started = Date.now();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !OWN_PREFIXES.some((p) => k.startsWith(p))) childEnv[k] = v;
  Object.assign(childEnv, env, {
    CONFORMANCE_REPORT_DIR: join(dir, 'reports'),
    MUTANTS_EVENTS: events,
    // The one conformance module (suites/all.ts) loads only these suite files.
    NOVA_CONFORMANCE_SUITES: suites.join(','),
    NO_COLOR: '1',
  });
  delete childEnv['FORCE_COLOR'];
  const args = [
    join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--project',
    'conformance',
    ...(mode.bail ? ['--bail=1'] : []),
    `--reporter=${join(REPO_ROOT, 'lib', 'mutants', 'reporter.ts')}`,
    // ~80 runs transform the same files: keeping the transforms on disk saves a fifth of the CPU.
    '--experimental.fsModuleCache',
  ];
  let stderr = '';
  let timedOut = false;
  let stopped = false;
  const exitCode = await new Promise<number | null>((done) => {
    // Its own process group, so that stopping it also stops vitest's fork worker.
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const kill = (): void => {
      if (child.pid !== undefined && child.exitCode === null)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
    };
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutSeconds * 1000);
    const watch =
      stopAt === 'exit'
        ? undefined
        : setInterval(() => {
            const seen = readEvents(events);
            if (seen.some((e) => e.type === 'end' || (stopAt === 'fail' && e.type === 'fail'))) {
              stopped = true;
              kill();
            }
          }, 100);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (watch !== undefined) clearInterval(watch);
      done(code);
    });
  });
  const seen = readEvents(events);
  const failed: TestOutcome[] = seen
    .filter((e) => e.type === 'fail')
    .map((e) => ({
      file: e.file ?? '',
      name: e.name ?? '?',
      ...(e.behaviour !== undefined && { behaviour: e.behaviour }),
      ...(e.message !== undefined && { message: e.message }),
    }));
  const end = seen.find((e) => e.type === 'end');
  let runError: string | undefined;
  if (process.env['MUTANTS_DEBUG'] !== undefined) process.stderr.write(stderr);
  const clean = stopped || exitCode === 0;
  if (failed.length === 0 && (!clean || end === undefined))
    runError = timedOut
      ? `timed out after ${timeoutSeconds} s`
      : (firstLine(stderr) ?? `exit code ${exitCode}`);
  rmSync(dir, { recursive: true, force: true });
  return {
    exitCode: stopped && failed.length === 0 ? 0 : exitCode,
    timedOut,
    seconds: (Date.now() - started) / 1000,
    failed,
    events: seen.filter((e) => e.type !== 'end'),
    passed: end?.passed ?? 0,
    skipped: end?.skipped ?? 0,
    blocked: end?.blocked ?? 0,
    runError,
  };
}

/** One child run behind a fresh upstream (for the mock) and a fresh proxy with at most one mutant. */
async function runBehindProxy(
  target: TargetSpec,
  mutant: Mutant | undefined,
  suites: readonly string[],
  timeoutSeconds: number,
  bail: boolean,
): Promise<{ result: ChildResult; fired: number; proxyErrors: string[] }> {
  // A mock is thrown away after the run: stop at the first failure (a bailing mutant run) or once
  // the tests are done. A real cloud's run goes to its end, so that its cleanup removes what it made.
  const mode: ChildMode =
    target.kind === 'cloud'
      ? { bail, stopAt: 'exit' }
      : bail
        ? { bail: true, stopAt: 'fail' }
        : { bail: false, stopAt: 'end' };
  const upstream = await startUpstream(target);
  const proxyErrors: string[] = [];
  try {
    const proxy = await startProxy({
      upstreamAuthUrl: upstream.authUrl,
      mutant,
      caFile: upstream.caFile,
      insecure: upstream.insecure,
      onError: (e) => proxyErrors.push(e instanceof Error ? (e.stack ?? e.message) : String(e)),
    });
    try {
      const result = await runChild(
        suites,
        { ...upstream.env, OS_AUTH_URL: proxy.authUrl },
        mode,
        timeoutSeconds,
      );
      return { result, fired: proxy.counters.fired, proxyErrors };
    } finally {
      await proxy.stop();
    }
  } finally {
    await upstream.stop();
  }
}

function allSuites(): string[] {
  const dir = join(REPO_ROOT, 'suites');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .sort();
}

export async function runMutants(options: RunOptions): Promise<Report> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const present = new Set(allSuites());
  const results = new Map<string, MutantResult>();
  const scope = options.scope ?? 'own';
  const bail = options.bail ?? true;
  const about = (m: Mutant) => ({
    name: m.name,
    description: m.description,
    suites: m.suites,
    behaviours: m.behaviours,
  });
  let identity: (ChildResult & { ok: boolean }) | undefined;

  type Job = { kind: 'identity' } | { kind: 'mutant'; mutant: Mutant };
  const jobs: Job[] = [
    ...(options.skipIdentity === true ? [] : [{ kind: 'identity' } as const]),
    // Slow mutants first: started last, one of them would end the run alone in its lane.
    ...options.mutants
      .filter((m) => m.slow === true)
      .concat(options.mutants.filter((m) => m.slow !== true))
      .map((mutant) => ({ kind: 'mutant', mutant }) as const),
  ];
  // The identity run covers every suite: start it first so it overlaps the mutant runs.
  let next = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      const job = jobs[next++];
      if (job === undefined) return;
      if (job.kind === 'identity') {
        const { result, proxyErrors } = await runBehindProxy(
          options.target,
          undefined,
          [...present],
          options.childTimeoutSeconds * 3,
          false,
        );
        identity = {
          ...result,
          ok: result.exitCode === 0 && result.failed.length === 0 && proxyErrors.length === 0,
        };
        log(
          `identity: ${identity.ok ? 'passed' : 'FAILED'} (${result.passed} passed, ${result.skipped} skipped, ` +
            `${result.failed.length} failed, ${result.seconds.toFixed(1)} s)`,
        );
        for (const f of result.failed) log(`  identity failure: ${f.name}: ${f.message ?? ''}`);
        if (result.runError !== undefined) log(`  identity run error: ${result.runError}`);
        for (const e of proxyErrors.slice(0, 3)) log(`  proxy error: ${e}`);
        continue;
      }
      const { mutant } = job;
      const suites = scope === 'all' ? [...present] : mutant.suites.filter((s) => present.has(s));
      if (suites.length === 0) {
        results.set(mutant.name, {
          ...about(mutant),
          verdict: 'survived',
          killedBy: [`none of its suites exists (${mutant.suites.join(', ')})`],
          failures: [],
          failedBehaviours: [],
          undeclared: [],
          prerequisiteFailures: [],
          blocked: [],
          blockedBy: [],
          complete: false,
          fired: 0,
          seconds: 0,
        });
        log(`${mutant.name}: SURVIVED (no suite)`);
        continue;
      }
      const { result, fired, proxyErrors } = await runBehindProxy(
        options.target,
        mutant,
        suites,
        options.childTimeoutSeconds,
        bail,
      );
      const seen = classify(result.events);
      const killedBy = result.failed.map((f) => f.name);
      // A failed prerequisite fails the run although every check it touched is only blocked.
      const blocking = blockingResults(seen.blocked).filter((b) => !killedBy.includes(b));
      killedBy.push(...blocking);
      if (result.runError !== undefined) killedBy.push(`run failed: ${result.runError}`);
      // A run that fails although the mutant changed nothing is not a kill (e.g. a flaky test), nor
      // is one where the mutant itself threw (the proxy answered 502: a broken mutant, not a deviation).
      const killed = (killedBy.length > 0 || result.exitCode !== 0) && fired > 0 && proxyErrors.length === 0;
      if (fired === 0) killedBy.unshift('the mutant never changed an exchange');
      if (proxyErrors.length > 0)
        killedBy.unshift(`the mutant threw in the proxy: ${firstLine(proxyErrors[0]) ?? ''}`);
      // Precision is a property of a kill: a survivor's failures (if any) are not the mutant's doing.
      const undeclared = killed ? undeclaredOf(mutant.behaviours, seen.failedBehaviours) : [];
      results.set(mutant.name, {
        ...about(mutant),
        suites,
        verdict: killed ? 'killed' : 'survived',
        killedBy,
        failures: result.failed,
        failedBehaviours: seen.failedBehaviours,
        undeclared,
        prerequisiteFailures: seen.prerequisiteFailures,
        blocked: seen.blocked,
        blockedBy: blockingResults(seen.blocked),
        complete: scope === 'all' && !bail && !result.timedOut,
        fired,
        seconds: result.seconds,
      });
      log(
        `${mutant.name}: ${killed ? 'killed' : 'SURVIVED'} in ${result.seconds.toFixed(1)} s` +
          (seen.failedBehaviours.length > 0 ? `, failed ${seen.failedBehaviours.join(' ')}` : '') +
          (seen.blocked.length > 0 ? `, ${seen.blocked.length} blocked` : '') +
          (seen.prerequisiteFailures.length > 0
            ? `, ${seen.prerequisiteFailures.length} prerequisite failure(s)`
            : '') +
          (killed ? '' : ` (${killedBy.join('; ')})`),
      );
      if (undeclared.length > 0)
        log(`  IMPRECISE ${mutant.name}: failed ${undeclared.join(', ')}, not declared`);
      for (const e of proxyErrors.slice(0, 3)) log(`  proxy error: ${e}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.lanes) }, () => lane()));
  const mutants = options.mutants.flatMap((m) => {
    const r = results.get(m.name);
    return r === undefined ? [] : [r];
  });
  const killed = mutants.filter((m) => m.verdict === 'killed').length;
  return {
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    target: options.target.kind,
    identity,
    scope,
    bail,
    mutants,
    killed,
    survived: mutants.length - killed,
    imprecise: mutants.filter((m) => m.undeclared.length > 0).length,
  };
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/**
 * 0 when every mutant was killed, none failed a behaviour it does not declare, and the identity run
 * passed (or was not asked for); 1 otherwise.
 */
export function exitCodeOf(report: Report, options: { identityRequired: boolean }): 0 | 1 {
  const identityOk = report.identity?.ok ?? !options.identityRequired;
  return report.survived === 0 && report.imprecise === 0 && identityOk ? 0 : 1;
}
