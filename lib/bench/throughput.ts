// Part 3: the mock's throughput on loopback (list, show, attach+detach) next to a bare node:http
// server answering the same fixed list body. Load from autocannon in this process, the server in
// a child process: on a 2-core machine each gets one core.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PROJECT_ROOT } from './run.ts';
import type { Served } from './serve.ts';
import { median } from './stats.ts';

export interface LoadFigure {
  readonly name: 'bare' | 'bare attach+detach' | 'list' | 'show' | 'attach+detach';
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  /** The rate of each round (see alternate). */
  readonly rounds?: readonly number[];
}

type Request = Pick<autocannon.Options, 'url' | 'headers' | 'requests' | 'method'>;

export interface LoadOptions {
  readonly connections: number;
  /** Load time of each figure, split into `rounds` rounds. */
  readonly durationSeconds: number;
  readonly rounds: number;
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

/** `seconds` of load from `connections` connections. */
async function load(
  name: LoadFigure['name'],
  connections: number,
  seconds: number,
  request: Request,
): Promise<LoadFigure> {
  const result = await autocannon({ ...request, connections, pipelining: 1, duration: seconds });
  return {
    name,
    requestsPerSecond: result.requests.total / (result.duration || seconds),
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

/** One figure over its rounds: the median rate and latencies, the requests and failures summed. */
function overRounds(name: LoadFigure['name'], rounds: readonly LoadFigure[]): LoadFigure {
  return {
    name,
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    latencyP50Ms: median(rounds.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(rounds.map((r) => r.latencyP99Ms)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    rounds: rounds.map((r) => r.requestsPerSecond),
  };
}

/**
 * Rounds of the bare server and the mock one after the other, under the same load: a change of
 * the machine's load (a neighbour on the host) then moves both figures of a round, and the
 * median of the rounds' ratios leaves out a round it hit one side of.
 */
async function alternate(
  options: LoadOptions,
  [bareName, bare]: [LoadFigure['name'], Request],
  [mockName, mock]: [LoadFigure['name'], Request],
): Promise<{ bare: LoadFigure; mock: LoadFigure; ratio: number }> {
  const { connections, warmupSeconds } = options;
  const round = options.durationSeconds / options.rounds;
  if (warmupSeconds > 0) {
    await load(bareName, connections, warmupSeconds, bare);
    await load(mockName, connections, warmupSeconds, mock);
  }
  const bareRounds: LoadFigure[] = [];
  const mockRounds: LoadFigure[] = [];
  for (let i = 0; i < options.rounds; i += 1) {
    bareRounds.push(await load(bareName, connections, round, bare));
    mockRounds.push(await load(mockName, connections, round, mock));
  }
  const ratios = mockRounds.map(
    (m, i) => m.requestsPerSecond / (bareRounds[i]?.requestsPerSecond ?? Number.NaN),
  );
  return {
    bare: overRounds(bareName, bareRounds),
    mock: overRounds(mockName, mockRounds),
    ratio: median(ratios),
  };
}

export interface Throughput {
  readonly figures: LoadFigure[];
  /** Each mock figure's ratio to its bare figure: the median over rounds of mock / bare. */
  readonly ratios: Record<string, number>;
}

/**
 * Runs the bare server and the mock (each in its own process, one loaded at a time) in
 * alternating rounds for each of list, show and attach+detach.
 */
export async function measureThroughput(options: LoadOptions): Promise<Throughput> {
  const mock = await spawnServer('mock', process.env);
  const served = mock.info as Served;
  const headers = { 'X-Auth-Token': served.token, 'OpenStack-API-Version': 'compute 2.70' };
  const path = `/compute/v2.1/servers/${served.serverId}/os-interface`;
  // The mock is started first to learn its bodies, which the bare server then answers with.
  const bare = await spawnServer('bare', {
    ...process.env,
    BENCH_BODY: served.listBody,
    BENCH_CONTENT_TYPE: served.listContentType,
  }).catch(async (error: unknown) => {
    await stopServer(mock.child);
    throw error;
  });
  try {
    const bareUrl = (bare.info as { url: string }).url;
    const interfaces = `${served.url}${path}`;
    const plain: [LoadFigure['name'], Request] = ['bare', { url: `${bareUrl}${path}` }];
    const list = await alternate(options, plain, ['list', { url: interfaces, headers }]);
    const show = await alternate(options, plain, [
      'show',
      { url: `${interfaces}/${served.portId}`, headers },
    ]);
    const cycle = await alternate(
      options,
      ['bare attach+detach', attachDetach(bareUrl, path, headers, served.netId)],
      ['attach+detach', attachDetach(served.url, path, headers, served.netId)],
    );
    const bareRounds = [...(list.bare.rounds ?? []), ...(show.bare.rounds ?? [])];
    return {
      figures: [
        { ...list.bare, requestsPerSecond: median(bareRounds), rounds: bareRounds },
        cycle.bare,
        list.mock,
        show.mock,
        cycle.mock,
      ],
      ratios: { list: list.ratio, show: show.ratio, 'attach+detach': cycle.ratio },
    };
  } finally {
    await Promise.all([stopServer(mock.child), stopServer(bare.child)]);
  }
}
