import type { Status, Totals } from '../report/model.ts';
import type { ResultSummary } from '../report/summary-json.ts';

/** What verify reads of summary.json (lib/report/summary-json.ts writes it). */
export interface SummaryFile {
  readonly verdict: string;
  readonly runId: string | undefined;
  readonly endReason: string;
  readonly tool: Readonly<Record<string, unknown>>;
  readonly product: unknown;
  readonly target: Readonly<Record<string, unknown>>;
  readonly totals: Totals;
  readonly results: readonly ResultSummary[];
  readonly errors: readonly { readonly name: string }[];
  readonly behaviours: readonly {
    readonly id: string;
    readonly status: Status;
    readonly tests: readonly { readonly name: string; readonly status: Status }[];
  }[];
}

const STATUSES: readonly string[] = [
  'passed',
  'failed',
  'skipped',
  'blocked',
  'known-upstream-defect',
  'not-selected',
];
const KINDS: readonly string[] = ['test', 'prerequisite', 'cleanup'];

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isResult(value: unknown): boolean {
  const r = record(value);
  return (
    r !== undefined &&
    typeof r['key'] === 'string' &&
    typeof r['name'] === 'string' &&
    typeof r['scenario'] === 'string' &&
    KINDS.includes(String(r['kind'])) &&
    STATUSES.includes(String(r['status']))
  );
}

function isBehaviour(value: unknown): boolean {
  const b = record(value);
  return (
    b !== undefined &&
    typeof b['id'] === 'string' &&
    STATUSES.includes(String(b['status'])) &&
    Array.isArray(b['tests']) &&
    b['tests'].every(
      (t) => STATUSES.includes(String(record(t)?.['status'])) && typeof record(t)?.['name'] === 'string',
    )
  );
}

const TOTAL_FIELDS = [
  'tests',
  'passed',
  'failed',
  'errors',
  'skipped',
  'blocked',
  'knownUpstreamDefects',
  'notSelected',
] as const;

/** summary.json read back, or what it lacks. */
export function readSummary(text: string): SummaryFile | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const s = record(parsed);
  if (s === undefined) return 'is not a JSON object';
  const totals = record(record(s['totals'])?.['tests']);
  if (totals === undefined || !TOTAL_FIELDS.every((f) => Number.isInteger(totals[f])))
    return 'has no totals.tests';
  const results = s['results'];
  if (!Array.isArray(results) || !results.every(isResult))
    return 'has no results (written by nova-conformance before bundles), or a malformed one';
  const behaviours = s['behaviours'];
  if (!Array.isArray(behaviours) || !behaviours.every(isBehaviour)) return 'has malformed behaviours';
  const errors = s['errors'];
  if (!Array.isArray(errors) || !errors.every((e) => typeof record(e)?.['name'] === 'string'))
    return 'has malformed errors';
  if (typeof s['verdict'] !== 'string' || typeof s['endReason'] !== 'string') return 'has no verdict';
  return {
    verdict: s['verdict'],
    runId: typeof s['runId'] === 'string' ? s['runId'] : undefined,
    endReason: s['endReason'],
    tool: record(s['tool']) ?? {},
    product: s['product'],
    target: record(s['target']) ?? {},
    totals: totals as unknown as Totals,
    results: results as ResultSummary[],
    errors: errors as { name: string }[],
    behaviours: behaviours as SummaryFile['behaviours'],
  };
}
