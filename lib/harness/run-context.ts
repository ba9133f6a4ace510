import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Variables the runner sets for the test worker; none of them holds a secret except the preflight. */
export const RUN_ID_VARIABLE = 'NOVA_CONFORMANCE_RUN_ID';
export const JOURNAL_VARIABLE = 'NOVA_CONFORMANCE_JOURNAL';

/** The marker every resource of the suite carries in its name, so `cleanup` can find leftovers. */
export const NAME_PREFIX = 'nova-conformance';

export function newRunId(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function resourceName(runId: string, purpose: string): string {
  return `${NAME_PREFIX}-${runId}-${purpose}`;
}

export function journalPath(reportDir: string, runId: string): string {
  return join(reportDir, 'journal', `${runId}.jsonl`);
}
