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
          include: ['suites/**/*.test.ts'],
          globalSetup: ['lib/harness/global-setup.ts'],
          setupFiles: ['lib/harness/test-setup.ts'],
          // One worker, one module graph: the run shares one token and one server across files.
          pool: 'forks',
          maxWorkers: 1,
          isolate: false,
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
