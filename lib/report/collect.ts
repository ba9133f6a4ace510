import { basename, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCase, TestModule, TestSuite } from 'vitest/node';
import type { SerializedError } from 'vitest';
import { apiSectionOf, behaviourIdOf } from './api-sections.ts';
import { evidenceOf } from './evidence.ts';
import type { Failure, RunError, Status, TestOutcome } from './model.ts';
import { prerequisiteFailureOf, type PrerequisiteFailure } from './prerequisites.ts';
import { stableName } from './stable-name.ts';

/** Annotation types of lib/harness/outcomes.ts; repeated here so the reporter loads no harness code. */
const SKIP_REASON = 'skip-reason';
const KNOWN_DEFECT = 'known-upstream-defect';
const MICROVERSION = 'microversion';
const BLOCKED_BY = 'blocked-by';
const PREREQUISITE_FAILURE = 'prerequisite-failure';
const OWN_TYPES = new Set([SKIP_REASON, KNOWN_DEFECT, MICROVERSION, BLOCKED_BY, PREREQUISITE_FAILURE]);

export type Scrub = (text: string) => string;

type TestError = SerializedError & { expected?: string; actual?: string };

/** `suites/list.test.ts` → `list`: one scenario per suite file. */
function scenarioOf(moduleId: string): string {
  return basename(moduleId).replace(/\.(test|spec|fixture)\.[cm]?[jt]s$/, '');
}

/** Where a check or describe block was written: its scenario and suite file (relative to `root`). */
export interface Place {
  readonly scenario: string;
  readonly file: string;
}

/**
 * The run loads every suite file into one module (suites/all.ts), and each file's describe blocks
 * carry its scenario and file in their meta (lib/harness/scenario.ts). A module run on its own
 * (a report fixture) carries none: its module is the scenario.
 */
export function placeOf(task: TestCase | TestSuite, root: string): Place {
  for (let node: TestCase | TestSuite | TestModule = task; node.type !== 'module'; node = node.parent) {
    const meta = node.meta() as { scenario?: unknown; suiteFile?: unknown };
    if (typeof meta.scenario === 'string' && typeof meta.suiteFile === 'string')
      return { scenario: meta.scenario, file: meta.suiteFile };
  }
  return { scenario: scenarioOf(task.module.moduleId), file: relative(root, task.module.moduleId) };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The tool's lib/ directory (the harness, the clients), wherever the project is checked out. */
const TOOL_LIB = `${dirname(dirname(fileURLToPath(import.meta.url)))}${sep}`;

/**
 * The suite's own frames say where a check is; frames of the harness and its libraries (the
 * tool's lib/, node_modules, Node's internals) only say how assertions work, and are kept for
 * `debug` alone.
 */
function ownFrames(stack: string | undefined, debug: boolean): string {
  if (stack === undefined) return '';
  const foreign = (line: string): boolean =>
    line.includes(TOOL_LIB) || /[\\/]node_modules[\\/]|node:internal/.test(line);
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !line.includes('<anonymous>'))
    .filter((line) => debug || !foreign(line))
    .slice(0, debug ? 20 : 5)
    .join('\n');
}

