import { syntheticOutcome } from './synthetic.ts';
import { evidenceOf } from './evidence.ts';
import type { Evidence, TestOutcome } from './model.ts';
import { stableName } from './stable-name.ts';

/** The scenario (and JUnit testsuite) that holds every failed prerequisite. */
export const PREREQUISITES = 'prerequisites';

/**
 * A prerequisite as the harness describes it on each test it blocked, in the annotation
 * `prerequisite-failure`: a JSON object { name, step, message, detail }, the same on every
 * blocked test. `evidence` (optional, the shape a ConformanceError carries) lets the console
 * print the failed exchange and a reproduction line for it too.
 */
export interface PrerequisiteFailure {
  readonly name: string;
  readonly step: string;
  readonly message: string;
  readonly detail: string;
  readonly evidence: Evidence | undefined;
}

export function prerequisiteFailureOf(
  json: string,
  scrub: (text: string) => string,
): PrerequisiteFailure | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (key: string): string => (typeof v[key] === 'string' ? scrub(v[key]) : '');
  if (text('name') === '') return undefined;
  return {
    name: stableName(text('name')),
    step: text('step'),
    message: text('message'),
    detail: text('detail'),
    evidence: evidenceOf(v['evidence'], scrub),
  };
}

export function prerequisiteKey(name: string): string {
  return `prerequisite:${name}`;
}

/**
 * One failed result per distinct prerequisite, in the order the run first met them. A blocked
 * test whose prerequisite came without a description still gets its result, saying so.
 */
export function prerequisiteResults(
  tests: readonly TestOutcome[],
  described: ReadonlyMap<string, PrerequisiteFailure>,
): TestOutcome[] {
  const byName = new Map<string, TestOutcome[]>();
  for (const test of tests) {
    if (test.status !== 'blocked' || test.blockedBy === undefined) continue;
    const list = byName.get(test.blockedBy);
    if (list === undefined) byName.set(test.blockedBy, [test]);
    else list.push(test);
  }
  return [...byName.entries()].map(([name, blocked]) => {
    const first = blocked[0] as TestOutcome;
    const about = described.get(name);
    const message =
      about === undefined
        ? 'failed (the harness did not describe how)'
        : [about.step, about.message].filter((part) => part !== '').join(': ');
    const checks = blocked.map((t) => `- ${t.scenario}: ${t.name}`).join('\n');
    return syntheticOutcome({
      kind: 'prerequisite',
      key: prerequisiteKey(name),
      scenario: PREREQUISITES,
      file: first.file,
      name,
      status: 'failed',
      startedAt: first.startedAt,
      failure: {
        message,
        detail: `${about?.detail || message}\n\nBlocked ${blocked.length} ${blocked.length === 1 ? 'check' : 'checks'}:\n${checks}`,
        type: 'PrerequisiteFailure',
        evidence: about?.evidence,
        step: about?.step,
      },
      blockedChecks: blocked.length,
      output: '',
    });
  });
}
