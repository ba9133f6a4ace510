import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Vitest } from 'vitest/node';
import { bootEarly, bootsEarly } from '../harness/early-boots.ts';
import { poolSize } from '../harness/pool.ts';
import { handOver, prepareRun, type PreparedRun } from '../harness/prepare.ts';
import { readVersionDocuments } from '../bundle/version-documents.ts';
import ConsoleReporter from '../report/console.ts';
import ConformanceReporter from '../report/reporter.ts';
import { EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PASSED } from './exit-codes.ts';
import { describeFatal, printFatal } from './fatal.ts';
import type { RunArgs } from './run-args.ts';
import type { SelectionPlan } from './selection.ts';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunOptions {
  readonly selection: SelectionPlan;
  readonly reporter: RunArgs['reporter'];
  readonly color: RunArgs['color'];
}

function describeTarget(run: PreparedRun): string {
  const kind = run.target.kind === 'mock' ? 'the embedded mock cloud' : 'the configured cloud';
  return `Testing ${kind}: compute ${run.facts.computeBase} (microversions ${run.facts.versions.min} to ${run.facts.versions.max}), run ${run.runId}`;
}

type VitestInstance = Vitest;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** 128 + the signal's number, as shells report a process ended by it; 141 for a closed pipe (SIGPIPE). */
const EXIT_BY_CAUSE: Readonly<Record<string, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
  EPIPE: 141,
};

/**
 * How long the runner waits for vitest to stop its worker before draining regardless. Shorter
 * after a signal: a worker killed by the signal itself (Ctrl-C reaches the whole process group)
 * has exitCode null, and vitest 4.1 then waits for an 'exit' event that has already passed.
 */
const CLOSE_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_INTERRUPTED_MS = 2_000;

/** Waits for `promise` (ignoring its failure) but no longer than `ms`. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * vitest's logger installs its own SIGINT/SIGTERM handlers that call process.exit() a
 * millisecond later, which would end the runner before it drains the cleanup journal. The
 * runner owns signals: drop every handler vitest added while it was being created.
 */
function dropForeignSignalHandlers(before: ReadonlyMap<string, readonly unknown[]>): void {
  for (const signal of SIGNALS) {
    const kept = before.get(signal) ?? [];
    for (const listener of process.listeners(signal)) {
      if (!kept.includes(listener)) process.off(signal, listener);
    }
  }
}

/** The test workers vitest forked from this process (found by their entry point). */
function workerPids(): number[] {
  try {
    const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return table.split('\n').flatMap((line) => {
      const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      if (match === null || Number(match[2]) !== process.pid) return [];
      return /vitest[\\/]dist[\\/]workers[\\/]/.test(match[3] ?? '') ? [Number(match[1])] : [];
    });
  } catch {
    return []; // no ps (Windows): close() below still stops the worker, only later
  }
}

/**
 * Stops the suites at once. vitest 4.1's close() lets the running test file finish, which can
 * take the whole wait timeout (a server boot, a detach); so the worker is killed outright.
 * Whatever it was creating is in the journal as 'creating' (written before the request) and is
 * found by name in the drain.
 */
function stopNow(vitest: VitestInstance): void {
  for (const pid of workerPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already (Ctrl-C in a terminal reaches the worker too)
    }
  }
  void vitest.close().catch(() => undefined);
}

