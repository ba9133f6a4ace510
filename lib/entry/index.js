// The package's programmatic entry (`import { startMock, main } from 'nova-conformance'`). The
// sources are TypeScript run by tsx; a scoped tsx instance loads them, so that a user's own
// imports keep whatever loader they had.
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'nova-conformance' });

const mock = await tsx.import('../mock/start.ts', import.meta.url);

/** Starts the embedded mock cloud (Keystone, Nova, Neutron, Glance in memory) on 127.0.0.1. */
export const startMock = mock.startMock;

/** The `nova-conformance` command as a function: its arguments in, its exit code out. */
export async function main(argv) {
  // Loaded on first use: the runner pulls in the report and harness modules.
  const cli = await tsx.import('../cli/main.ts', import.meta.url);
  return cli.main(argv);
}
