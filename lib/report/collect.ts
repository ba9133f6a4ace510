import { basename, relative } from 'node:path';
import type { TestCase, TestModule } from 'vitest/node';
import type { SerializedError } from 'vitest';
import { apiSectionOf, behaviourIdOf } from './api-sections.ts';
import type { Failure, RunError, Status, TestOutcome } from './model.ts';

/** Annotation types of lib/harness/outcomes.ts; repeated here so the reporter loads no harness code. */
const SKIP_REASON = 'skip-reason';
const KNOWN_DEFECT = 'known-upstream-defect';
const MICROVERSION = 'microversion';
const OWN_TYPES = new Set([SKIP_REASON, KNOWN_DEFECT, MICROVERSION]);

export type Scrub = (text: string) => string;

/** `suites/list.test.ts` → `list`: one scenario per suite file. */
export function scenarioOf(moduleId: string): string {
  return basename(moduleId).replace(/\.(test|spec|fixture)\.[cm]?[jt]s$/, '');
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Stack frames inside node_modules say nothing to a certification engineer; the test's own frames do. */
function ownFrames(stack: string | undefined): string {
  if (stack === undefined) return '';
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !line.includes('node_modules'))
    .slice(0, 5)
    .join('\n');
}

function describeError(error: SerializedError & { expected?: string; actual?: string }): string {
  const parts = [error.message];
  if (error.expected !== undefined || error.actual !== undefined)
    parts.push(`expected: ${error.expected ?? '(none)'}\nactual:   ${error.actual ?? '(none)'}`);
  const frames = ownFrames(error.stack);
  if (frames !== '') parts.push(frames);
  return parts.join('\n');
}

/**
 * The harness's ConformanceError reads "Expected status 200.\nGET /path answered 404: {...}":
 * its first two lines are what was expected and what came, which is what a reader needs first.
 */
function headline(message: string): string {
  const lines = message.split('\n').filter((l) => l.trim() !== '');
  const text = lines.slice(0, 2).join(' | ');
  return text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

export function failureOf(
  errors: ReadonlyArray<SerializedError & { expected?: string; actual?: string }>,
  scrub: Scrub,
): Failure {
  const first = errors[0];
  return {
    message: scrub(headline(first?.message ?? 'failed without an error message')),
    detail: scrub(errors.map(describeError).join('\n\n')),
    type: first?.name ?? 'Error',
  };
}

export function outcomeOf(test: TestCase, root: string, output: string, scrub: Scrub): TestOutcome {
  const result = test.result();
  const annotations = test.annotations();
  const notes = (type: string): string[] =>
    annotations.filter((a) => a.type === type).map((a) => scrub(a.message));
  const knownDefects = notes(KNOWN_DEFECT);
  const meta = test.meta() as Record<string, unknown>;
  const diagnostic = test.diagnostic();

  let status: Status;
  let reason: string | undefined;
  if (result.state === 'failed') status = 'failed';
  else if (result.state === 'passed') {
    status = knownDefects.length > 0 ? 'known-upstream-defect' : 'passed';
    reason = knownDefects.length > 0 ? knownDefects.join('; ') : undefined;
  } else {
    status = 'skipped';
    const note = result.state === 'skipped' ? result.note : undefined;
    reason =
      notes(SKIP_REASON)[0] ??
      (note !== undefined ? scrub(note) : undefined) ??
      (result.state === 'pending'
        ? 'did not run: the run ended first'
        : test.options.mode === 'todo'
          ? 'not written yet (todo)'
          : 'skipped by the suite or by a name filter');
  }

  const behaviourId = behaviourIdOf(test.name);
  const exchanges = meta['exchanges'];
  return {
    scenario: scenarioOf(test.module.moduleId),
    file: relative(root, test.module.moduleId),
    behaviourId,
    name: scrub(test.name),
    fullName: scrub(test.fullName),
    status,
    durationMs: diagnostic?.duration ?? 0,
    startedAt: diagnostic !== undefined ? new Date(diagnostic.startTime).toISOString() : undefined,
    reason,
    failure: result.state === 'failed' ? failureOf(result.errors, scrub) : undefined,
    apiSection: apiSectionOf(behaviourId),
    microversions: [...new Set([...notes(MICROVERSION), ...stringArray(meta['microversions'])])],
    requestIds: stringArray(meta['requestIds']),
    exchanges: typeof exchanges === 'number' ? exchanges : undefined,
    knownDefects,
    notes: annotations.filter((a) => !OWN_TYPES.has(a.type)).map((a) => scrub(`${a.type}: ${a.message}`)),
    output: scrub(output),
  };
}

/** Errors that belong to no test: a suite file that failed to load, a failing beforeAll/afterAll. */
export function moduleErrorsOf(module: TestModule, root: string, scrub: Scrub): RunError[] {
  const scenario = scenarioOf(module.moduleId);
  const file = relative(root, module.moduleId);
  const errors: RunError[] = [];
  for (const error of module.errors()) errors.push({ scenario, file, ...pick(failureOf([error], scrub)) });
  for (const suite of module.children.allSuites())
    for (const error of suite.errors())
      errors.push({ scenario, file, ...pick(failureOf([error], scrub), `${suite.fullName}: `) });
  return errors;
}

function pick(failure: Failure, prefix = ''): { message: string; detail: string } {
  return { message: `${prefix}${failure.message}`, detail: failure.detail };
}
