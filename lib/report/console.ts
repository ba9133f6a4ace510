import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { behaviourTotalsOf, behavioursOf } from './behaviours.ts';
import { placeOf, statusOf } from './collect.ts';
import { curlOf } from './curl.ts';
import type { Evidence, RunError, RunReport, Status, TestOutcome } from './model.ts';
import { printable } from './printable.ts';
import { outcomeTotals, plural } from './totals-lines.ts';

/**
 * The run on a terminal, in place of vitest's default reporter: a line per scenario as it ends,
 * then each failure in a few lines (what was expected, the one exchange that failed, a curl line
 * to reproduce it), each failed prerequisite once with the number of checks it blocked, and the
 * summary, all from the run's one result model. The full exchanges stay in the report files.
 *
 * Every line passes through printable(): the target's answers reach the terminal as text, never
 * as escape sequences.
 */
/** Where the console reporter writes: process.stdout, or anything with a write(). */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ConsoleReporterOptions {
  readonly stream?: TextSink;
  /** Stack frames of the harness too; left out otherwise. */
  readonly debug?: boolean;
  /** Colour on or off; by default as colourWanted() decides. */
  readonly color?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Report paths are printed relative to this directory. */
  readonly cwd?: string;
  /** `default`: a line per scenario as it ends; `dot`: a character per check (for CI logs). */
  readonly style?: 'default' | 'dot';
  /** The run's selection: a skipped check it left out is counted as not selected. */
  readonly isSelected?: (check: {
    readonly behaviourId: string | undefined;
    readonly scenario: string;
    readonly fullName: string;
  }) => boolean;
}

/**
 * Colour only for a person at a terminal: never when NO_COLOR or CI is set (a CI log keeps escape
 * codes as text), unless FORCE_COLOR (not `0`/`false`) asks for it; an explicit `--no-color`
 * (color: false) wins over everything.
 */
export function colourWanted(isTTY: boolean | undefined, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  const set = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (set('NO_COLOR') || set('CI')) return false;
  return isTTY === true;
}

/** One character per check in the dot reporter, by the model's status. */
const DOT: Readonly<Record<Status, string>> = {
  passed: '.',
  failed: 'F',
  blocked: 'B',
  skipped: 's',
  'known-upstream-defect': 'K',
  'not-selected': '',
};

/** Dots on one line before a line break. */
const DOTS_PER_LINE = 80;

/** Longest text of one line taken from the target (a body, a message). */
const LINE_WIDTH = 160;
/** Lines of an expectation or a message kept per failure. */
const TEXT_LINES = 3;

