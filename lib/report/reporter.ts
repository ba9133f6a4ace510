import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SerializedError, TestModule, TestRunEndReason, Vitest, Reporter } from 'vitest/node';
import type { UserConsoleLog } from 'vitest';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { moduleErrorsOf, outcomeOf, failureOf } from './collect.ts';
import { publicConfiguration } from './configuration.ts';
import { runIdOf, targetFacts, toolFacts } from './facts.ts';
import { junitXml } from './junit-xml.ts';
import { totalsOf, verdictOf, type RunError, type RunReport, type TestOutcome } from './model.ts';
import { makeFileScrub, makeScrub } from './scrub.ts';
import { sha256, summaryJson } from './summary-json.ts';
import { summaryHtml } from './summary-html.ts';

/** The tool is this project, wherever the tests it runs live. */
const TOOL_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const REPORT_FILES = ['junit.xml', 'summary.json', 'summary.html'] as const;

export interface ConformanceReporterOptions {
  /** Where the three files go; defaults to the configuration's report directory (CONFORMANCE_REPORT_DIR). */
  readonly outputDir?: string;
  /** The environment the runner prepared (tests pass their own). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * What the runner tested. The configuration cannot tell: once the embedded mock runs, the
   * runner describes it with OS_* variables like any cloud.
   */
  readonly target?: 'mock' | 'cloud';
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
 * Writes reports/junit.xml, summary.json and summary.html at the end of a run. Used by
 * `nova-conformance run` in place of vitest's JUnit reporter, whose output drops skip reasons,
 * annotations and test meta. Runs in the runner's process, where the preflight registered the
 * configuration's secrets and the tokens it obtained with the redactor.
 */
export default class ConformanceReporter implements Reporter {
  private readonly env: NodeJS.ProcessEnv;
  private readonly explicitDir: string | undefined;
  private readonly targetKind: 'mock' | 'cloud' | undefined;
  private root = process.cwd();
  private startedAt = new Date();
  private readonly output = new Map<string, string[]>();
  /** Paths of the files written by the last run, for the runner's last lines. */
  written: string[] = [];

  constructor(options: ConformanceReporterOptions = {}) {
    this.env = options.env ?? process.env;
    this.explicitDir = options.outputDir;
    this.targetKind = options.target;
  }

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunStart(): void {
    this.startedAt = new Date();
    this.output.clear();
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
    const config = loadQuietly(this.env);
    const scrub = makeScrub(config?.secrets ?? []);
    const scrubFile = makeFileScrub(config?.secrets ?? []);
    const tests: TestOutcome[] = [];
    const errors: RunError[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests())
        tests.push(outcomeOf(test, this.root, (this.output.get(test.id) ?? []).join(''), scrub));
      errors.push(...moduleErrorsOf(module, this.root, scrub));
    }
    for (const error of unhandledErrors)
      errors.push({ scenario: '(run)', file: '', ...pickFailure(failureOf([error], scrub)) });
    const totals = totalsOf(tests, errors);
    const report: RunReport = {
      runId: runIdOf(this.env),
      startedAt: this.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      endReason: reason,
      verdict: verdictOf(totals, reason === 'interrupted'),
      totals,
      tests,
      errors,
      target: targetFacts(this.env, config, this.targetKind),
      tool: toolFacts(TOOL_ROOT),
      configuration: config === undefined ? {} : publicConfiguration(config),
    };
    const dir = resolve(this.root, this.explicitDir ?? config?.reportDir ?? 'reports');
    mkdirSync(dir, { recursive: true });
    // Everything goes through the scrubber once more as a whole: a secret split across fields
    // by formatting would otherwise slip past the per-field pass.
    const junit = scrubFile(junitXml(report), true);
    const files: [string, string][] = [
      ['junit.xml', junit],
      ['summary.json', scrubFile(summaryJson(report, { file: 'junit.xml', text: junit }), false)],
      ['summary.html', scrubFile(summaryHtml(report, sha256(junit)), true)],
    ];
    this.written = files.map(([name, text]) => {
      const path = join(dir, name);
      writeFileSync(path, text, 'utf8');
      return path;
    });
  }
}

function pickFailure(failure: { message: string; detail: string }): { message: string; detail: string } {
  return { message: failure.message, detail: failure.detail };
}
