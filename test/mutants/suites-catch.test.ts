import { expect, test } from 'vitest';
import { mutantByName } from '../../lib/mutants/catalogue.ts';
import { runMutants } from '../../lib/mutants/runner.ts';
import type { Mutant } from '../../lib/mutants/types.ts';

// One deliberate deviation per suite (a changed status, a dropped field, an accepted bad input,
// ...), put in front of the mock: each must make a test of that suite fail. `npm run mutants`
// runs the whole catalogue; this keeps the proof inside the project's own tests.
const ONE_PER_SUITE = [
  'list-missing-port-state', // list: a field dropped
  'show-another-port', // show: the wrong port answered
  'attach-201', // attach: a changed status
  'detach-never-detaches', // detach: 202 but nothing happens
  'lock-not-enforced', // state: a locked server accepts
  'lenient-unknown-properties', // errors: a bad input accepted
  'tenant-mismatch-ignored', // tenant-mismatch: another project's id in the URL accepted
  'mv-legacy-header-ignored', // microversions: the legacy header ignored
  'auth-not-enforced', // auth: no token accepted
  'request-id-missing', // headers: no request id
];

test('each suite fails on a deviation of its own', { timeout: 240_000 }, async () => {
  const mutants = ONE_PER_SUITE.map((name) => mutantByName(name)).filter((m): m is Mutant => m !== undefined);
  expect(mutants.map((m) => m.name)).toEqual(ONE_PER_SUITE);
  const report = await runMutants({
    mutants,
    target: { kind: 'mock' },
    lanes: 2,
    childTimeoutSeconds: 120,
    skipIdentity: true,
  });
  const verdicts = Object.fromEntries(report.mutants.map((m) => [m.name, m.verdict]));
  expect(verdicts).toEqual(Object.fromEntries(ONE_PER_SUITE.map((name) => [name, 'killed'])));
  for (const result of report.mutants) {
    // A kill only counts when the deviation really reached the suite.
    expect(result.fired, result.name).toBeGreaterThan(0);
    // ... and it is a test of the suite the deviation belongs to that noticed it.
    const files = result.failures.map((failure) => failure.file);
    expect(
      files.some((file) => result.suites.some((suite) => file.includes(`${suite}.test.ts`))),
      `${result.name}: ${files.join(', ')}`,
    ).toBe(true);
  }
});
