// `npm run bench`: measures, prints one table and writes reports/bench.json. It only reports:
// nothing here decides whether a test passes, and the exit code says only whether it could measure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { attribute, criticalPath, type CriticalPath } from './critical-path.ts';
import { busyShare, machineCpu } from './machine-cpu.ts';
import { readCloudEnv } from './openrc.ts';
import { checkSpans, mostChecksAtOnce } from './overlap.ts';
import { startRecordingProxy, type RecordingProxy } from './proxy.ts';
import { FLOOR_ENV, PROJECT_ROOT, runCli, type CliRun } from './run.ts';
import { measureSchema, type SchemaFigure } from './schema.ts';
import {
  behaviourOf,
  busyTime,
  countBy,
  formatNumber,
  formatRatio,
  isServerBoot,
  markdownTable,
  median,
  ratio,
  type Cell,
  type Ratio,
} from './stats.ts';
import { limitOf, measureThroughput, type LoadFigure } from './throughput.ts';

interface Args {
  openrc: string | undefined;
  envFiles: string[];
  out: string;
  parts: Set<number>;
  quick: boolean;
  detachDelaySeconds: number;
}

const USAGE = `Usage: npm run bench -- [--openrc FILE [--env FILE]... [--detach-delay S]] [--parts 1,2,3,4] [--out FILE] [--quick]
  --openrc FILE  also measure a full run against that cloud (part 2); a conformance.env beside it is read too
  --env FILE     more variables for the cloud run (extra users), openrc syntax
  --detach-delay S  part 2 runs a second time with every detach taking effect S seconds after its 202
                 (default 5; 0: no second run)
  --parts LIST   which parts to run (default: 1,3,4, and 2 with --openrc)
  --out FILE     where to write the JSON (default reports/bench.json)
  --quick        shorter load and schema rounds (a smoke test of the bench itself)`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    openrc: undefined,
    envFiles: [],
    out: join(PROJECT_ROOT, 'reports', 'bench.json'),
    parts: new Set(),
    quick: false,
    detachDelaySeconds: 5,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${arg ?? ''} needs a value\n${USAGE}`);
      i += 1;
      return v;
    };
    if (arg === '--openrc') args.openrc = resolve(value());
    else if (arg === '--env') args.envFiles.push(resolve(value()));
    else if (arg === '--out') args.out = resolve(value());
    else if (arg === '--parts') for (const p of value().split(',')) args.parts.add(Number(p));
    else if (arg === '--quick') args.quick = true;
    else if (arg === '--detach-delay') {
      const seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`--detach-delay needs seconds\n${USAGE}`);
      args.detachDelaySeconds = seconds;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg ?? ''}\n${USAGE}`);
  }
  if (args.parts.size === 0)
    for (const p of args.openrc !== undefined ? [1, 2, 3, 4] : [1, 3, 4]) args.parts.add(p);
  return args;
}

/** The environment without any cloud settings, so that a run targets the embedded mock. */
function mockEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('OS_') || name.startsWith('CONFORMANCE_')) continue;
    env[name] = value;
  }
  // Empty counts as unset for the configuration, and shadows a cloud named in a .env file.
  env['OS_AUTH_URL'] = '';
  env['OS_CLOUD'] = '';
  return env;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/**
 * Requests in total and per behaviour, by the check the harness names for each (the vitest task
 * current in the worker is whichever check started last, once checks run concurrently).
 */
function requestsOf(run: CliRun): { total: number; perBehaviour: Record<string, number> } {
  const { attributed, left } = attribute(run.owned, run.unowned);
  const perBehaviour = countBy([...run.owned, ...attributed], (e) =>
    e.check === undefined ? '(server pool)' : behaviourOf(`test:${e.check.name}`),
  );
  if (run.runnerSent.length > 0) perBehaviour[behaviourOf('(runner)')] = run.runnerSent.length;
  if (left > 0) perBehaviour['(worker: tokens and other shared requests)'] = left;
  return { total: run.sentByProcess.flat().length, perBehaviour };
}

