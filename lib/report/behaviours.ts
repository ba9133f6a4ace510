import { worstOf, type Status, type TestOutcome } from './model.ts';

/** One behaviour (docs/behaviours.md) and the tests that checked it. */
export interface Behaviour {
  readonly id: string;
  readonly status: Status;
  readonly tests: readonly TestOutcome[];
  /** Each test's status as it counts for this behaviour (see statusFor). */
  readonly statuses: readonly Status[];
}

/**
 * A failed assertion names the behaviour it is about (evidence.behaviour). When that is not the
 * test's own behaviour (a LIST test stopped by a wrong Content-Type, which HEADERS-01 owns), the
 * named behaviour fails, and for its own behaviour the test is blocked: it did not get to check it.
 */
function statusFor(test: TestOutcome, behaviour: string): Status {
  const named = test.failure?.evidence?.behaviour;
  if (test.status !== 'failed' || named === undefined || named === test.behaviourId) return test.status;
  return behaviour === named ? 'failed' : 'blocked';
}

/** Tests grouped by behaviour ID in run order; a test without an ID stands for itself. */
export function behavioursOf(results: readonly TestOutcome[]): Behaviour[] {
  const groups = new Map<string, TestOutcome[]>();
  const add = (key: string, test: TestOutcome): void => {
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [test]);
    else if (!group.includes(test)) group.push(test);
  };
  for (const test of results) {
    if (test.kind !== 'test') continue;
    add(test.behaviourId ?? `(no behaviour ID) ${test.name}`, test);
    const named = test.failure?.evidence?.behaviour;
    if (test.status === 'failed' && named !== undefined && named !== test.behaviourId) add(named, test);
  }
  return [...groups.entries()].map(([id, tests]) => {
    const statuses = tests.map((t) => statusFor(t, id));
    return { id, status: worstOf(statuses), tests, statuses };
  });
}

export interface BehaviourTotals {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly blocked: number;
  readonly skipped: number;
  readonly knownUpstreamDefects: number;
  readonly notSelected: number;
}

export function behaviourTotalsOf(behaviours: readonly Behaviour[]): BehaviourTotals {
  const count = (status: Status): number => behaviours.filter((b) => b.status === status).length;
  return {
    total: behaviours.length,
    passed: count('passed'),
    failed: count('failed'),
    blocked: count('blocked'),
    skipped: count('skipped'),
    knownUpstreamDefects: count('known-upstream-defect'),
    notSelected: count('not-selected'),
  };
}
