import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { ComputeClient } from '../openstack/compute.ts';
import { HttpClient } from '../openstack/http.ts';
import { NetworkClient } from '../openstack/network.ts';
import { drainJournal, removePort, removeServer, type CleanupClients } from '../harness/cleanup.ts';
import { preflight, type Who } from '../harness/preflight.ts';
import { NAME_PREFIX } from '../harness/run-context.ts';
import { EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_PASSED } from './exit-codes.ts';
import { printFatal } from './fatal.ts';

/**
 * `nova-conformance cleanup [--dry-run]`: finds what earlier runs left on the cloud (runs that
 * died before their own cleanup: SIGKILL, power loss) by the name marker every resource carries,
 * and by the journals in the report folder, and removes it.
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
  let http: HttpClient;
  let reportDir: string;
  try {
    const config = loadConfig();
    if (config.cloud === undefined) {
      process.stderr.write(
        'nova-conformance cleanup: no cloud configured (set OS_AUTH_URL or OS_CLOUD); the embedded mock keeps nothing between runs\n',
      );
      return EXIT_ENVIRONMENT;
    }
    reportDir = config.reportDir;
    http = new HttpClient({
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      tls: config.cloud.tls,
    });
    const facts = await preflight(config, http);
    clients = {
      compute: new ComputeClient(http, facts.computeBase),
      network: new NetworkClient(http, facts.networkBase),
      token: async (who: Who) => (facts.tokens[who] ?? facts.tokens.primary)?.value ?? '',
      waitTimeoutMs: config.waitTimeoutMs,
      pollIntervalMs: config.pollIntervalMs,
    };
  } catch (error) {
    printFatal(error);
    return EXIT_ENVIRONMENT;
  }

  const removed: string[] = [];
  const failed: string[] = [];
  try {
    const token = await clients.token('primary');
    const servers = await clients.compute.call({
      method: 'GET',
      path: `/servers?name=${encodeURIComponent(`^${NAME_PREFIX}-`)}`,
      token,
    });
    const ports = await clients.network.call('GET', '/ports', token);
    const leftovers = [
      ...((servers.json as { servers?: { id: string; name: string }[] } | undefined)?.servers ?? [])
        .filter((s) => s.name.startsWith(`${NAME_PREFIX}-`))
        .map((s) => ({ kind: 'server' as const, ...s })),
      ...((ports.json as { ports?: { id: string; name: string }[] } | undefined)?.ports ?? [])
        .filter((p) => p.name.startsWith(`${NAME_PREFIX}-`))
        .map((p) => ({ kind: 'port' as const, ...p })),
    ];
    if (leftovers.length === 0) console.log('No leftovers of earlier runs found.');
    for (const item of leftovers) {
      const label = `${item.kind} ${item.name} (${item.id})`;
      if (dryRun) {
        console.log(`would remove ${label}`);
        continue;
      }
      const answer =
        item.kind === 'server'
          ? await removeServer(clients, item.id)
          : await removePort(clients, item.id, 'primary');
      if (answer.status < 300 || answer.status === 404) {
        removed.push(label);
        console.log(`removed ${label}`);
      } else {
        failed.push(`${label}: DELETE answered ${answer.status}`);
      }
    }
    if (!dryRun) {
      const journalDir = join(reportDir, 'journal');
      let journals: string[] = [];
      try {
        journals = readdirSync(journalDir).filter((name) => name.endsWith('.jsonl'));
      } catch {
        journals = [];
      }
      for (const name of journals) {
        const result = await drainJournal(join(journalDir, name), clients);
        removed.push(...result.removed);
        failed.push(...result.failed);
        if (result.failed.length === 0) rmSync(join(journalDir, name));
      }
    }
  } catch (error) {
    printFatal(error);
    return EXIT_ENVIRONMENT;
  } finally {
    await http.close();
  }
  for (const line of failed) process.stderr.write(`nova-conformance cleanup: could not remove ${line}\n`);
  if (!dryRun) console.log(`${removed.length} removed, ${failed.length} failed`);
  return failed.length > 0 ? EXIT_FAILED : EXIT_PASSED;
}