/**
 * A run that ran (0 passed, 1 failed checks) is measured, with a warning when it is not what was
 * expected; one that could not run (2: configuration or target, or a signal) has no figures.
 */
function checkExit(run: CliRun, what: string, expected: readonly (number | null)[]): void {
  if (expected.includes(run.exitCode)) return;
  const ended = `the ${what} ended with exit code ${String(run.exitCode)}`;
  if (run.exitCode !== 0 && run.exitCode !== 1)
    throw new Error(`${ended}, so it measured nothing; its last output:\n${run.outputTail}`);
  log(`warning: ${ended}; its last output:\n${run.outputTail}`);
}

interface Part1 {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly processes: CliRun['processes'];
  readonly requests: number;
  readonly requestsServed: number;
  readonly requestsPerBehaviour: Record<string, number>;
  readonly serverBoots: number;
  /** Pauses inside poll chains (waiting on the mock's deliberate delays), summed over every chain. */
  readonly waitMs: number;
  /** The longest chain of dependent requests and waits (lib/bench/critical-path.ts). */
  readonly criticalPath: PathSummary;
  readonly floorWallMs: readonly number[];
  readonly floorCpuMs: number;
  readonly exitCode: number | null;
  readonly ratio: Ratio;
}

/** One measurement of the floor. */
interface Floor {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * The runner's own cost: the same command loading one suite file with one small check
 * (FLOOR_ENV): vitest, the mock, the preflight, the worker, the pool's first boots, the reports
 * and the drain, and next to no check's work.
 */
async function floorOnce(env: NodeJS.ProcessEnv): Promise<Floor> {
  const one = await runCli({ env: { ...env, ...FLOOR_ENV }, args: [] });
  checkExit(one, 'floor run', [0]);
  return { wallMs: one.wallMs, cpuMs: one.cpuMs };
}

async function part1(): Promise<Part1> {
  const env = mockEnv();
  log(
    `part 1: floor (the runner with one suite file, ${FLOOR_ENV.NOVA_CONFORMANCE_SUITES}, with its one check)...`,
  );
  const floorA = await floorOnce(env);
  log(`part 1: floor ${formatNumber(floorA.wallMs / 1000)} s; full run against the embedded mock...`);
  const run = await runCli({ env, args: [] });
  checkExit(run, 'full run', [0]);
  log(`part 1: full run ${formatNumber(run.wallMs / 1000)} s; floor again...`);
  const floorB = await floorOnce(env);
  const floor = median([floorA.wallMs, floorB.wallMs]);
  const { total, perBehaviour } = requestsOf(run);
  const path = pathOf(run);
  return {
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    peakRssMiB: run.peakTreeRssMiB,
    processes: run.processes,
    requests: total,
    requestsServed: run.served.length,
    requestsPerBehaviour: perBehaviour,
    serverBoots: run.served.filter((r) => isServerBoot(r.method, r.path, r.status)).length,
    waitMs: path.allWaitMs,
    criticalPath: summary(path),
    floorWallMs: [floorA.wallMs, floorB.wallMs],
    floorCpuMs: median([floorA.cpuMs, floorB.cpuMs]),
    exitCode: run.exitCode,
    ratio: ratio(run.wallMs, floor, { atMost: 2 }),
  };
}

/** What the JSON keeps of a critical path: its length, what it is made of, the chains it crosses. */
interface PathSummary {
  readonly lengthMs: number;
  readonly inFlightMs: number;
  readonly waitMs: number;
  readonly detaches: number;
  readonly steps: number;
  readonly checks: number;
  readonly servers: number;
  /** Worker requests no check could be named for (token requests); not on any path. */
  readonly unattributed: number;
  readonly chains: CriticalPath['chains'];
}

function pathOf(run: CliRun): CriticalPath {
  return criticalPath(run.owned, run.runnerSent, run.unowned);
}

function summary(path: CriticalPath): PathSummary {
  return {
    lengthMs: path.lengthMs,
    inFlightMs: path.inFlightMs,
    waitMs: path.waitMs,
    detaches: path.detaches,
    steps: path.steps.length,
    checks: path.checks,
    servers: path.servers,
    unattributed: path.unattributed,
    chains: path.chains,
  };
}

interface Part2 {
  readonly openrc: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly requests: number;
  readonly requestsPerBehaviour: Record<string, number>;
  readonly serverBoots: number;
  /** The cloud's own time (at the proxy), summed over requests, and with overlaps counted once. */
  readonly responseTimeSumMs: number;
  readonly responseBusyMs: number;
  /**
   * The share of all the machine's CPU time that was busy during the run (the run, and the cloud
   * when it runs on the same machine, as the devcloud does): near 1, the machine bounds the run.
   */
  readonly machineBusy?: number;
  /** Poll pauses of every chain, summed, and how many. */
  readonly waitMs: number;
  readonly polls: number;
  readonly criticalPath: PathSummary;
  /**
   * What the run's concurrency allows: every check's time (first request to last) summed, over
   * the most checks that were in flight at once. No schedule at that concurrency ends sooner.
   */
  readonly concurrency: ConcurrencyBound;
  readonly exitCode: number | null;
  /** wall / critical path. */
  readonly ratio: Ratio;
  readonly detachDelay?: DetachDelayRun;
}

interface ConcurrencyBound {
  readonly checksMs: number;
  readonly checksAtOnce: number;
  readonly boundMs: number;
  /** wall / the larger of the critical path and the bound. */
  readonly ratio: Ratio;
}

/** The same run again, every detach taking effect `delayMs` after its 202. */
interface DetachDelayRun {
  readonly delayMs: number;
  readonly wallMs: number;
  readonly growthMs: number;
  readonly exitCode: number | null;
  /** Detaches the proxy delayed, and reads it answered as if they had not taken effect yet. */
  readonly delayed: number;
  readonly rewrites: number;
  readonly criticalPath: PathSummary;
  /** growth / delay: how many delays the run waited one after another. */
  readonly ratio: Ratio;
  /** The most checks in flight at once in this run. */
  readonly checksAtOnce: number;
  /** growth / (delayed detaches × delay / checks at once): 1 when every wait overlapped as the concurrency allows. */
  readonly overlapRatio: Ratio;
}

function concurrencyOf(run: CliRun, criticalPathMs: number): ConcurrencyBound {
  // A check's teardown is its own time too: its requests go to the check that made their port.
  const { attributed } = attribute(run.owned, run.unowned);
  const spans = checkSpans([...run.owned, ...attributed]);
  const checksMs = [...spans.values()].reduce((sum, span) => sum + span.end - span.start, 0);
  const checksAtOnce = mostChecksAtOnce(run.owned);
  const boundMs = checksAtOnce > 0 ? checksMs / checksAtOnce : 0;
  return {
    checksMs,
    checksAtOnce,
    boundMs,
    ratio: ratio(run.wallMs, Math.max(criticalPathMs, boundMs), { atMost: 1.5 }),
  };
}

/** A full run against the cloud through a recording proxy (with a detach delay, if given). */
async function proxiedRun(
  vars: Readonly<Record<string, string>>,
  detachDelayMs: number,
  reportDir: string,
): Promise<{ run: CliRun; proxy: RecordingProxy; machineBusy: number | undefined }> {
  const authUrl = vars['OS_AUTH_URL'];
  if (authUrl === undefined) throw new Error('the openrc sets no OS_AUTH_URL');
  const proxy = await startRecordingProxy(authUrl, { detachDelayMs });
  const upstreamOrigin = new URL(authUrl).origin;
  const proxyOrigin = new URL(proxy.authUrl).origin;
  const env = mockEnv();
  delete env['OS_AUTH_URL'];
  delete env['OS_CLOUD'];
  for (const [name, value] of Object.entries(vars)) env[name] = value.split(upstreamOrigin).join(proxyOrigin);
  try {
    const before = machineCpu();
    const run = await runCli({ env, args: [], reportDir });
    return { run, proxy, machineBusy: busyShare(before, machineCpu()) };
  } finally {
    await proxy.stop();
  }
}

async function part2(openrc: string, envFiles: readonly string[], detachDelayMs: number): Promise<Part2> {
  const { vars, read } = readCloudEnv(openrc, envFiles);
  log(
    `part 2: full run against ${vars['OS_AUTH_URL'] ?? '?'} (through a recording proxy; read ${read.join(', ')})...`,
  );
  // Kept, so that a failed check of a cloud run can be read afterwards (reports/bench/part2*/latest).
  const reports = join(PROJECT_ROOT, 'reports', 'bench');
  mkdirSync(reports, { recursive: true });
  const { run, proxy, machineBusy } = await proxiedRun(vars, 0, join(reports, 'part2'));
  checkExit(run, 'cloud run', [0, 1]);
  if (run.exitCode === 1) log(`warning: the cloud run failed checks (reports/bench/part2/latest)`);
  const records = proxy.records;
  const path = pathOf(run);
  const busy = busyTime(records);
  const { perBehaviour } = requestsOf(run);
  const result: Part2 = {
    openrc,
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    requests: records.length,
    requestsPerBehaviour: perBehaviour,
    serverBoots: records.filter((r) => isServerBoot(r.method, r.upstreamUrl, r.status)).length,
    responseTimeSumMs: records.reduce((sum, r) => sum + (r.end - r.start), 0),
    responseBusyMs: busy,
    ...(machineBusy !== undefined && { machineBusy }),
    waitMs: path.allWaitMs,
    polls: path.allWaits,
    criticalPath: summary(path),
    concurrency: concurrencyOf(run, path.lengthMs),
    exitCode: run.exitCode,
    ratio: ratio(run.wallMs, path.lengthMs, { atMost: 1.5 }),
  };
  if (detachDelayMs <= 0) return result;
  log(`part 2: the same run with every detach taking effect ${s(detachDelayMs)} after its 202...`);
  const delayed = await proxiedRun(vars, detachDelayMs, join(reports, 'part2-detach-delay'));
  checkExit(delayed.run, 'cloud run with the detach delay', [run.exitCode]);
  const growthMs = delayed.run.wallMs - run.wallMs;
  const delayedDetaches = delayed.proxy.delay?.detaches ?? 0;
  const atOnce = Math.max(1, mostChecksAtOnce(delayed.run.owned));
  return {
    ...result,
    detachDelay: {
      delayMs: detachDelayMs,
      wallMs: delayed.run.wallMs,
      growthMs,
      exitCode: delayed.run.exitCode,
      delayed: delayedDetaches,
      rewrites: delayed.proxy.delay?.rewrites ?? 0,
      criticalPath: summary(pathOf(delayed.run)),
      ratio: ratio(growthMs, detachDelayMs, { atMost: 3 }),
      checksAtOnce: atOnce,
      overlapRatio: ratio(growthMs, (delayedDetaches * detachDelayMs) / atOnce, { atMost: 1.5 }),
    },
  };
}

interface Part3 {
  readonly figures: readonly LoadFigure[];
  /** Each mock figure against its bare one: the median over rounds of the round's mock / bare. */
  readonly ratios: Record<string, Ratio>;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

async function part3(quick: boolean): Promise<Part3> {
  const options = { connections: 8, durationSeconds: quick ? 2 : 5, rounds: quick ? 2 : 5, warmupSeconds: 1 };
  log(
    `part 3: load on loopback (autocannon, ${options.connections} connections, ${options.durationSeconds} s each in ${options.rounds} rounds alternating with the bare server)...`,
  );
  const { figures, ratios: paired } = await measureThroughput(options);
  const rate = (name: string): number =>
    figures.find((f) => f.name === name)?.requestsPerSecond ?? Number.NaN;
  const ratios: Record<string, Ratio> = {};
  for (const f of figures)
    if (!f.name.startsWith('bare'))
      ratios[f.name] = ratio(f.requestsPerSecond, rate(limitOf(f.name)), { atLeast: 0.5 }, paired[f.name]);
  return { figures, ratios, ...options };
}

interface Part4 {
  readonly figures: readonly SchemaFigure[];
  readonly ratios: Record<string, Ratio>;
}

function part4(quick: boolean): Part4 {
  log('part 4: schema validation, helper and bare validator in alternating rounds...');
  const figures = measureSchema([1, 10, 100], quick ? 150 : 400, quick ? 3 : 5);
  const ratios: Record<string, Ratio> = {};
  for (const f of figures)
    ratios[String(f.interfaces)] = ratio(f.helperPerSecond, f.barePerSecond, { atLeast: 0.5 });
  return { figures, ratios };
}

function machine(): { cpu: string; cores: number; memoryGiB: number; node: string; platform: string } {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const s = (ms: number): string => `${formatNumber(ms / 1000)} s`;
const perS = (n: number): string => `${formatNumber(n)}/s`;

export function table(result: {
  date: string;
  machine: ReturnType<typeof machine>;
  part1?: Part1;
  part2?: Part2;
  part3?: Part3;
  part4?: Part4;
}): string {
  const rows: Cell[][] = [];
  const { part1: p1, part2: p2, part3: p3, part4: p4 } = result;
  if (p1 !== undefined) {
    const floor = median(p1.floorWallMs);
    rows.push(['1 mock run', 'wall time', s(p1.wallMs), `floor ${s(floor)}`, formatRatio(p1.ratio)]);
    rows.push(['1 mock run', 'CPU time (all processes)', s(p1.cpuMs), `floor ${s(p1.floorCpuMs)}`, '']);
    rows.push(['1 mock run', 'peak memory (process tree)', `${formatNumber(p1.peakRssMiB, 0)} MiB`, '', '']);
    rows.push(['1 mock run', 'HTTP requests / server boots', `${p1.requests} / ${p1.serverBoots}`, '', '']);
    rows.push(['1 mock run', 'waiting on async operations (polls)', s(p1.waitMs), '', '']);
    const cp = p1.criticalPath;
    rows.push([
      '1 mock run',
      'critical path: in flight + waits',
      `${s(cp.lengthMs)} (${s(cp.inFlightMs)} + ${s(cp.waitMs)})`,
      `wall / critical path ${formatNumber(cp.lengthMs > 0 ? p1.wallMs / cp.lengthMs : undefined)}`,
      '(no target: the floor is the limit here)',
    ]);
  }
  if (p2 !== undefined) {
    const cp = p2.criticalPath;
    rows.push([
      '2 cloud run',
      'wall time',
      s(p2.wallMs),
      `critical path ${s(cp.lengthMs)}`,
      formatRatio(p2.ratio),
    ]);
    const c = p2.concurrency;
    rows.push([
      '2 cloud run',
      `wall time vs the checks' time summed / ${c.checksAtOnce} at once`,
      s(p2.wallMs),
      `${s(c.checksMs)} / ${c.checksAtOnce} = ${s(c.boundMs)}`,
      formatRatio(c.ratio),
    ]);
    rows.push([
      '2 cloud run',
      'critical path: in flight + waits (detaches on it)',
      `${s(cp.inFlightMs)} + ${s(cp.waitMs)} (${cp.detaches})`,
      `${cp.checks} checks, ${cp.servers} pool servers`,
      '',
    ]);
    rows.push([
      '2 cloud run',
      "the cloud's response time, summed / with a request in flight",
      `${s(p2.responseTimeSumMs)} / ${s(p2.responseBusyMs)}`,
      `waits ${s(p2.waitMs)} (${p2.polls} polls)`,
      '',
    ]);
    rows.push(['2 cloud run', 'HTTP requests / server boots', `${p2.requests} / ${p2.serverBoots}`, '', '']);
    if (p2.machineBusy !== undefined)
      rows.push([
        '2 cloud run',
        "the machine's CPU busy during the run (every core)",
        `${formatNumber(100 * p2.machineBusy, 0)} %`,
        '',
        '',
      ]);
    const d = p2.detachDelay;
    if (d !== undefined)
      rows.push([
        '2 cloud run',
        `wall growth with a ${s(d.delayMs)} detach delay (${d.delayed} delayed; ${d.criticalPath.detaches} on the critical path)`,
        `${s(d.wallMs)} (+${s(d.growthMs)})`,
        `3 × the delay, ${s(3 * d.delayMs)}`,
        formatRatio(d.ratio),
      ]);
    if (d !== undefined)
      rows.push([
        '2 cloud run',
        `the same growth vs every delayed detach's wait, overlapped ${d.checksAtOnce} at once`,
        `+${s(d.growthMs)}`,
        `${d.delayed} × ${s(d.delayMs)} / ${d.checksAtOnce}`,
        formatRatio(d.overlapRatio),
      ]);
  }
  if (p3 !== undefined) {
    for (const f of p3.figures) {
      if (f.name.startsWith('bare')) continue;
      const bare = p3.figures.find((b) => b.name === limitOf(f.name));
      const r = p3.ratios[f.name];
      rows.push([
        '3 mock load',
        `${f.name} (p99 ${formatNumber(f.latencyP99Ms, 0)} ms${f.non2xx + f.errors > 0 ? `, ${f.non2xx + f.errors} failed` : ''})`,
        perS(f.requestsPerSecond),
        `${bare?.name === 'bare attach+detach' ? 'bare node:http, same sequence' : 'bare node:http'} ${perS(bare?.requestsPerSecond ?? Number.NaN)}`,
        r === undefined ? '' : formatRatio(r),
      ]);
    }
  }
  if (p4 !== undefined) {
    for (const f of p4.figures) {
      const r = p4.ratios[String(f.interfaces)];
      rows.push([
        '4 schema',
        `list of ${f.interfaces} through expectInterfaceBody`,
        perS(f.helperPerSecond),
        `bare validator ${perS(f.barePerSecond)}`,
        r === undefined ? '' : formatRatio(r),
      ]);
    }
  }
  const m = result.machine;
  const heading = `Benchmarks of ${result.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}); every limit measured in the same run.`;
  return `${heading}\n\n${markdownTable(['Part', 'Figure', 'Measured', 'Limit (same run)', 'Ratio'], rows)}\n`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const result: {
    date: string;
    machine: ReturnType<typeof machine>;
    part1?: Part1;
    part2?: Part2;
    part3?: Part3;
    part4?: Part4;
  } = {
    date: new Date().toISOString(),
    machine: machine(),
  };
  // Schema first: it is the one part that runs in this process, before the load generator warms it.
  if (args.parts.has(4)) result.part4 = part4(args.quick);
  if (args.parts.has(1)) result.part1 = await part1();
  if (args.parts.has(3)) result.part3 = await part3(args.quick);
  if (args.parts.has(2)) {
    if (args.openrc === undefined) log('part 2 needs --openrc FILE; skipped');
    else result.part2 = await part2(args.openrc, args.envFiles, args.detachDelaySeconds * 1000);
  }
  const text = table({ ...result, date: result.date.slice(0, 10) });
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify({ format: 1, ...result, benchSeconds: (Date.now() - started) / 1000, table: text }, null, 2)}\n`,
  );
  if (result.part1 !== undefined) {
    const top = Object.entries(result.part1.requestsPerBehaviour).sort((a, b) => b[1] - a[1]);
    console.log(`Requests per behaviour (mock run): ${top.map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  }
  console.log(text);
  console.log(`Written: ${args.out} (${formatNumber((Date.now() - started) / 1000)} s)`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
