import { mkdirSync, writeFileSync } from 'node:fs';
import { bundleFiles } from '../bundle/assemble.ts';
import { recordedExchangesOf, type CheckExchanges } from '../bundle/har.ts';
import { pruneRuns } from '../bundle/prune.ts';
import { pointLatest, writeRunDir } from '../bundle/run-dir.ts';
import { bundleSettings, type BundleSettings } from '../bundle/settings.ts';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SerializedError, TestModule, TestRunEndReason, Vitest, Reporter } from 'vitest/node';
import type { UserConsoleLog } from 'vitest';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { buildReport, type Collected, type FinishInput, type RunFacts } from './build.ts';
import { collectTest, moduleErrorsOf, numbered, unhandledErrorsOf } from './collect.ts';
import { publicConfiguration } from './configuration.ts';
import { targetFacts, toolFacts, type RunTargetFacts } from './facts.ts';
import { junitXml } from './junit-xml.ts';
import type { RunError, RunReport, TestOutcome } from './model.ts';
import type { PrerequisiteFailure } from './prerequisites.ts';
import { makeFileScrub, makeScrub } from './scrub.ts';
import { sha256, summaryJson } from './summary-json.ts';
import { summaryHtml } from './summary-html.ts';

/** The tool is this project, wherever the tests it runs live. */
const TOOL_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ConformanceReporterOptions {
  /** The report directory; defaults to the configuration's (CONFORMANCE_REPORT_DIR). */
  readonly outputDir?: string;
  /**
   * true (the default with a run id): the run's bundle goes to `<outputDir>/<run id>/`, `latest`
   * points at it and old runs are pruned (CONFORMANCE_KEEP_RUNS). false: the three reports go
   * straight into outputDir, as the project's report tests read them.
   */
  readonly runDirectory?: boolean;
  /** The environment the configuration is loaded from, for its secrets and its public part. */
  readonly env?: NodeJS.ProcessEnv;
  readonly runId?: string;
  /**
   * What the runner tested. The configuration cannot tell: once the embedded mock runs, the
   * runner describes it with OS_* variables like any cloud.
   */
  readonly target?: 'mock' | 'cloud';
  readonly facts?: RunTargetFacts;
  /**
   * `finish`: the runner calls finish() after its cleanup, and the files are written then, with
   * the cleanup in them. `run-end` (the default, e.g. `vitest run`): written when the suites end.
   */
  readonly writeOn?: 'run-end' | 'finish';
  /** Keep the harness's stack frames in the reports (they are left out otherwise). */
  readonly debug?: boolean;
  /** Called with the finished model and the files written, e.g. to print the console summary. */
  readonly onReport?: (report: RunReport, paths: readonly string[]) => void;
}

export interface Finished {
  readonly report: RunReport;
  readonly paths: readonly string[];
}

function loadQuietly(env: NodeJS.ProcessEnv): Config | undefined {
  try {
    return loadConfig(env);
  } catch {
    // Outside a conformance run (fixture runs) there may be no valid configuration: facts stay unknown.
    return undefined;
  }
}

/**
 * Builds the run's one result model (build.ts) when the suites end and writes junit.xml,
 * summary.json and summary.html from it: at once, or when the runner calls finish() with what
 * only it knows (the cleanup, an interruption). Runs in the runner's process, where the
 * preflight registered the configuration's secrets and the tokens it obtained with the redactor.
 */
export default class ConformanceReporter implements Reporter {
  private readonly options: ConformanceReporterOptions;
  private readonly env: NodeJS.ProcessEnv;
  private vitest: Vitest | undefined;
  private root = process.cwd();
  private startedAt = new Date();
  private readonly output = new Map<string, string[]>();
  private collected: Collected | undefined;
  private checks: CheckExchanges[] = [];
  private finished: Finished | undefined;
  private readonly settings: BundleSettings;

  constructor(options: ConformanceReporterOptions = {}) {
    this.options = options;
    this.env = options.env ?? process.env;
    // Read now: a bad product file must stop the run before its first check, not after its last.
    this.settings = bundleSettings(this.env);
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.root = vitest.config.root;
  }

