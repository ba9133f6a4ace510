// A vitest reporter for the mutant runs: appends one JSON line per failed test (and one at the
// end of the run) to the file named by MUTANTS_EVENTS. The runner watches that file, so it learns
// of the first failure at once and can stop the run there instead of waiting for the remaining
// tests and the cleanup of a mock that is thrown away anyway.
import { appendFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

export interface MutantEvent {
  readonly type: 'fail' | 'end';
  readonly file?: string;
  readonly name?: string;
  readonly message?: string;
  readonly passed?: number;
  readonly skipped?: number;
  readonly failed?: number;
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

export default class MutantReporter implements Reporter {
  private passed = 0;
  private skipped = 0;
  private failed = 0;

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state === 'passed') this.passed++;
    else if (result.state === 'failed') {
      this.failed++;
      const message = firstLine(result.errors?.[0]?.message);
      emit({
        type: 'fail',
        file: testCase.module.relativeModuleId,
        name: testCase.fullName,
        ...(message !== undefined && { message }),
      });
    } else this.skipped++;
  }

  /** A failing beforeAll/afterAll fails the suite without failing a test: report it too. */
  onTestSuiteResult(testSuite: TestSuite): void {
    const errors = testSuite.errors();
    if (errors.length === 0) return;
    this.failed++;
    const message = firstLine(errors[0]?.message);
    emit({
      type: 'fail',
      file: testSuite.module.relativeModuleId,
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
      file: testModule.relativeModuleId,
      name: `${testModule.relativeModuleId} (outside any test)`,
      ...(message !== undefined && { message }),
    });
  }

  onTestRunEnd(): void {
    emit({ type: 'end', passed: this.passed, skipped: this.skipped, failed: this.failed });
  }
}
