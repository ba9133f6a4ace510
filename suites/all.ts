// The conformance project's one vitest module: it loads every suite file, so that the checks of
// all of them run at once, bounded by CONFORMANCE_CONCURRENCY's slots (lib/harness/scenario.ts).
import { loadSuite, suiteFiles } from '../lib/harness/scenario.ts';

for (const suite of suiteFiles()) await loadSuite(suite);
