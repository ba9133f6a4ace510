import type { AttachedServer, LeasedServer } from '../../lib/harness/check.ts';
import type { Fixtures } from '../../lib/harness/fixtures.ts';
import { requireWrites } from '../../lib/harness/outcomes.ts';
import { attachedPort } from './attachments.ts';

/**
 * A port attached to the check's server, for checks that only read it: the run's shared one, one
 * the server already has (a configured server), else one attached here, which needs writes and
 * which the check's teardown detaches.
 */
export async function anAttachedPort(
  fx: Fixtures,
  server: LeasedServer & Partial<Pick<AttachedServer, 'port'>>,
  purpose: string,
): Promise<string> {
  const existing = server.port?.id ?? [...server.baseline][0];
  if (existing !== undefined) return existing;
  await requireWrites(fx);
  const { port } = await attachedPort(fx, server.id, purpose);
  return port.id;
}
