import { basename, join, relative } from 'node:path';
import type { TestCase } from 'vitest/node';
import type { CheckRef } from './select.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** One test of the conformance suites, as collected (not run). */
export interface SuiteCheck extends CheckRef {
  /** The test's own name, starting with its behaviour ID. */
  readonly name: string;
  readonly file: string;
}

/** `LIST-01 list without ...` → `LIST-01`; as lib/report/api-sections.ts reads it. */
function behaviourIdOfName(name: string): string | undefined {
  return /^([A-Z][A-Z0-9]*-\d+)\b/.exec(name)?.[1];
}

/** The describe blocks and the test's name, joined by spaces: what vitest's name pattern is matched with. */
function spacedFullName(test: TestCase): string {
  const names = [test.name];
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) names.unshift(parent.name);
  return names.join(' ');
}

/**
 * The suites' checks with their names, collected by vitest (the files are imported, no test runs)
 * without the conformance project's global setup: no target is prepared, no cloud contacted.
 */
export async function collectSuiteChecks(root = PROJECT_ROOT): Promise<SuiteCheck[]> {
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root,
      include: ['suites/**/*.test.ts'],
      watch: false,
      reporters: [],
      pool: 'forks',
      maxWorkers: 1,
      isolate: false,
    },
    {},
    {},
  );
  try {
    const { testModules, unhandledErrors } = await vitest.collect();
    const broken = testModules.filter((m) => m.errors().length > 0);
    const unhandled = unhandledErrors[0] as { message?: unknown } | undefined;
    const first =
      broken[0]?.errors()[0]?.message ??
      (typeof unhandled?.message === 'string' ? unhandled.message : undefined);
    if (first !== undefined)
      throw new Error(`the suites could not be collected: ${first.split('\n')[0] ?? first}`);
    return testModules.flatMap((module) =>
      [...module.children.allTests()].map((test) => ({
        name: test.name,
        fullName: spacedFullName(test),
        file: relative(root, module.moduleId),
        scenario: basename(module.moduleId).replace(/\.test\.ts$/, ''),
        behaviourId: behaviourIdOfName(test.name),
      })),
    );
  } finally {
    await vitest.close();
  }
}

/**
 * vitest's name pattern for exactly these checks: each full name to the end, preceded by the start
 * or a space (vitest may put the file's name in front).
 */
export function exactNamePattern(checks: readonly Pick<CheckRef, 'fullName'>[]): string {
  // An empty alternation would match every name.
  if (checks.length === 0) return '(?!)';
  const escaped = checks.map((c) => c.fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(?:^|\\s)(?:${escaped.join('|')})$`;
}
