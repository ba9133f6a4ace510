// Preload for the processes of a benchmarked conformance run (given with NODE_OPTIONS=--import,
// so the runner and its vitest worker both load it). Plain JavaScript on purpose: loading tsx here
// would add its start-up cost to every process and so to the very figures being measured.
//
// It only observes: diagnostics channels of undici (the harness's HTTP client) and of node:http
// (the embedded mock's server), plus the process's own resource usage. At exit each process writes
// one JSON file into BENCH_PROBE_DIR, named after its pid.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dir = process.env.BENCH_PROBE_DIR;

if (dir !== undefined && dir !== '') {
  /** Requests this process sent: [task, method, url, startMs, endMs, status, requestId]. */
  const sent = [];
  /** Requests this process served (the embedded mock): [method, path, status, requestId, startMs, endMs]. */
  const served = [];
  /**
   * Exchanges as the harness attributes them (lib/harness/api.ts publishes each with its owner):
   * [checkId | null, checkName | null, file | null, method, url, status, startMs, endMs, retries,
   * createdServerId | null, createdPortId | null, requestId | null]. Concurrent checks share one
   * process, so only this says which check (or the shared server pool, null) made a request.
   */
  const owned = [];
  const open = new WeakMap();
  // performance.now() is relative to this process's start; timeOrigin puts every process on one clock.
  const now = () => performance.timeOrigin + performance.now();

  /** The vitest task running now (a test, or the suite whose hooks run), as "file > name" text. */
  const currentTask = () => {
    // vitest keeps its worker state on globalThis; outside a worker there is none.
    const state = globalThis.__vitest_worker__;
    const task = state?.current;
    if (task === undefined || task === null) return state === undefined ? '(runner)' : '(worker)';
    return `${task.type}:${task.name}`;
  };

  subscribe('undici:request:create', ({ request }) => {
    open.set(request, {
      task: currentTask(),
      method: request.method,
      url: `${request.origin}${request.path}`,
      start: now(),
      status: 0,
      requestId: undefined,
    });
  });
  subscribe('undici:request:headers', ({ request, response }) => {
    const entry = open.get(request);
    if (entry === undefined) return;
    entry.status = response.statusCode;
    const headers = response.headers;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'x-openstack-request-id')
        entry.requestId = String(headers[i + 1]);
    }
  });
  const finish = (request) => {
    const entry = open.get(request);
    if (entry === undefined) return;
    open.delete(request);
    sent.push([
      entry.task,
      entry.method,
      entry.url,
      entry.start,
      now(),
      entry.status,
      entry.requestId ?? null,
    ]);
  };
  subscribe('undici:request:trailers', ({ request }) => finish(request));
  subscribe('undici:request:error', ({ request }) => finish(request));

  subscribe('nova-conformance:exchange', ({ owner, exchange }) => {
    const end = now();
    const check = owner?.check;
    const accepted = exchange.method === 'POST' && exchange.status >= 200 && exchange.status < 300;
    const created = accepted ? exchange.json?.server?.id : undefined;
    const port = accepted
      ? (exchange.json?.port?.id ?? exchange.json?.interfaceAttachment?.port_id)
      : undefined;
    owned.push([
      check?.id ?? null,
      check?.name ?? null,
      check?.file ?? null,
      exchange.method,
      exchange.url,
      exchange.status,
      end - exchange.durationMs,
      end,
      exchange.retries,
      typeof created === 'string' ? created : null,
      typeof port === 'string' ? port : null,
      exchange.requestId ?? null,
    ]);
  });

  subscribe('http.server.request.start', ({ request, response }) => {
    const start = now();
    response.once('finish', () => {
      const id = response.getHeader('x-openstack-request-id');
      served.push([
        request.method,
        (request.url ?? '/').split('?')[0],
        response.statusCode,
        typeof id === 'string' ? id : null,
        start,
        now(),
      ]);
    });
  });

  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const usage = process.resourceUsage();
    const report = {
      pid: process.pid,
      ppid: process.ppid,
      argv: process.argv.slice(1),
      worker: globalThis.__vitest_worker__ !== undefined,
      startedAt: performance.timeOrigin,
      endedAt: now(),
      cpuUserUs: usage.userCPUTime,
      cpuSystemUs: usage.systemCPUTime,
      maxRssKiB: usage.maxRSS,
      sent,
      owned,
      served,
    };
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(report));
    } catch {
      // A benchmark must never change how the run ends.
    }
  };
  process.once('exit', write);
  // vitest ends its fork workers with SIGTERM, which skips 'exit'. Write first, then let the signal
  // do what it would have done: end the process, unless someone else handles it (the runner does,
  // to drain its cleanup journal), in which case this listener must not change anything.
  const onTerm = () => {
    const others = process.listeners('SIGTERM').filter((listener) => listener !== onTerm);
    if (others.length > 0) return;
    write();
    process.off('SIGTERM', onTerm);
    process.kill(process.pid, 'SIGTERM');
  };
  process.on('SIGTERM', onTerm);
}
