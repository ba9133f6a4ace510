import type { TestContext } from 'vitest';
import type { Fixtures } from '../../lib/harness/fixtures.ts';
import { requireWrites } from '../../lib/harness/outcomes.ts';
import { attachNewPort, type Guarded } from './attachments.ts';

/**
 * A port attached to the guarded server, for checks that only read it: one the server already has
 * (a configured server in a read-only run), else one attached here, which needs writes. Run inside
 * `onServer`, whose clean-up detaches what this attached.
 */
export async function anAttachedPort(
  ctx: TestContext,
  fx: Fixtures,
  guarded: Guarded,
  purpose: string,
): Promise<string> {
  const existing = [...guarded.baseline][0];
  if (existing !== undefined) return existing;
  await requireWrites(ctx, fx);
  const { port } = await attachNewPort(fx, guarded.server.id, purpose);
  return port.id;
}
