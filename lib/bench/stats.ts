// Pure helpers of the benchmark: ratios, request accounting and the table. No I/O, no clocks, so
// that test/bench can check them without timing anything.

/** A measured figure next to the limit it is compared with, both from the same run. */
export interface Ratio {
  readonly value: number;
  readonly limit: number;
  /** value / limit; undefined when the limit is zero or unknown. */
  readonly ratio: number | undefined;
  /** The target, e.g. "<= 3" or ">= 0.5". */
  readonly target: string;
  /** Whether the ratio meets the target; undefined when there is no ratio. */
  readonly met: boolean | undefined;
}

export function ratio(
  value: number,
  limit: number,
  target: { readonly atMost?: number; readonly atLeast?: number },
  /** The ratio itself, when it is not value / limit (the median of paired rounds' ratios). */
  measured?: number,
): Ratio {
  const raw = measured ?? (limit > 0 && Number.isFinite(limit) ? value / limit : Number.NaN);
  const r = Number.isFinite(raw) ? raw : undefined;
  const text =
    target.atMost !== undefined
      ? `<= ${target.atMost}`
      : target.atLeast !== undefined
        ? `>= ${target.atLeast}`
        : '';
  const met =
    r === undefined
      ? undefined
      : (target.atMost === undefined || r <= target.atMost) &&
        (target.atLeast === undefined || r >= target.atLeast);
  return { value, limit, ratio: r, target: text, met };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One HTTP request as the probe saw it from the client side. */
export interface SentRequest {
  /** "test:<name>", "suite:<name>", "(runner)" or "(worker)". */
  readonly task: string;
  readonly method: string;
  readonly url: string;
  readonly start: number;
  readonly end: number;
  readonly status: number;
}

const BEHAVIOUR_ID = /^([A-Z][A-Z0-9]*-\d+)\b/;

/**
 * The behaviour a request belongs to: the ID that starts the test's name (ATTACH-01), the
 * suite's hooks for requests made in beforeAll/afterAll, or the runner (preflight, cleanup).
 */
export function behaviourOf(task: string): string {
  if (task.startsWith('test:')) {
    const name = task.slice('test:'.length);
    return BEHAVIOUR_ID.exec(name)?.[1] ?? name;
  }
  if (task.startsWith('suite:')) return `(hooks of ${task.slice('suite:'.length)})`;
  if (task === '(runner)') return '(runner: preflight and cleanup)';
  return '(worker set-up)';
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** A server boot: POST to a compute endpoint's /servers collection that was accepted. */
export function isServerBoot(method: string, url: string, status: number): boolean {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
  return method === 'POST' && /\/servers$/.test(path) && status >= 200 && status < 300;
}

/** Length of the union of [start, end) intervals: time with at least one request in flight. */
export function busyTime(intervals: readonly { readonly start: number; readonly end: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else if (end > to) to = end;
  }
  if (to > from) total += to - from;
  return total;
}

export type Cell = string | number | undefined;

export function formatNumber(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(digits);
}

export function formatRatio(r: Ratio): string {
  if (r.ratio === undefined) return '–';
  const verdict = r.met === true ? 'met' : 'MISSED';
  return `${r.ratio.toFixed(2)} (target ${r.target}: ${verdict})`;
}

/** A Markdown table, columns padded so that it also reads well in a terminal. */
export function markdownTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (cell: Cell): string =>
    cell === undefined ? '–' : typeof cell === 'number' ? formatNumber(cell) : cell;
  const cells = [header.map(text), ...rows.map((row) => header.map((_, i) => text(row[i])))];
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head ?? []), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join(
    '\n',
  );
}

/** Parses `export NAME=value` / `NAME=value` lines of an openrc, with simple quoting; skips the rest. */
export function parseOpenrc(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (match === null) continue;
    let value = (match[2] ?? '').trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
      value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    vars[match[1] as string] = value;
  }
  return vars;
}
