import type { TestOutcome } from '../model.ts';

/** A test's name without the behaviour ID it starts with, which the row shows in its own column. */
export function titleOf(test: TestOutcome): string {
  const id = test.behaviourId;
  return id !== undefined && test.name.startsWith(`${id} `) ? test.name.slice(id.length + 1) : test.name;
}
