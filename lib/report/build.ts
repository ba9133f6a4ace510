import { syntheticOutcome } from './synthetic.ts';
import {
  totalsOf,
  verdictOf,
  type CleanupSection,
  type RunError,
  type RunReport,
  type ProductFacts,
  type TargetFacts,
  type TestOutcome,
  type ToolFacts,
} from './model.ts';
import { prerequisiteResults, type PrerequisiteFailure } from './prerequisites.ts';

/** What the reporter collected when the suites ended: the tests, and errors outside them. */
export interface Collected {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly endReason: 'passed' | 'failed' | 'interrupted';
  readonly tests: readonly TestOutcome[];
  readonly prerequisites: ReadonlyMap<string, PrerequisiteFailure>;
  readonly errors: readonly RunError[];
}

/** What the run is, as the runner knows it (nothing of it is read from the environment). */
export interface RunFacts {
  readonly runId: string | undefined;
  readonly target: TargetFacts;
  readonly tool: ToolFacts;
  readonly product?: ProductFacts;
  readonly configuration: Readonly<Record<string, unknown>>;
}

/** What only the runner knows, after the suites: its cleanup, and whether it was interrupted. */
export interface FinishInput {
  readonly cleanup?: CleanupSection;
  readonly interrupted?: boolean;
  /** An error that stopped the suites from the runner's side (vitest failed to start, say). */
  readonly fatal?: string;
  /** The run's selection, when it left checks out (`run --include/--exclude/--filter`). */
  readonly selection?: RunSelection;
}

/** What the reports need of the selection: which checks it kept, and how the user said it. */
interface RunSelection {
  readonly isSelected: (check: {
    readonly behaviourId: string | undefined;
    readonly scenario: string;
    readonly fullName: string;
  }) => boolean;
  /** In command-line words, e.g. `--include DETACH-* --exclude-file f`. */
  readonly description: string;
}

/**
 * A test vitest skipped because the selection left it out becomes `not-selected`. Only a skip is
 * turned: a check that ran is reported as it ended, whatever the selection says. The model's
 * fullName joins describe blocks with ' > ', the selection's with spaces (as vitest matches).
 */
function withSelection(tests: readonly TestOutcome[], selection: RunSelection | undefined): TestOutcome[] {
  if (selection === undefined) return [...tests];
  return tests.map((test) => {
    if (test.kind !== 'test' || test.status !== 'skipped') return test;
    const ref = {
      behaviourId: test.behaviourId,
      scenario: test.scenario,
      fullName: test.fullName.split(' > ').join(' '),
    };
    if (selection.isSelected(ref)) return test;
    return { ...test, status: 'not-selected', reason: `not selected (${selection.description})` };
  });
}

/** The error outside any test that a runner's fatal error becomes. */
export const FATAL_NAME = '(outside any test) the runner';

/** The synthetic result of the cleanup: one stable name, failed when anything is left. */
export const CLEANUP_NAME = 'cleanup: remove what the run created';
export const CLEANUP_SCENARIO = 'cleanup';

function cleanupResult(cleanup: CleanupSection, at: string): TestOutcome {
  const failed = cleanup.failed.length > 0;
  const left = cleanup.failed.length;
  return syntheticOutcome({
    kind: 'cleanup',
    key: `cleanup:${CLEANUP_NAME}`,
    scenario: CLEANUP_SCENARIO,
    file: '',
    name: CLEANUP_NAME,
    status: failed ? 'failed' : 'passed',
    startedAt: at,
    failure: failed
      ? {
          message: `${left} ${left === 1 ? 'resource' : 'resources'} of the run could not be removed: ${cleanup.failed[0] ?? ''}`,
          detail: cleanup.failed.join('\n'),
          type: 'CleanupFailure',
          evidence: undefined,
          step: undefined,
        }
      : undefined,
    blockedChecks: undefined,
    output:
      cleanup.removed.length === 0
        ? 'Nothing was left to remove.\n'
        : `Removed:\n${cleanup.removed.map((item) => `- ${item}`).join('\n')}\n`,
  });
}

/** The one result model of a run: every writer prints from this and nothing else. */
export function buildReport(collected: Collected, facts: RunFacts, finish: FinishInput = {}): RunReport {
  const tests: TestOutcome[] = [
    ...withSelection(collected.tests, finish.selection),
    ...prerequisiteResults(collected.tests, collected.prerequisites),
    ...(finish.cleanup !== undefined ? [cleanupResult(finish.cleanup, collected.endedAt)] : []),
  ];
  const errors: RunError[] = [
    ...collected.errors,
    ...(finish.fatal !== undefined
      ? [{ name: FATAL_NAME, scenario: '(run)', file: '', message: finish.fatal, detail: finish.fatal }]
      : []),
  ];
  const totals = totalsOf(tests, errors);
  const interrupted = finish.interrupted === true || collected.endReason === 'interrupted';
  const checked = tests.some(
    (t) => t.kind === 'test' && (t.status === 'passed' || t.status === 'known-upstream-defect'),
  );
  const verdict = verdictOf(totals, interrupted, checked);
  return {
    runId: facts.runId,
    startedAt: collected.startedAt,
    endedAt: collected.endedAt,
    endReason: interrupted ? 'interrupted' : verdict === 'FAILED' ? 'failed' : collected.endReason,
    verdict,
    totals,
    tests,
    errors,
    cleanup: finish.cleanup,
    target: facts.target,
    tool: facts.tool,
    product: facts.product,
    configuration: facts.configuration,
  };
}
