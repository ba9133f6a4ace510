// Differences between two targets that are legitimate, each with the reason shown in the output
// as "explained". docs/fidelity.md lists the same entries; keep the two in step.
import type { Aspect, Difference } from './diff.ts';

export interface Allowance {
  /** Step ids (see lib/fidelity/scenario.ts) the allowance covers; a RegExp for a family. */
  readonly step: string | RegExp;
  readonly aspect: Aspect;
  /** Where in the answer (exact), or any place when omitted. */
  readonly where?: string | RegExp;
  readonly reason: string;
}

const ALLOWED: readonly Allowance[] = [
  {
    step: 'action-of-detach',
    aspect: 'type',
    where: '$.instanceAction.message',
    reason:
      "the message of an action whose event failed: 'Error' in every recording (Nova 26, 31, 34), but on the Nova 34 devcloud of 2026-12-01 null in two fidelity runs of three (the event's result Error all the same): both are real answers",
  },
];

function matches(pattern: string | RegExp, value: string): boolean {
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

/** The reason a difference is legitimate, or undefined when it is not explained. */
export function explain(
  step: string,
  difference: Pick<Difference, 'aspect' | 'where'>,
  allowed: readonly Allowance[] = ALLOWED,
): string | undefined {
  return allowed.find(
    (a) =>
      matches(a.step, step) &&
      a.aspect === difference.aspect &&
      (a.where === undefined || matches(a.where, difference.where)),
  )?.reason;
}
