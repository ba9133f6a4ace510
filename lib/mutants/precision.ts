// Precision of a kill: which behaviours a mutant's run failed, and whether each of them is one the
// mutant declares. A deviation should fail the behaviours that own the deviated thing and nothing
// else; a failure elsewhere is a cascade (a check that only needed the deviated call on its way)
// and makes the suite's verdict imprecise.
import type { MutantEvent } from './reporter.ts';

export interface TestOutcome {
  readonly file: string;
  /** Full name, describe blocks included. */
  readonly name: string;
  /** The behaviour ID the test's own name starts with; undefined for hooks and unnamed work. */
  readonly behaviour?: string;
  readonly message?: string;
}

export interface BlockedOutcome {
  readonly file: string;
  readonly name: string;
  readonly behaviour?: string;
  /** The prerequisite results that blocked it. */
  readonly blockedBy: readonly string[];
}

export interface Classified {
  /** Failed tests that belong to a behaviour: the behaviour's own assertion failed. */
  readonly behaviourFailures: TestOutcome[];
  /**
   * Failures that are no behaviour's: failed prerequisites (once each, whatever they blocked), hooks,
   * module errors, tests whose name has no behaviour ID.
   */
  readonly prerequisiteFailures: TestOutcome[];
  /** Checks skipped because a prerequisite failed: not failures of their behaviour. */
  readonly blocked: BlockedOutcome[];
  /** The behaviours that failed, sorted, each once. */
  readonly failedBehaviours: string[];
}

/** Sorts behaviour IDs by prefix, then by number (LIST-02 before LIST-10). */
export function compareBehaviours(a: string, b: string): number {
  const [pa = '', na = '0'] = a.split(/-(?=\d+$)/);
  const [pb = '', nb = '0'] = b.split(/-(?=\d+$)/);
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}

export function classify(events: readonly MutantEvent[]): Classified {
  const behaviourFailures: TestOutcome[] = [];
  const prerequisiteFailures: TestOutcome[] = [];
  const blocked: BlockedOutcome[] = [];
  for (const e of events) {
    const base = {
      file: e.file ?? '',
      name: e.name ?? '?',
      ...(e.behaviour !== undefined && { behaviour: e.behaviour }),
    };
    if (e.type === 'fail') {
      const outcome: TestOutcome = { ...base, ...(e.message !== undefined && { message: e.message }) };
      // Only a test's own assertion is about its behaviour; a hook's failure is the set-up's.
      if (e.where === 'test' && e.behaviour !== undefined) behaviourFailures.push(outcome);
      else prerequisiteFailures.push(outcome);
    } else if (e.type === 'blocked') {
      blocked.push({ ...base, blockedBy: e.blockedBy ?? [] });
      for (const p of e.prerequisites ?? [])
        if (!prerequisiteFailures.some((f) => f.name === p.name))
          prerequisiteFailures.push({
            file: base.file,
            name: p.name,
            ...(p.message !== undefined && { message: p.message }),
          });
    }
  }
  const failedBehaviours = [
    ...new Set(behaviourFailures.flatMap((f) => (f.behaviour === undefined ? [] : [f.behaviour]))),
  ].sort(compareBehaviours);
  return { behaviourFailures, prerequisiteFailures, blocked, failedBehaviours };
}

/** The failed behaviours the mutant does not declare. */
export function undeclaredOf(declared: readonly string[], failed: readonly string[]): string[] {
  const allowed = new Set(declared);
  return failed.filter((b) => !allowed.has(b));
}

/** The distinct prerequisite results that blocked checks, in order of first appearance. */
export function blockingResults(blocked: readonly BlockedOutcome[]): string[] {
  return [...new Set(blocked.flatMap((b) => b.blockedBy))];
}
