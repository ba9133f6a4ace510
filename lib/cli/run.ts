import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { startVitest } from 'vitest/node';
import { prepareRun, type PreparedRun } from '../harness/prepare.ts';
import { EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PASSED } from './exit-codes.ts';
import { printFatal } from './fatal.ts';

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunOptions {
  readonly filters: readonly string[];
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

function testsOf(tasks: readonly RunnerTask[]): RunnerTestCase[] {
  return tasks.flatMap((task) =>
    task.type === 'test' ? [task] : task.type === 'suite' ? testsOf(task.tasks) : [],
  );
}

export function totalsOf(files: readonly RunnerTask[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  for (const test of testsOf(files)) {
    const state = test.result?.state;
    if (state === 'pass') totals.passed += 1;
    else if (state === 'fail') totals.failed += 1;
    else totals.skipped += 1;
  }
  return totals;
}

function describeTarget(run: PreparedRun): string {
  const kind = run.target.kind === 'mock' ? 'the embedded mock cloud' : 'the configured cloud';
  return `Testing ${kind}: compute ${run.facts.computeBase} (microversions ${run.facts.versions.min} to ${run.facts.versions.max}), run ${run.runId}`;
}

/** `nova-conformance run`: prepare the target, run the suites, clean up, report, exit code. */
export async function runConformance(options: RunOptions): Promise<number> {
  let run: PreparedRun;
  try {
    run = await prepareRun(process.env);
  } catch (error) {
    printFatal(error);
    return EXIT_ENVIRONMENT;
  }
  console.log(describeTarget(run));
  const reportDir = run.config.reportDir;
  mkdirSync(reportDir, { recursive: true });
  const junitPath = join(reportDir, 'junit.xml');

  let interrupted = false;
  let vitest: Awaited<ReturnType<typeof startVitest>> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    console.error(
      `\nnova-conformance: ${signal} received; stopping the suites and removing what the run created...`,
    );
    void vitest?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  let errors = 0;
  try {
    vitest = await startVitest(
      'test',
      [],
      {
        ...(options.filters.length > 0 && { testNamePattern: options.filters.join('|') }),
        root: PROJECT_ROOT,
        config: join(PROJECT_ROOT, 'vitest.config.ts'),
        project: ['conformance'],
        watch: false,
        reporters: [
          'default',
          [join(PROJECT_ROOT, 'lib/report/reporter.ts'), { outputDir: reportDir, target: run.target.kind }],
        ],
      },
      {},
      { stdout: process.stdout, stderr: process.stderr },
    );
    totals = totalsOf(vitest.state.getFiles());
    errors = vitest.state.getUnhandledErrors().length;
    await vitest.close();
  } catch (error) {
    printFatal(error);
    errors += 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const cleanup = await run.finish();
  if (cleanup.removed.length > 0)
    console.log(
      `Removed what the run created (${cleanup.removed.length}): ${cleanup.removed.join(', ')}`,
    );
  for (const line of cleanup.failed) console.error(`nova-conformance: cleanup failed: ${line}`);

  const verdict = interrupted
    ? 'INTERRUPTED'
    : totals.failed > 0 || errors > 0
      ? 'FAILED'
      : totals.passed === 0
        ? 'NOTHING RAN'
        : 'PASSED';
  const reportPaths = [junitPath, join(reportDir, 'summary.json'), join(reportDir, 'summary.html')];
  console.log(`\nReports: ${reportPaths.map((p) => relative(process.cwd(), p) || p).join(', ')}`);
  console.log(`Verdict: ${verdict}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  if (interrupted) return EXIT_INTERRUPTED;
  if (totals.passed === 0 && totals.failed === 0) return EXIT_FAILED;
  return totals.failed > 0 || errors > 0 || cleanup.failed.length > 0 ? EXIT_FAILED : EXIT_PASSED;
}
