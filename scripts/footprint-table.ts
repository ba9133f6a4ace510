// Writes the check-by-check footprint table of docs/safety.md from real runs against the mock:
// which profile runs each check (read-only on an operator's server with one interface, standard
// and disruptive on servers of the run), and which servers the check receives (its fixtures).
//   npx tsx scripts/footprint-table.ts > /tmp/table.md
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRun } from '../lib/harness/open-run.ts';
import { openrcOf } from '../lib/harness/target.ts';
import { startMock } from '../lib/mock/start.ts';

const ROOT = join(import.meta.dirname, '..');

interface Summary {
  behaviours: { tests: { name: string; status: string }[] }[];
}

/** One run as a child process (the mock answers from this one, so the wait must not block). */
async function statuses(env: Record<string, string>): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'nova-conformance.js'), 'run'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...env,
      CONFORMANCE_REPORT_DIR: dir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`a ${env['CONFORMANCE_PROFILE']} run ended with exit code ${String(code)}`);
  const summary = JSON.parse(readFileSync(join(dir, 'latest', 'summary.json'), 'utf8')) as Summary;
  rmSync(dir, { recursive: true, force: true });
  return new Map(summary.behaviours.flatMap((b) => b.tests.map((t) => [t.name, t.status] as const)));
}

/**
 * Each check's fixtures, read from the destructuring of its function in the suites; keyed by its
 * name as a pattern (`${label}`, `$label` and `%s` stand for the parameters of generated checks).
 */
function fixturesOf(): [RegExp, string[]][] {
  const out: [RegExp, string[]][] = [];
  for (const file of readdirSync(join(ROOT, 'suites')).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(ROOT, 'suites', file), 'utf8');
    const pattern = /test(?:\.for\([^)]*\))?\(\s*(['"`])(.+?)\1,\s*(?:\{[^}]*\},\s*)?async \(([^)]*)\)/gs;
    for (const m of text.matchAll(pattern)) {
      const params = m[3] ?? '';
      const name = (m[2] ?? '').replace(/\\'/g, "'");
      const pattern = name
        .split(/\$\{[^}]+\}|\$[a-z]+|%s/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+');
      out.push([
        new RegExp(`^${pattern}$`),
        // `attachedServer: server` names the shared server, not a server of the check's own.
        ['ownServer', 'secondServer', 'attachedServer', 'detachCycle', 'server'].filter((f) =>
          new RegExp(f === 'server' ? '(?<!:\\s*)\\bserver\\b' : `\\b${f}\\b`).test(params),
        ),
      ]);
    }
  }
  return out;
}

const mock = await startMock({ port: 0, delays: { build: 20, detach: 20, portActive: 20, taskState: 50 } });
try {
  const base = { ...openrcOf(mock), CONFORMANCE_POLL_INTERVAL: '0.02', CONFORMANCE_WAIT_TIMEOUT: '20' };
  const owner = await openRun({ env: base });
  const token = (await owner.token()).value;
  const images = await owner.http.send({
    method: 'GET',
    url: `${owner.facts.imageBase}/v2/images`,
    headers: { 'X-Auth-Token': token },
  });
  const flavors = await owner.compute.call({ method: 'GET', path: '/flavors', token });
  const networks = await owner.network.call('GET', '/networks', token);
  const network = (networks.json as { networks: { id: string; subnets: string[] }[] }).networks.find(
    (n) => n.subnets.length > 0,
  );
  const port = await owner.network.call('POST', '/ports', token, {
    port: { name: 'operators-port', network_id: network?.id },
  });
  const booted = await owner.compute.call({
    method: 'POST',
    path: '/servers',
    token,
    microversion: '2.37',
    json: {
      server: {
        name: 'operators-server',
        imageRef: (images.json as { images: { id: string }[] }).images[0]?.id,
        flavorRef: (flavors.json as { flavors: { id: string }[] }).flavors[0]?.id,
        networks: [{ port: (port.json as { port: { id: string } }).port.id }],
      },
    },
  });
  const serverId = (booted.json as { server: { id: string } }).server.id;
  await new Promise((resolve) => setTimeout(resolve, 500));
  await owner.close();
  const readOnly = await statuses({
    ...base,
    CONFORMANCE_PROFILE: 'read-only',
    CONFORMANCE_SERVER_ID: serverId,
  });
  const standard = await statuses({ ...base, CONFORMANCE_PROFILE: 'standard' });
  const disruptive = await statuses({ ...base, CONFORMANCE_PROFILE: 'disruptive' });
  const fixtures = fixturesOf();
  const mark = (status: string | undefined): string =>
    status === undefined || status === 'skipped' ? '—' : 'runs';
  console.log('| Check | Servers it receives | What it may change | read-only | standard | disruptive |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, status] of disruptive) {
    const kinds = fixtures.find(([pattern]) => pattern.test(name))?.[1] ?? [];
    const servers = kinds.includes('ownServer')
      ? 'one booted for it alone, deleted after it'
      : kinds.includes('secondServer')
        ? 'two servers of the run'
        : kinds.includes('attachedServer')
          ? 'the server of the run with one interface that the reading checks share, or CONFORMANCE_SERVER_ID'
          : kinds.includes('detachCycle')
            ? 'the server of the run with the one attach and detach that the judging checks share, or CONFORMANCE_SERVER_ID'
            : kinds.includes('server')
              ? 'a server of the run, or CONFORMANCE_SERVER_ID'
              : 'none';
    const changes = name.startsWith('QUOTA')
      ? "its own ports; the project's port quota (put back after)"
      : kinds.includes('ownServer')
        ? 'its own ports; the state of its own server'
        : status === 'skipped'
          ? 'nothing (it runs on no target)'
          : kinds.includes('attachedServer') && !kinds.includes('server')
            ? 'nothing (reads); on CONFORMANCE_SERVER_ID its own port'
            : kinds.includes('detachCycle') && !kinds.includes('server')
              ? "nothing of its own (the run's one port attached and detached once); on CONFORMANCE_SERVER_ID its own port"
              : kinds.length === 0
                ? mark(readOnly.get(name)) === 'runs'
                  ? 'nothing (reads)'
                  : 'nothing (requests Nova refuses, to a server that does not exist)'
                : mark(readOnly.get(name)) === 'runs'
                  ? 'nothing in read-only; otherwise at most its own ports'
                  : 'its own ports (created, attached, detached, deleted)';
    console.log(
      `| ${name.replace(/\|/g, '\\|')} | ${servers} | ${changes} | ${mark(readOnly.get(name))} | ${mark(standard.get(name))} | ${mark(status)} |`,
    );
  }
} finally {
  await mock.stop();
}