  onTestRunStart(): void {
    this.startedAt = new Date();
    this.output.clear();
    this.collected = undefined;
    this.finished = undefined;
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    if (log.taskId === undefined) return;
    const lines = this.output.get(log.taskId);
    if (lines === undefined) this.output.set(log.taskId, [log.content]);
    else lines.push(log.content);
  }

  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    this.collected = this.collect(modules, unhandledErrors, reason);
    if (this.options.writeOn !== 'finish') this.finished = this.write({});
  }

  /**
   * For the runner, after its cleanup: writes the reports with the cleanup in them and returns
   * the model. When vitest never reported the suites' end (stopped by a signal, or failed to
   * start), what it has of them is collected here, and the report says why: interrupted, or an
   * error outside any test (`fatal`, or one saying the end never came).
   */
  finish(input: FinishInput = {}): Finished {
    let finishing = input;
    if (this.collected === undefined) {
      const modules = this.vitest?.state.getTestModules() ?? [];
      const interrupted = input.interrupted === true;
      this.collected = this.collect(modules, [], interrupted ? 'interrupted' : 'failed');
      if (!interrupted && input.fatal === undefined)
        finishing = { ...input, fatal: 'the suites ended without vitest reporting their end' };
    }
    const config = this.config();
    const scrub = makeScrub(config?.secrets ?? []);
    if (finishing.fatal !== undefined) finishing = { ...finishing, fatal: scrub(finishing.fatal) };
    if (finishing.cleanup !== undefined) {
      const { removed, failed } = finishing.cleanup;
      finishing = { ...finishing, cleanup: { removed: removed.map(scrub), failed: failed.map(scrub) } };
    }
    this.finished = this.write(finishing);
    return this.finished;
  }

  /** The last model written, if any (the console reporter and tests read it). */
  get last(): Finished | undefined {
    return this.finished;
  }

  private config(): Config | undefined {
    return loadQuietly(this.env);
  }

  private collect(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Collected {
    const config = this.config();
    const scrub = makeScrub(config?.secrets ?? []);
    const debug = this.options.debug === true;
    const tests: TestOutcome[] = [];
    const prerequisites = new Map<string, PrerequisiteFailure>();
    const errors: RunError[] = [];
    const checks: CheckExchanges[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const output = (this.output.get(test.id) ?? []).join('');
        const { outcome, prerequisite } = collectTest(test, this.root, output, scrub, debug);
        tests.push(outcome);
        checks.push({
          key: outcome.key,
          title: `${outcome.scenario} › ${outcome.name}`,
          startedAt: outcome.startedAt,
          exchanges: recordedExchangesOf((test.meta() as Record<string, unknown>)['recorded'], scrub),
        });
        if (prerequisite !== undefined && !prerequisites.has(prerequisite.name))
          prerequisites.set(prerequisite.name, prerequisite);
      }
      errors.push(...moduleErrorsOf(module, this.root, scrub, debug));
    }
    errors.push(...unhandledErrorsOf(unhandledErrors, scrub, debug));
    this.checks = checks;
    return {
      startedAt: this.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      endReason: reason,
      tests,
      prerequisites,
      errors: numbered(errors),
    };
  }

  private facts(config: Config | undefined): RunFacts {
    return {
      runId: this.options.runId,
      target: targetFacts(this.options.facts ?? {}, config, this.options.target),
      tool: toolFacts(TOOL_ROOT),
      ...(this.settings.product !== undefined && { product: this.settings.product }),
      configuration: config === undefined ? {} : publicConfiguration(config),
    };
  }

  private write(input: FinishInput): Finished {
    const config = this.config();
    const collected = this.collected as Collected;
    const report = buildReport(collected, this.facts(config), input);
    const scrubFile = makeFileScrub(config?.secrets ?? []);
    const dir = resolve(this.root, this.options.outputDir ?? config?.reportDir ?? 'reports');
    mkdirSync(dir, { recursive: true });
    // Everything goes through the scrubber once more as a whole: a secret split across fields
    // by formatting would otherwise slip past the per-field pass.
    const junit = scrubFile(junitXml(report), true);
    const files: [string, string][] = [
      ['junit.xml', junit],
      ['summary.json', scrubFile(summaryJson(report, { file: 'junit.xml', text: junit }), false)],
      ['summary.html', scrubFile(summaryHtml(report, sha256(junit)), true)],
    ];
    const runId = this.options.runId;
    const paths =
      runId !== undefined && this.options.runDirectory !== false
        ? this.writeBundle(dir, runId, report, files, (text) => scrubFile(text, false))
        : files.map(([name, text]) => {
            const path = join(dir, name);
            writeFileSync(path, text, 'utf8');
            return path;
          });
    this.options.onReport?.(report, paths);
    return { report, paths };
  }

  /** The run directory: the reports, exchanges.har and manifest.json; then `latest` and pruning. */
  private writeBundle(
    dir: string,
    runId: string,
    report: RunReport,
    reports: readonly [string, string][],
    scrub: (text: string) => string,
  ): string[] {
    const files = bundleFiles({
      report,
      reports,
      checks: this.checks,
      versionDocuments: this.options.facts?.versionDocuments ?? {},
      toolRoot: TOOL_ROOT,
      scrub,
    });
    const paths = writeRunDir(dir, runId, files);
    pointLatest(dir, runId);
    pruneRuns(dir, this.settings.keepRuns, runId);
    return paths;
  }
}
