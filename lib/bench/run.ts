// Parts 1 and 2: a full `nova-conformance run` as a child process, measured from outside.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OwnedExchange } from './critical-path.ts';
import { type SentRequest } from './stats.ts';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROBE = join(PROJECT_ROOT, 'lib', 'bench', 'probe.mjs');
const CLI = join(PROJECT_ROOT, 'bin', 'nova-conformance.js');
/**
 * The floor's run: the one suite file with a single check (QUOTA-01, a dozen requests; the
 * disruptive profile lets it run, and the embedded mock has the admin it needs). Loaded alone
 * (NOVA_CONFORMANCE_SUITES), not selected by `--include`: a selection collects the suites first
 * in the runner's process, and the run after it starts from warm imports, faster than any real
 * run's start.
 */
export const FLOOR_ENV = { NOVA_CONFORMANCE_SUITES: 'quota', CONFORMANCE_PROFILE: 'disruptive' } as const;

/** What one probed process wrote at its end (see probe.mjs). */
interface ProbeReport {
  readonly pid: number;
  readonly ppid: number;
  readonly worker: boolean;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly maxRssKiB: number;
  readonly sent: readonly [string, string, string, number, number, number, string | null][];
  /** Absent from probes of an older harness, which published no owners. */
  readonly owned?: readonly [
    string | null,
    string | null,
    string | null,
    string,
    string,
    number,
    number,
    number,
    number,
    string | null,
    string | null,
    string | null,
  ][];
  readonly served: readonly [string, string, number, string | null, number, number][];
}

interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly start: number;
  readonly end: number;
}

interface ProcessFigures {
  readonly role: 'runner' | 'worker' | 'other';
  readonly cpuMs: number;
  readonly maxRssMiB: number;
}

export interface CliRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** CPU of every process of the run (the runner and what it started), from the kernel's accounting. */
  readonly cpuMs: number;
  /** Highest sampled sum of resident memory over the run's process tree. */
  readonly peakTreeRssMiB: number;
  readonly processes: readonly ProcessFigures[];
  /** Requests sent by each process, in order, per process (a process is one sequential client). */
  readonly sentByProcess: readonly (readonly SentRequest[])[];
  /** The runner process's own requests (preflight, drain), in order. */
  readonly runnerSent: readonly SentRequest[];
  /** The worker's exchanges with the check (or the pool) that made each, as the harness published them. */
  readonly owned: readonly OwnedExchange[];
  /** The worker's requests the harness published no owner for (tokens, a check's teardown). */
  readonly unowned: readonly SentRequest[];
  /** Requests served in-process (the embedded mock), if any. */
  readonly served: readonly ServedRequest[];
  readonly outputTail: string;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time of this process's reaped children (and theirs), in ms, from /proc/self/stat. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

const PAGE_BYTES = 4096;

/** Sum of resident memory (bytes) of `root` and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * PAGE_BYTES);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss) {
    let p: number | undefined = pid;
    for (let depth = 0; p !== undefined && p > 1 && depth < 20; depth += 1) {
      if (p === root) {
        total += bytes;
        break;
      }
      p = parent.get(p);
    }
  }
  return total;
}

export interface CliRunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly args: readonly string[];
  /** How often the process tree's memory is sampled; each sample reads /proc, so not too often. */
  readonly sampleMs?: number;
  /** Where the run writes its reports, kept afterwards (by default a temporary folder, removed). */
  readonly reportDir?: string;
}

/** Runs `node bin/nova-conformance.js run ...` with the probe preloaded in every process. */
export async function runCli(options: CliRunOptions): Promise<CliRun> {
  const probeDir = mkdtempSync(join(tmpdir(), 'nova-bench-probe-'));
  const reportDir = options.reportDir ?? mkdtempSync(join(tmpdir(), 'nova-bench-report-'));
  const nodeOptions = [options.env['NODE_OPTIONS'] ?? '', `--import=${PROBE}`].join(' ').trim();
  const env = {
    ...options.env,
    NODE_OPTIONS: nodeOptions,
    BENCH_PROBE_DIR: probeDir,
    CONFORMANCE_REPORT_DIR: reportDir,
    FORCE_COLOR: '0',
  };
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', ...options.args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let peak = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, treeRssBytes(child.pid));
  }, options.sampleMs ?? 100);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const cpuAfter = childrenCpuMs();

  const reports: ProbeReport[] = [];
  for (const file of readdirSync(probeDir)) {
    reports.push(JSON.parse(readFileSync(join(probeDir, file), 'utf8')) as ProbeReport);
  }
  rmSync(probeDir, { recursive: true, force: true });
  if (options.reportDir === undefined) rmSync(reportDir, { recursive: true, force: true });
  const probedCpuMs = reports.reduce((sum, r) => sum + (r.cpuUserUs + r.cpuSystemUs) / 1000, 0);
  const processes = reports.map((r): ProcessFigures => ({
    role: r.pid === child.pid ? 'runner' : r.worker ? 'worker' : 'other',
    cpuMs: (r.cpuUserUs + r.cpuSystemUs) / 1000,
    maxRssMiB: r.maxRssKiB / 1024,
  }));
  const toSent = ([task, method, url, start, end, status]: ProbeReport['sent'][number]): SentRequest => ({
    task,
    method,
    url,
    start,
    end,
    status,
  });
  const sentOf = (r: ProbeReport): SentRequest[] => r.sent.map(toSent).sort((a, b) => a.start - b.start);
  const sentByProcess = reports.map(sentOf);
  const runner = reports.find((r) => r.pid === child.pid);
  const owned = reports.flatMap((r) =>
    (r.owned ?? []).map(
      ([id, name, file, method, url, status, start, end, retries, created, port]): OwnedExchange => ({
        check: id === null ? undefined : { id, name: name ?? id, file: file ?? '' },
        method,
        url,
        status,
        start,
        end,
        retries,
        createdServer: created ?? undefined,
        createdPort: port ?? undefined,
      }),
    ),
  );
  // Matched by request id: every OpenStack API answers with one, unique to the request.
  const ownedIds = new Set(reports.flatMap((r) => (r.owned ?? []).map((o) => o[11])));
  const unowned = reports
    .filter((r) => r.worker && r.owned !== undefined)
    .flatMap((r) => r.sent.filter((s) => s[6] === null || !ownedIds.has(s[6])))
    .map(toSent);
  // The runner's own requests, less those it sent through the harness (the early boots of the
  // pool's servers): those are in `owned`, as the pool's.
  const runnerSent = (runner?.sent ?? [])
    .filter((s) => s[6] === null || !ownedIds.has(s[6]))
    .map(toSent)
    .sort((a, b) => a.start - b.start);
  const served = reports
    .flatMap((r) => r.served)
    .map(([method, path, status, , start, end]): ServedRequest => ({ method, path, status, start, end }));
  const kernelCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    exitCode,
    wallMs,
    // The kernel's figure also covers processes without the probe (esbuild); it is only missing when
    // /proc is not there, and then the probes' own figures are the best there is.
    cpuMs: kernelCpuMs !== undefined && kernelCpuMs > 0 ? Math.max(kernelCpuMs, probedCpuMs) : probedCpuMs,
    peakTreeRssMiB: Math.max(peak / (1024 * 1024), ...processes.map((p) => p.maxRssMiB)),
    processes,
    sentByProcess,
    runnerSent,
    owned,
    unowned,
    served,
    outputTail: output,
  };
}