/** `nova-conformance run`: prepare the target, run the suites, clean up, report, exit code. */
export async function runConformance(options: RunOptions): Promise<number> {
  // Signals are handled from the very start: an interrupt during preparation must still end
  // with exit code 130, and one during the suites must lead to the drain below, never to an
  // abrupt exit with resources left on the cloud.
  let interrupted = false;
  let cause = 'SIGINT';
  let draining = false;
  let signals = 0;
  let vitest: VitestInstance | undefined;
  const say = (line: string): void => {
    // After a closed stderr there is nobody to tell; the journal still records the cleanup.
    if (!process.stderr.destroyed) process.stderr.write(`${line}\n`);
  };
  const onSignal = (signal: string): void => {
    signals += 1;
    if (draining) {
      if (signals >= 3) {
        say(
          `\nnova-conformance: ${signal} again; abandoning cleanup. Run 'nova-conformance cleanup' to remove what is left.`,
        );
        process.exit(EXIT_BY_CAUSE[cause] ?? EXIT_INTERRUPTED);
      }
      say(
        `\nnova-conformance: ${signal} received; still removing what the run created (send it once more to abandon)...`,
      );
      return;
    }
    if (interrupted) return;
    interrupted = true;
    cause = signal;
    say(`\nnova-conformance: ${signal} received; stopping the suites and removing what the run created...`);
    if (vitest !== undefined) stopNow(vitest);
  };
  // A closed terminal (SIGHUP) or a closed pipe (`run | head`: EPIPE on the next write) ends the
  // run like Ctrl-C: the suites stop and what the run created is removed.
  const onStreamError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    for (const stream of [process.stdout, process.stderr])
      if (stream.destroyed || stream.writableEnded) stream.write = () => true;
    process.stdout.write = () => true;
    onSignal('EPIPE');
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  const releaseSignals = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  const exitInterrupted = (): number => EXIT_BY_CAUSE[cause] ?? EXIT_INTERRUPTED;

  let run: PreparedRun;
  try {
    run = await prepareRun(process.env);
  } catch (error) {
    releaseSignals();
    printFatal(error);
    return interrupted ? exitInterrupted() : EXIT_ENVIRONMENT;
  }
  console.log(describeTarget(run));
  // Nova builds the pool's first servers while vitest and its worker start.
  const early = bootsEarly(run.config, options.selection.namePattern !== undefined, process.env)
    ? bootEarly(run.session, poolSize(run.config))
    : undefined;
  const reportDir = run.config.reportDir;
  mkdirSync(reportDir, { recursive: true });
  const debug = process.env['NOVA_CONFORMANCE_DEBUG'] !== undefined;
  const { selection } = options;
  const terminal = new ConsoleReporter({
    debug,
    style: options.reporter,
    ...(options.color !== undefined && { color: options.color }),
    ...(selection.namePattern !== undefined && { isSelected: selection.isSelected }),
  });
  const conformance = new ConformanceReporter({
    outputDir: reportDir,
    runId: run.runId,
    target: run.target.kind,
    env: run.env,
    facts: {
      computeEndpoint: run.facts.computeBase,
      microversions: { min: run.facts.versions.min, max: run.facts.versions.max },
      versionDocuments: await readVersionDocuments(
        run.http,
        run.facts.computeBase,
        run.facts.versionDocument,
      ),
    },
    writeOn: 'finish',
    debug,
    onReport: (report, paths) => terminal.printReport(report, paths),
  });
  let fatal: string | undefined;
  try {
    if (!interrupted) {
      const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)] as const));
      // Loaded only now: vitest is heavy, and `cleanup` or a run that stops at preflight (exit 2)
      // should not pay for it.
      const { createVitest } = await import('vitest/node');
      // vitest's global setup, in this process, gives the worker the run (provide/inject).
      handOver({ run, early });
      vitest = await createVitest(
        'test',
        {
          ...(selection.namePattern !== undefined && { testNamePattern: selection.namePattern }),
          root: PROJECT_ROOT,
          config: join(PROJECT_ROOT, 'vitest.config.ts'),
          project: ['conformance'],
          // vitest 4.1 ignores `sequence` inside a `projects` entry of the config: only here does it
          // make the checks of a file run at once (bounded by CONFORMANCE_CONCURRENCY's slots).
          sequence: { concurrent: true },
          watch: false,
          reporters: [terminal, conformance],
        },
        {},
        { stdout: process.stdout, stderr: process.stderr },
      );
      dropForeignSignalHandlers(before);
      if (!interrupted) await vitest.start([]);
    }
  } catch (error) {
    // A worker stopped by a signal makes vitest reject; that is the interruption, not a fault.
    if (!interrupted) {
      printFatal(error);
      fatal = describeFatal(error);
    }
  } finally {
    // With its worker killed, vitest's close() can wait on a promise nothing will settle; with no
    // timer left, Node would then exit (code 1) before the drain. Bound it, and keep a timer alive.
    if (vitest !== undefined)
      await bounded(vitest.close(), interrupted ? CLOSE_TIMEOUT_INTERRUPTED_MS : CLOSE_TIMEOUT_MS);
  }

  handOver(undefined);
  // A request still in flight would leave the drain a name to look up later: let it end first.
  await early;
  draining = true;
  const cleanup = await run.finish();
  releaseSignals();
  if (cleanup.removed.length > 0) {
    const kinds = new Map<string, number>();
    for (const item of cleanup.removed) {
      const kind = item.startsWith('port quota') ? 'quota' : (item.split(' ')[0] ?? 'resource');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const counts = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ');
    console.log(`Cleanup: removed what the run left (${counts}).`);
  }
  for (const line of cleanup.failed) console.error(`nova-conformance: cleanup failed: ${line}`);
  if (cleanup.failed.length > 0)
    console.error(
      `nova-conformance: the journal ${run.journal} keeps what is left; 'nova-conformance cleanup' (same configuration) retries`,
    );

  // The reports, the console's failures and its summary, all from one model that holds the cleanup.
  const { report } = conformance.finish({
    cleanup: { removed: cleanup.removed, failed: cleanup.failed },
    interrupted,
    ...(fatal !== undefined && { fatal }),
    ...(selection.namePattern !== undefined && {
      selection: { isSelected: selection.isSelected, description: selection.description },
    }),
  });
  if (interrupted) return exitInterrupted();
  return report.verdict === 'PASSED' ? EXIT_PASSED : EXIT_FAILED;
}