type Paint = 'red' | 'green' | 'magenta' | 'yellow' | 'dim' | 'bold';
const ANSI: Readonly<Record<Paint, [string, string]>> = {
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  magenta: ['\u001b[35m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

/** One line of the target's text: whitespace folded, clipped. */
function clip(text: string, width = LINE_WIDTH): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > width ? `${one.slice(0, width)}...` : one;
}

function lines(text: string, max = TEXT_LINES): string[] {
  const all = text.split('\n').filter((l) => l.trim() !== '');
  const kept = all.slice(0, max).map((l) => clip(l));
  if (all.length > max) kept.push(`... (${all.length - max} more lines in junit.xml)`);
  return kept;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/** The lines shared by a failed check and a failed prerequisite. */
function evidenceLines(evidence: Evidence): string[] {
  const { exchange } = evidence;
  const body = exchange.body === '' ? '(empty body)' : clip(exchange.body);
  const [first = '', ...rest] = lines(evidence.expected);
  return [
    `  expected: ${first}`,
    ...rest.map((l) => `            ${l}`),
    `  got:      ${exchange.method} ${pathOf(exchange.url)} -> ${exchange.status} ${body}`,
    `  repro:    ${curlOf(exchange)}`,
  ];
}

function frames(detail: string): string[] {
  return detail
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 10)
    .map((l) => `    ${l.trim()}`);
}

export default class ConsoleReporter implements Reporter {
  private readonly stream: TextSink;
  private readonly debug: boolean;
  private readonly color: boolean;
  private readonly cwd: string;
  private readonly style: 'default' | 'dot';
  private readonly isSelected: ConsoleReporterOptions['isSelected'];
  private dots = 0;
  /** The checks of each scenario not ended yet, and the scenarios already printed. */
  private readonly pending = new Map<string, Set<string>>();
  private readonly printed = new Set<string>();

  constructor(options: ConsoleReporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.debug = options.debug === true;
    const env = options.env ?? process.env;
    this.color = options.color ?? colourWanted(this.stream.isTTY, env);
    this.cwd = options.cwd ?? process.cwd();
    this.style = options.style ?? 'default';
    this.isSelected = options.isSelected;
  }

  /** The model's status of a test as it ends, not selected apart from skipped. */
  private statusOfCase(test: TestCase): Status {
    const status = statusOf(test);
    if (status !== 'skipped' || this.isSelected === undefined) return status;
    const names = [test.name];
    for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent)
      names.unshift(parent.name);
    const ref = {
      behaviourId: /^([A-Z][A-Z0-9]*-\d+)\b/.exec(test.name)?.[1],
      scenario: this.scenarioOf(test),
      fullName: names.join(' '),
    };
    return this.isSelected(ref) ? status : 'not-selected';
  }

  private scenarioOf(task: TestCase | TestSuite): string {
    return placeOf(task, this.cwd).scenario;
  }

  /** Which checks each scenario has: the module holds every suite file's (suites/all.ts). */
  onTestModuleCollected(module: TestModule): void {
    for (const test of module.children.allTests()) {
      const scenario = this.scenarioOf(test);
      const ids = this.pending.get(scenario) ?? new Set<string>();
      ids.add(test.id);
      this.pending.set(scenario, ids);
    }
  }

  /** A check as it ends: the dot reporter's character, or its scenario's line once it was the last. */
  onTestCaseResult(test: TestCase): void {
    if (this.style !== 'dot') {
      const scenario = this.scenarioOf(test);
      const ids = this.pending.get(scenario);
      ids?.delete(test.id);
      if (ids?.size === 0) this.printScenario(scenario, test.module);
      return;
    }
    const status = this.statusOfCase(test);
    const dot = DOT[status];
    if (dot === '') return;
    const text =
      status === 'passed' || status === 'skipped' ? dot : this.paint(this.statusPaint(status), dot);
    this.dots += 1;
    this.stream.write(this.dots % DOTS_PER_LINE === 0 ? `${text}\n` : text);
  }

  private paint(colour: Paint, text: string): string {
    if (!this.color) return text;
    const [open, close] = ANSI[colour];
    return `${open}${text}${close}`;
  }

  /** Text is made printable before it is painted, so only this reporter's own codes reach the terminal. */
  private print(...parts: readonly (string | [Paint, string])[]): void {
    const line = parts
      .map((part) => (typeof part === 'string' ? printable(part) : this.paint(part[0], printable(part[1]))))
      .join('');
    this.stream.write(`${line}\n`);
  }

  private statusPaint(status: Status): Paint {
    if (status === 'failed') return 'red';
    if (status === 'blocked') return 'magenta';
    if (status === 'known-upstream-defect') return 'yellow';
    return status === 'passed' ? 'green' : 'dim';
  }

  /** The dots' line ends with the suites: the runner prints its cleanup before the summary. */
  onTestRunEnd(): void {
    this.endDots();
  }

  private endDots(): void {
    if (this.style === 'dot' && this.dots % DOTS_PER_LINE !== 0) this.stream.write('\n');
    this.dots = 0;
  }

  /** The module ends with the run: scenarios with checks that never ended are printed now. */
  onTestModuleEnd(module: TestModule): void {
    if (this.style === 'dot') return;
    const scenarios = new Set<string>();
    for (const test of module.children.allTests()) scenarios.add(this.scenarioOf(test));
    for (const suite of module.children.allSuites())
      if (suite.errors().length > 0) scenarios.add(this.scenarioOf(suite));
    for (const scenario of scenarios) if (!this.printed.has(scenario)) this.printScenario(scenario, module);
  }

  /** A scenario (suite file) as it ends: its counts, in the model's words. */
  private printScenario(scenario: string, module: TestModule): void {
    this.printed.add(scenario);
    const counts = new Map<Status, number>();
    let first = Infinity;
    let last = -Infinity;
    for (const test of module.children.allTests()) {
      if (this.scenarioOf(test) !== scenario) continue;
      const status = this.statusOfCase(test);
      counts.set(status, (counts.get(status) ?? 0) + 1);
      const diagnostic = test.diagnostic();
      if (diagnostic !== undefined) {
        first = Math.min(first, diagnostic.startTime);
        last = Math.max(last, diagnostic.startTime + diagnostic.duration);
      }
    }
    const errors = [...module.children.allSuites()]
      .filter((suite) => this.scenarioOf(suite) === scenario)
      .reduce((n, s) => n + s.errors().length, 0);
    const order: [Status, string][] = [
      ['passed', 'passed'],
      ['failed', 'failed'],
      ['blocked', 'blocked'],
      ['skipped', 'skipped'],
      ['known-upstream-defect', 'known upstream defect'],
      ['not-selected', 'not selected'],
    ];
    const parts = order
      .filter(([status]) => (counts.get(status) ?? 0) > 0 || status === 'passed')
      .map(([status, label]) => {
        const n = counts.get(status) ?? 0;
        return status === 'known-upstream-defect' ? plural(n, label, `${label}s`) : `${n} ${label}`;
      });
    if (errors > 0) parts.push(`${plural(errors, 'error', 'errors')} outside any test`);
    const worst: Status =
      (counts.get('failed') ?? 0) > 0 || errors > 0
        ? 'failed'
        : (counts.get('blocked') ?? 0) > 0
          ? 'blocked'
          : 'passed';
    // A scenario the selection left out entirely has nothing to say until the summary.
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total > 0 && counts.get('not-selected') === total && errors === 0) return;
    const ran = (counts.get('passed') ?? 0) + (counts.get('known-upstream-defect') ?? 0) > 0;
    const mark = worst === 'failed' ? 'FAIL' : worst === 'blocked' ? 'BLCK' : ran ? 'PASS' : 'SKIP';
    // From its first check's start to its last one's end: the scenarios run at once.
    const seconds = (last > first ? (last - first) / 1000 : 0).toFixed(2);
    this.print([this.statusPaint(worst), mark], ` ${scenario}: ${parts.join(', ')} `, [
      'dim',
      `(${seconds} s)`,
    ]);
  }

  private printCheck(test: TestOutcome): void {
    const failure = test.failure;
    if (failure === undefined) return;
    const named = failure.evidence?.behaviour;
    const title =
      named !== undefined && named !== test.behaviourId
        ? `${named} (failed in ${test.name})`
        : test.behaviourId === undefined
          ? `(no behaviour ID) ${test.name}`
          : test.name;
    this.print(['red', 'FAIL'], ` ${title} `, ['dim', `[${test.scenario}]`]);
    this.printBody(failure.evidence, failure.message, failure.detail);
  }

  private printBody(evidence: Evidence | undefined, message: string, detail: string): void {
    if (evidence !== undefined) for (const line of evidenceLines(evidence)) this.print(line);
    else for (const line of lines(message.split(' | ').join('\n'))) this.print(`  ${line}`);
    if (this.debug) for (const line of frames(detail)) this.print(['dim', line]);
  }

  private printPrerequisite(result: TestOutcome): void {
    const failure = result.failure;
    const n = result.blockedChecks ?? 0;
    this.print(['red', 'FAIL'], ` ${result.name} `, [
      'magenta',
      `(blocked ${n} ${n === 1 ? 'check' : 'checks'})`,
    ]);
    if (failure === undefined) return;
    const step = failure.step ?? '';
    if (step !== '') this.print(`  step:     ${clip(step)}`);
    // The result's message repeats the step in front (for junit.xml); here it has its own line.
    const message =
      step !== '' && failure.message.startsWith(`${step}: `)
        ? failure.message.slice(step.length + 2)
        : failure.message;
    this.printBody(failure.evidence, message, failure.detail);
  }

  private printError(error: RunError): void {
    this.print(['red', 'ERROR'], ` ${error.name}`);
    for (const line of lines(error.message.split(' | ').join('\n'))) this.print(`  ${line}`);
    if (this.debug) for (const line of frames(error.detail)) this.print(['dim', line]);
  }

  private printCleanup(result: TestOutcome): void {
    if (result.status !== 'failed' || result.failure === undefined) return;
    this.print(['red', 'FAIL'], ` ${result.name}`);
    for (const line of lines(result.failure.detail, 5)) this.print(`  ${line}`);
  }

  /**
   * Why checks were skipped, each reason once with how many it holds (most first), and how many
   * the selection left out: a skip is the cloud's or the profile's answer, and a reader should see
   * which settings would let those checks run.
   */
  private printSkips(report: RunReport): void {
    const reasons = new Map<string, number>();
    for (const test of report.tests.filter((t) => t.status === 'skipped')) {
      const reason = clip(test.reason ?? '(no reason given)');
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const skipped = report.totals.skipped;
    if (skipped > 0) {
      this.print('');
      this.print(['dim', 'SKIP'], ` ${plural(skipped, 'check', 'checks')} skipped:`);
      const sorted = [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [reason, n] of sorted) this.print(`  ${String(n).padStart(3)}  ${reason}`);
    }
    const notSelected = report.tests.filter((t) => t.status === 'not-selected');
    if (notSelected.length > 0) {
      const why = notSelected[0]?.reason ?? 'not selected';
      this.print(['dim', 'NSEL'], ` ${plural(notSelected.length, 'check', 'checks')} ${why}`);
    }
  }

  /** The end of the run, from the model: failures, then the summary. */
  printReport(report: RunReport, paths: readonly string[]): void {
    this.endDots();
    const failed = report.tests.filter((t) => t.status === 'failed');
    const known = report.tests.some((t) => t.status === 'known-upstream-defect');
    if (failed.length > 0 || report.errors.length > 0 || known) this.print('');
    for (const result of failed.filter((t) => t.kind === 'prerequisite')) this.printPrerequisite(result);
    for (const result of failed.filter((t) => t.kind === 'test')) this.printCheck(result);
    for (const error of report.errors) this.printError(error);
    for (const result of failed.filter((t) => t.kind === 'cleanup')) this.printCleanup(result);
    // Reported apart from passes and failures, one line each: what the target shares with upstream Nova.
    for (const test of report.tests.filter((t) => t.status === 'known-upstream-defect'))
      this.print(['yellow', 'KNOWN'], ` ${test.name}: ${clip(test.reason ?? '')}`);

    this.printSkips(report);

    const behaviours = behaviourTotalsOf(behavioursOf(report.tests));
    const verdictPaint: Paint = report.verdict === 'PASSED' ? 'green' : 'red';
    const notSelected = (n: number): string => (n > 0 ? `, ${n} not selected` : '');
    this.print('');
    this.print(
      `Behaviours: ${behaviours.total}: ${behaviours.passed} passed, ${behaviours.failed} failed, ` +
        `${behaviours.blocked} blocked, ${behaviours.skipped} skipped, ` +
        plural(behaviours.knownUpstreamDefects, 'known upstream defect', 'known upstream defects') +
        notSelected(behaviours.notSelected),
    );
    this.print(`Reports: ${paths.map((p) => relative(this.cwd, p) || p).join(', ')}`);
    this.print('Verdict: ', [verdictPaint, report.verdict]);
    this.print(outcomeTotals(report.totals) + notSelected(report.totals.notSelected));
  }
}
