import type { Totals } from './model.ts';

/**
 * The run's counts as lines of text, for the console and for .ci/run's closing lines (which
 * read them from summary.json's totals.tests), so that both say the same.
 *
 * The plain line `N passed, N failed, N skipped` is what scripts grep; its three numbers add up
 * to every result: a known upstream defect counts as passed (the test passed its checks), an
 * error outside any test as failed, a blocked check as skipped (it did not run). The second line
 * says what those three hold apart.
 */
export function plainTotals(t: Totals): string {
  const passed = t.passed + t.knownUpstreamDefects;
  const failed = t.failed + t.errors;
  // Checks left out of the selection ran no more than skipped ones: the three still add up to every result.
  const skipped = t.skipped + t.blocked + t.notSelected;
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function apartTotals(t: Totals): string {
  return [
    `of these: ${plural(t.blocked, 'check', 'checks')} blocked by a failed prerequisite (in skipped)`,
    `${plural(t.knownUpstreamDefects, 'known upstream defect', 'known upstream defects')} (in passed)`,
    `${plural(t.errors, 'error', 'errors')} outside any test (in failed)`,
    ...(t.notSelected > 0 ? [`${t.notSelected} not selected (in skipped)`] : []),
  ].join(', ');
}

/** The model's own words, for the console's summary: every outcome by its name. */
export function outcomeTotals(t: Totals): string {
  return [
    `${t.passed} passed`,
    `${t.failed} failed`,
    `${t.blocked} blocked`,
    `${t.skipped} skipped`,
    plural(t.knownUpstreamDefects, 'known upstream defect', 'known upstream defects'),
    ...(t.errors > 0 ? [`${plural(t.errors, 'error', 'errors')} outside any test`] : []),
  ].join(', ');
}
