import { defineConfig } from 'vitest/config';

// Two projects: the project's own tests, and the conformance suites against whatever target
// the configuration names (the embedded mock when no cloud is configured).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'conformance',
          // One module loads every suite file (suites/all.ts): the checks of all files share one
          // pool of slots and servers, and no file waits for another to end.
          include: ['suites/all.ts'],
          globalSetup: ['lib/harness/global-setup.ts'],

          // One worker, one module graph: the run shares one session and one server pool. Every
          // check runs concurrently on its own fixtures; how many hold fixtures at once is
          // CONFORMANCE_CONCURRENCY's (lib/harness/slots.ts), not vitest's.
          pool: 'forks',
          maxWorkers: 1,
          isolate: false,
          fileParallelism: false,
          sequence: { concurrent: true },
          maxConcurrency: 64,
          // A check may wait for a slot, a server boot and slow detaches before its own work.
          testTimeout: 1_800_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
