import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { drainJournal, removePort, removeServer, type CleanupClients } from '../harness/cleanup.ts';
import { openRun, type OpenRun } from '../harness/open-run.ts';
import type { Who } from '../harness/preflight.ts';
import { liveRunIds, outstanding, pruneDeadLocks } from '../harness/registry.ts';
import { NAME_PREFIX } from '../harness/run-context.ts';
import { EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_PASSED } from './exit-codes.ts';
import { printFatal } from './fatal.ts';

interface Leftover {
  readonly kind: 'server' | 'port';
  readonly id: string;
  readonly name: string;
  readonly who: Who;
}

/** The run id inside a resource name `nova-conformance-<runId>-<purpose>`, if it has one. */
export function runIdOf(name: string): string | undefined {
  return new RegExp(`^${NAME_PREFIX}-(\\d{8}-[0-9a-f]+)-`).exec(name)?.[1];
}

function journalsIn(journalDir: string): string[] {
  try {
    return readdirSync(journalDir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
}

/** Servers and ports carrying the marker, as every configured identity that may own them sees them. */
async function findLeftovers(clients: CleanupClients, identities: readonly Who[]): Promise<Leftover[]> {
  const found = new Map<string, Leftover>();
  for (const who of identities) {
    const token = await clients.token(who);
    const servers = await clients.compute.call({
      method: 'GET',
      path: `/servers?name=${encodeURIComponent(`^${NAME_PREFIX}-`)}`,
      token,
    });
    for (const s of (servers.json as { servers?: { id: string; name: string }[] } | undefined)?.servers ?? [])
      if (typeof s.name === 'string' && s.name.startsWith(`${NAME_PREFIX}-`) && !found.has(s.id))
        found.set(s.id, { kind: 'server', id: s.id, name: s.name, who });
    const ports = await clients.network.call('GET', '/ports', token);
    for (const p of (ports.json as { ports?: { id: string; name: string }[] } | undefined)?.ports ?? [])
      if (typeof p.name === 'string' && p.name.startsWith(`${NAME_PREFIX}-`) && !found.has(p.id))
        found.set(p.id, { kind: 'port', id: p.id, name: p.name, who });
  }
  // Servers first: deleting one frees the ports attached to it.
  return [...found.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'server' ? -1 : 1));
}

/**
 * `nova-conformance cleanup [--dry-run]`: finds what earlier runs left on the cloud (runs that
 * died before their own cleanup: SIGKILL, power loss) by the journals in the report folder and by
 * the name marker every resource carries, and removes it. Runs still in progress on this host
 * (their runner process alive) are left alone.
 */
export async function runCleanup(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((arg) => arg !== '--dry-run');
  if (unknown.length > 0) {
    process.stderr.write(
      `nova-conformance cleanup: unknown argument '${unknown[0] ?? ''}'; the only option is --dry-run\n`,
    );
    return EXIT_ENVIRONMENT;
  }
  const dryRun = argv.includes('--dry-run');
  let clients: CleanupClients;
  let opened: OpenRun | undefined;
  let reportDir: string;
  let identities: Who[];
  try {
    const config = loadConfig();
    if (config.cloud === undefined) {
      process.stderr.write(
        'nova-conformance cleanup: no cloud configured (set OS_AUTH_URL or OS_CLOUD); the embedded mock keeps nothing between runs\n',
      );
      return EXIT_ENVIRONMENT;
    }
    if (config.readOnly) {
      process.stderr.write(
        'nova-conformance cleanup: the profile is read-only; a read-only run creates nothing, and cleanup would delete\n',
      );
      return EXIT_ENVIRONMENT;
    }
    reportDir = config.reportDir;
    const run = await openRun({ config });
    opened = run;
    identities = (['primary', 'alt'] as const).filter((who) => run.has(who));
    clients = {
      compute: run.compute,
      network: run.network,
      token: (who: Who) => run.tokenOrPrimary(who),
      waitTimeoutMs: config.waitTimeoutMs,
      pollIntervalMs: config.pollIntervalMs,
    };
  } catch (error) {
    printFatal(error);
    await opened?.close();
    return EXIT_ENVIRONMENT;
  }

  const removed: string[] = [];
  const failed: string[] = [];
  let listed = 0;
  try {
    const journalDir = join(reportDir, 'journal');
    // Runs in progress on this host, whatever report folder they write to.
    const live = liveRunIds();
    for (const runId of live)
      console.log(`run ${runId} is still in progress on this host (its runner is alive): left alone`);

    // The journals first: they know ids the marker scan cannot see (another identity's ports)
    // and the quotas to restore.
    for (const name of journalsIn(journalDir)) {
      const path = join(journalDir, name);
      if (live.has(name.replace(/\.jsonl$/, ''))) continue;
      if (dryRun) {
        for (const entry of outstanding(path)) {
          listed += 1;
          console.log(
            `would remove ${entry.kind} ${entry.name}${entry.id !== undefined ? ` (${entry.id})` : ''}`,
          );
        }
        continue;
      }
      const result = await drainJournal(path, clients);
      for (const line of result.removed) console.log(`removed ${line}`);
      removed.push(...result.removed);
      failed.push(...result.failed);
      if (result.failed.length === 0) rmSync(path);
    }

    const reported = new Set(removed);
    const leftovers = (await findLeftovers(clients, identities)).filter((item) => {
      const runId = runIdOf(item.name);
      return runId === undefined || !live.has(runId);
    });
    for (const item of leftovers) {
      const label = `${item.kind} ${item.name} (${item.id})`;
      if (reported.has(label)) continue;
      if (dryRun) {
        listed += 1;
        console.log(`would remove ${label}`);
        continue;
      }
      try {
        const answer =
          item.kind === 'server'
            ? await removeServer(clients, item.id)
            : await removePort(clients, item.id, item.who);
        if (answer.status < 300 || answer.status === 404) {
          removed.push(label);
          console.log(`removed ${label}`);
        } else {
          failed.push(`${label}: DELETE answered ${answer.status}`);
        }
      } catch (error) {
        failed.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    printFatal(error);
    return EXIT_ENVIRONMENT;
  } finally {
    await opened.close();
  }
  if (!dryRun && failed.length === 0) pruneDeadLocks();
  for (const line of failed) process.stderr.write(`nova-conformance cleanup: could not remove ${line}\n`);
  if (dryRun)
    console.log(
      listed === 0
        ? 'No leftovers of earlier runs found.'
        : `${listed} would be removed (dry run: nothing changed)`,
    );
  else if (removed.length === 0 && failed.length === 0) console.log('No leftovers of earlier runs found.');
  else console.log(`${removed.length} removed, ${failed.length} failed`);
  return failed.length > 0 ? EXIT_FAILED : EXIT_PASSED;
}
