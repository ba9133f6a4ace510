import { expect, test } from 'vitest';
import {
  buildReport,
  CLEANUP_NAME,
  FATAL_NAME,
  type Collected,
  type RunFacts,
} from '../../lib/report/build.ts';

// The verdict of the model at its edges, without running vitest.
const FACTS: RunFacts = {
  runId: 'r1',
  target: {
    kind: 'mock',
    computeEndpoint: undefined,
    authUrl: undefined,
    region: undefined,
    microversions: undefined,
  },
  tool: { name: 'nova-conformance', version: '0', gitCommit: undefined, node: process.version },
  configuration: {},
};
const NOTHING: Collected = {
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  endReason: 'passed',
  tests: [],
  prerequisites: new Map(),
  errors: [],
};

test('a passed cleanup alone is not a passed run: nothing was checked', () => {
  const report = buildReport(NOTHING, FACTS, { cleanup: { removed: [], failed: [] } });
  expect(report.tests.map((t) => [t.name, t.status])).toEqual([[CLEANUP_NAME, 'passed']]);
  expect(report.totals.passed).toBe(1);
  expect(report.verdict).toBe('NOTHING RAN');
});

test("a runner's fatal error is an error outside any test and fails the run", () => {
  const report = buildReport(NOTHING, FACTS, { fatal: 'vitest failed to start' });
  expect(report.errors).toEqual([
    expect.objectContaining({ name: FATAL_NAME, message: 'vitest failed to start' }),
  ]);
  expect(report.totals).toMatchObject({ tests: 1, errors: 1 });
  expect(report.verdict).toBe('FAILED');
});

test('an interruption wins over everything else', () => {
  const report = buildReport(NOTHING, FACTS, {
    interrupted: true,
    cleanup: { removed: [], failed: ['port p1'] },
  });
  expect(report.verdict).toBe('INTERRUPTED');
  expect(report.endReason).toBe('interrupted');
});
