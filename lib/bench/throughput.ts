// Part 3: the mock's throughput on loopback (list, show, attach+detach) next to a bare node:http
// server answering the same fixed list body. Load from autocannon in this process, the server in
// a child process: on a 2-core machine each gets one core.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PROJECT_ROOT } from './run.ts';
import type { Served } from './serve.ts';

export interface LoadFigure {
  readonly name: 'bare' | 'bare attach+detach' | 'list' | 'show' | 'attach+detach';
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

async function spawnServer(
  kind: 'mock' | 'bare',
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; info: unknown }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'lib', 'bench', 'serve.ts'), kind],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`bench: the ${kind} server ended early (exit ${String(code)})`)),
    );
  });
  lines.close();
  return { child, info: JSON.parse(first) as unknown };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await ended;
  clearTimeout(timer);
}

async function load(
  name: LoadFigure['name'],
  options: LoadOptions,
  request: Pick<autocannon.Options, 'url' | 'headers' | 'requests' | 'method'>,
): Promise<LoadFigure> {
  const base = { ...request, connections: options.connections, pipelining: 1 };
  if (options.warmupSeconds > 0) await autocannon({ ...base, duration: options.warmupSeconds });
  const result = await autocannon({ ...base, duration: options.durationSeconds });
  return {
    name,
    requestsPerSecond: result.requests.total / (result.duration || options.durationSeconds),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The bare figure a mock figure is measured against: the same request sequence, fixed answers. */
export function limitOf(name: LoadFigure['name']): LoadFigure['name'] {
  return name === 'attach+detach' ? 'bare attach+detach' : 'bare';
}

/** Each connection attaches a new port on the network, then detaches that very port. */
function attachDetach(
  url: string,
  path: string,
  headers: Record<string, string>,
  netId: string,
): Pick<autocannon.Options, 'url' | 'requests'> {
  return {
    url,
    requests: [
      {
        method: 'POST',
        path,
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ interfaceAttachment: { net_id: netId } }),
        onResponse: (status, body, context) => {
          // autocannon types the per-connection context as {}; it is ours to fill.
          if (status === 200)
            (context as Record<string, unknown>)['portId'] = (
              JSON.parse(body) as { interfaceAttachment: { port_id: string } }
            ).interfaceAttachment.port_id;
        },
      },
      {
        method: 'DELETE',
        headers,
        setupRequest: (req, context) => ({
          ...req,
          path: `${path}/${String((context as Record<string, unknown>)['portId'] ?? 'none')}`,
        }),
      },
    ],
  };
}

/** The mean of two measurements of one bare figure, taken before and after the mock's. */
function meanOf(a: LoadFigure, b: LoadFigure): LoadFigure {
  const mean = (x: number, y: number): number => (x + y) / 2;
  return {
    name: a.name,
    requestsPerSecond: mean(a.requestsPerSecond, b.requestsPerSecond),
    latencyP50Ms: mean(a.latencyP50Ms, b.latencyP50Ms),
    latencyP99Ms: mean(a.latencyP99Ms, b.latencyP99Ms),
    requests: a.requests + b.requests,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
  };
}

/**
 * Runs the bare server, the mock, then the bare server again (never two at once) under the same
 * load; the bare figures are the mean of before and after, so that a change of the machine's load
 * during the mock's rounds moves the limit with it.
 */
export async function measureThroughput(options: LoadOptions): Promise<LoadFigure[]> {
  const mock = await spawnServer('mock', process.env);
  const served = mock.info as Served;
  const headers = { 'X-Auth-Token': served.token, 'OpenStack-API-Version': 'compute 2.70' };
  const path = `/compute/v2.1/servers/${served.serverId}/os-interface`;
  const measureBare = async (): Promise<LoadFigure[]> => {
    const bare = await spawnServer('bare', {
      ...process.env,
      BENCH_BODY: served.listBody,
      BENCH_CONTENT_TYPE: served.listContentType,
    });
    try {
      const { url } = bare.info as { url: string };
      return [
        await load('bare', options, { url: `${url}${path}` }),
        await load('bare attach+detach', options, attachDetach(url, path, headers, served.netId)),
      ];
    } finally {
      await stopServer(bare.child);
    }
  };
  const mockFigures: LoadFigure[] = [];
  let before: LoadFigure[] = [];
  try {
    // The mock is started first only to learn its bodies; it idles while the bare server runs.
    before = await measureBare();
    const interfaces = `${served.url}${path}`;
    mockFigures.push(await load('list', options, { url: interfaces, headers }));
    mockFigures.push(await load('show', options, { url: `${interfaces}/${served.portId}`, headers }));
    mockFigures.push(
      await load('attach+detach', options, attachDetach(served.url, path, headers, served.netId)),
    );
  } finally {
    await stopServer(mock.child);
  }
  const after = await measureBare();
  return [...before.map((b, i) => meanOf(b, after[i] ?? b)), ...mockFigures];
}