function describeError(error: TestError, debug: boolean): string {
  const parts = [error.message];
  if (error.expected !== undefined || error.actual !== undefined)
    parts.push(`expected: ${error.expected ?? '(none)'}\nactual:   ${error.actual ?? '(none)'}`);
  const frames = ownFrames(error.stack, debug);
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

function failureOf(errors: ReadonlyArray<TestError>, scrub: Scrub, debug = false): Failure {
  const first = errors[0];
  return {
    message: scrub(headline(first?.message ?? 'failed without an error message')),
    detail: scrub(errors.map((e) => describeError(e, debug)).join('\n\n')),
    type: first?.name ?? 'Error',
    evidence: evidenceOf(first?.['evidence'], scrub),
    step: undefined,
  };
}

/** The outcome a test ended in, as every report counts it. */
export function statusOf(test: TestCase): Status {
  const result = test.result();
  const has = (type: string): boolean => test.annotations().some((a) => a.type === type);
  if (result.state === 'failed') return 'failed';
  if (result.state === 'passed') return has(KNOWN_DEFECT) ? 'known-upstream-defect' : 'passed';
  return result.state === 'skipped' && has(BLOCKED_BY) ? 'blocked' : 'skipped';
}

export interface CollectedTest {
  readonly outcome: TestOutcome;
  /** The description of the prerequisite that blocked it, when it came with one. */
  readonly prerequisite: PrerequisiteFailure | undefined;
}

export function collectTest(
  test: TestCase,
  root: string,
  output: string,
  scrub: Scrub,
  debug = false,
): CollectedTest {
  const result = test.result();
  const annotations = test.annotations();
  const notes = (type: string): string[] =>
    annotations.filter((a) => a.type === type).map((a) => scrub(a.message));
  const knownDefects = notes(KNOWN_DEFECT);
  const meta = test.meta() as Record<string, unknown>;
  const diagnostic = test.diagnostic();
  const status = statusOf(test);

  let reason: string | undefined;
  let blockedBy: string | undefined;
  let prerequisite: PrerequisiteFailure | undefined;
  if (status === 'known-upstream-defect') reason = knownDefects.join('; ');
  else if (status === 'blocked') {
    blockedBy = stableName(notes(BLOCKED_BY)[0] ?? '');
    prerequisite = notes(PREREQUISITE_FAILURE)
      .map((json) => prerequisiteFailureOf(json, scrub))
      .find((p) => p?.name === blockedBy);
    reason = `blocked by ${blockedBy}`;
  } else if (status === 'skipped') {
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
  const log = meta['exchangeLog'];
  const failedAt = meta['failedExchangeIndex'];
  const { scenario, file } = placeOf(test, root);
  const outcome: TestOutcome = {
    kind: 'test',
    key: `test:${scenario}:${test.fullName}`,
    scenario,
    file,
    behaviourId,
    name: scrub(test.name),
    fullName: scrub(test.fullName),
    status,
    durationMs: diagnostic?.duration ?? 0,
    startedAt: diagnostic !== undefined ? new Date(diagnostic.startTime).toISOString() : undefined,
    reason,
    failure: result.state === 'failed' ? failureOf(result.errors, scrub, debug) : undefined,
    blockedBy,
    blockedChecks: undefined,
    apiSection: apiSectionOf(behaviourId),
    microversions: [...new Set([...notes(MICROVERSION), ...stringArray(meta['microversions'])])],
    requestIds: stringArray(meta['requestIds']),
    exchanges: typeof exchanges === 'number' ? exchanges : undefined,
    exchangeLog: typeof log === 'string' && log !== '' ? scrub(log) : undefined,
    failedExchangeIndex:
      typeof failedAt === 'number' && Number.isInteger(failedAt) && failedAt >= 0 ? failedAt : undefined,
    knownDefects,
    notes: annotations.filter((a) => !OWN_TYPES.has(a.type)).map((a) => scrub(`${a.type}: ${a.message}`)),
    output: scrub(output),
  };
  return { outcome, prerequisite };
}

/** Errors that belong to no test: a suite file that failed to load, a failing beforeAll/afterAll. */
export function moduleErrorsOf(module: TestModule, root: string, scrub: Scrub, debug = false): RunError[] {
  const errors: RunError[] = [];
  const add = (place: Place, where: string, error: TestError): void => {
    const failure = failureOf([error], scrub, debug);
    errors.push({
      name: stableName(`(outside any test) ${place.scenario}: ${where}`),
      scenario: place.scenario,
      file: place.file,
      message: failure.message,
      detail: failure.detail,
    });
  };
  const own = { scenario: scenarioOf(module.moduleId), file: relative(root, module.moduleId) };
  for (const error of module.errors()) add(own, 'loading or hooks of the file', error);
  for (const suite of module.children.allSuites())
    for (const error of suite.errors())
      add(placeOf(suite, root), `hooks of '${scrub(suite.fullName)}'`, error);
  return errors;
}

/** Errors vitest could not place at all (an unhandled rejection, a worker that died). */
export function unhandledErrorsOf(
  errors: ReadonlyArray<SerializedError>,
  scrub: Scrub,
  debug = false,
): RunError[] {
  return errors.map((error) => {
    const failure = failureOf([error], scrub, debug);
    return {
      name: '(outside any test) unhandled error',
      scenario: '(run)',
      file: '',
      message: failure.message,
      detail: failure.detail,
    };
  });
}

/** Several errors of one place get one stable name each: `name`, `name #2`, ... */
export function numbered(errors: readonly RunError[]): RunError[] {
  const seen = new Map<string, number>();
  return errors.map((error) => {
    const n = (seen.get(error.name) ?? 0) + 1;
    seen.set(error.name, n);
    return n === 1 ? error : { ...error, name: `${error.name} #${n}` };
  });
}
