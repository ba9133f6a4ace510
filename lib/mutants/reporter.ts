// A vitest reporter for the mutant runs: appends one JSON line per failed test, per blocked test
// (and one at the end of the run) to the file named by MUTANTS_EVENTS. The runner watches that
// file, so it learns of the first failure at once and can stop a bailing run there instead of
// waiting for the remaining tests and the cleanup of a mock that is thrown away anyway; and it
// reads the same lines to tell which behaviours a mutant failed.
import { appendFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { BLOCKED_BY, PREREQUISITE_FAILURE } from '../harness/prerequisite.ts';
import { behaviourIdOf } from '../report/api-sections.ts';
import { placeOf } from '../report/collect.ts';

/** The suite file a check or describe block was written in (all of them load in one module). */
function fileOf(task: TestCase | TestSuite): string {
  return placeOf(task, task.project.config.root).file;
}

/** A failed prerequisite as a blocked check's annotation describes it. */
export interface Prerequisite {
  readonly name: string;
  readonly step?: string;
  readonly message?: string;
}

/**
 * `fail`: a test, hook or module failed. `where` tells which: only a failed `test` whose name starts
 * with a behaviour ID is a failure of that behaviour; the others are prerequisite failures (set-up
 * outside any check). `blocked`: a test skipped with a `blocked-by` annotation.
 */
export interface MutantEvent {
  readonly type: 'fail' | 'blocked' | 'end';
  readonly where?: 'test' | 'hook' | 'module';
  readonly file?: string;
  /** The full name (describe blocks included). */
  readonly name?: string;
  /** The behaviour ID the test's own name starts with. */
  readonly behaviour?: string;
  readonly message?: string;
  /** For `blocked`: the prerequisite results named by its `blocked-by` annotations. */
  readonly blockedBy?: readonly string[];
  /** For `blocked`: what failed in those prerequisites, when the harness said. */
  readonly prerequisites?: readonly Prerequisite[];
  readonly passed?: number;
  readonly skipped?: number;
  readonly failed?: number;
  readonly blocked?: number;
}

function emit(event: MutantEvent): void {
  const file = process.env['MUTANTS_EVENTS'];
  if (file !== undefined) appendFileSync(file, `${JSON.stringify(event)}\n`);
}

function firstLine(message: string | undefined): string | undefined {
  return message
    ?.split('\n')
    .find((l) => l.trim() !== '')
    ?.trim()
    .slice(0, 300);
}

function prerequisiteOf(text: string): Prerequisite[] {
  try {
    const parsed = JSON.parse(text) as Partial<Record<keyof Prerequisite, unknown>>;
    if (typeof parsed.name !== 'string') return [];
    return [
      {
        name: parsed.name,
        ...(typeof parsed.step === 'string' && { step: parsed.step }),
        ...(typeof parsed.message === 'string' && { message: firstLine(parsed.message) ?? '' }),
      },
    ];
  } catch {
    return [];
  }
}

export default class MutantReporter implements Reporter {
  private passed = 0;
  private skipped = 0;
  private failed = 0;
  private blocked = 0;

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    const behaviour = behaviourIdOf(testCase.name);
    const common = {
      file: fileOf(testCase),
      name: testCase.fullName,
      ...(behaviour !== undefined && { behaviour }),
    };
    if (result.state === 'passed') this.passed++;
    else if (result.state === 'failed') {
      this.failed++;
      const message = firstLine(result.errors?.[0]?.message);
      emit({ type: 'fail', where: 'test', ...common, ...(message !== undefined && { message }) });
    } else {
      const annotations = testCase.annotations();
      const blockedBy = annotations.filter((a) => a.type === BLOCKED_BY).map((a) => a.message);
      if (blockedBy.length === 0) {
        this.skipped++;
        return;
      }
      this.blocked++;
      const prerequisites = annotations
        .filter((a) => a.type === PREREQUISITE_FAILURE)
        .flatMap((a) => prerequisiteOf(a.message));
      emit({
        type: 'blocked',
        ...common,
        blockedBy,
        ...(prerequisites.length > 0 && { prerequisites }),
      });
    }
  }

  /** A failing beforeAll/afterAll fails the suite without failing a test: report it too. */
  onTestSuiteResult(testSuite: TestSuite): void {
    const errors = testSuite.errors();
    if (errors.length === 0) return;
    this.failed++;
    const message = firstLine(errors[0]?.message);
    emit({
      type: 'fail',
      where: 'hook',
      file: fileOf(testSuite),
      name: `${testSuite.fullName} (hook)`,
      ...(message !== undefined && { message }),
    });
  }

  onTestModuleEnd(testModule: TestModule): void {
    const errors = testModule.errors();
    if (errors.length === 0) return;
    this.failed++;
    const message = firstLine(errors[0]?.message);
    emit({
      type: 'fail',
      where: 'module',
      file: testModule.relativeModuleId,
      name: `${testModule.relativeModuleId} (outside any test)`,
      ...(message !== undefined && { message }),
    });
  }

  onTestRunEnd(): void {
    emit({
      type: 'end',
      passed: this.passed,
      skipped: this.skipped,
      failed: this.failed,
      blocked: this.blocked,
    });
  }
}
