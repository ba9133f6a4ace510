import type { Entry } from 'har-format';
import type { ResultSummary } from '../report/summary-json.ts';
import { validate, validatorFor, type SchemaName } from '../schema/validator.ts';
import { HAR_FILE } from './har.ts';
import { problem, type Problem } from './problem.ts';

interface HarCheck {
  readonly problems: Problem[];
  readonly entries: number;
  /** Bodies validated again against their schema. */
  readonly revalidated: number;
}

/** Whether this installation has a schema of that name (lib/schema/validator.ts). */
function known(name: string): boolean {
  try {
    validatorFor(name as SchemaName);
    return true;
  } catch {
    return false;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The entries of a HAR 1.2 file, or why it is not one. */
export function readHar(text: string): Entry[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const log = record(record(parsed)?.['log']);
  if (log === undefined || log['version'] !== '1.2' || !Array.isArray(log['entries']))
    return 'is not a HAR 1.2 file (log.version, log.entries)';
  const entries = log['entries'] as unknown[];
  for (const [i, e] of entries.entries()) {
    const entry = record(e);
    const request = record(entry?.['request']);
    const response = record(entry?.['response']);
    if (
      typeof entry?.['_check'] !== 'string' ||
      !Number.isInteger(entry['_index']) ||
      typeof request?.['method'] !== 'string' ||
      typeof request['url'] !== 'string' ||
      typeof response?.['status'] !== 'number' ||
      typeof record(response['content'])?.['text'] !== 'string'
    )
      return `entry ${i + 1} lacks its check (_check, _index), request or response`;
  }
  return entries as Entry[];
}

function problemsOf(schema: SchemaName, body: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return ['the body is not JSON'];
  }
  return validate(schema, data);
}

const JUDGED_PASSED = new Set(['passed', 'known-upstream-defect']);

/**
 * Each exchange against the outcome of its check: every entry names a result of summary.json;
 * every recorded body is validated again against the schema the harness used, and a check
 * recorded as passed must not have one that fails it where the check judged it (the problems it
 * left to other behaviours' checks are listed in `_schemaIgnored`); a failed check's exchange
 * (summary.json's failedExchange) must be among its entries, as recorded.
 */
export function checkHar(entries: readonly Entry[], results: readonly ResultSummary[]): HarCheck {
  const problems: Problem[] = [];
  const byKey = new Map(results.map((r) => [r.key, r]));
  const ofCheck = new Map<string, Entry[]>();
  let revalidated = 0;
  for (const [i, entry] of entries.entries()) {
    const where = `entry ${i + 1}`;
    const key = entry['_check'] as string;
    const result = byKey.get(key);
    if (result === undefined) {
      problems.push(problem(HAR_FILE, `${where} names a check summary.json does not have: ${key}`));
      continue;
    }
    ofCheck.set(key, [...(ofCheck.get(key) ?? []), entry]);
    const schema = entry['_schema'];
    if (schema === undefined) continue;
    if (typeof schema !== 'string' || !known(schema)) {
      problems.push(problem(HAR_FILE, `${where} names a schema this suite does not have: ${String(schema)}`));
      continue;
    }
    if (entry['_truncated'] === true) continue;
    revalidated += 1;
    const ignoredField = entry['_schemaIgnored'];
    const ignored = new Set(Array.isArray(ignoredField) ? ignoredField.map(String) : []);
    const judged = problemsOf(schema as SchemaName, entry.response.content.text ?? '').filter(
      (p) => !ignored.has(p),
    );
    if (judged.length > 0 && JUDGED_PASSED.has(result.status))
      problems.push(
        problem(
          HAR_FILE,
          `${where} (${entry.request.method} ${entry.request.url}) has a body that fails ${schema} (${judged[0] ?? ''}), yet summary.json records '${result.name}' ${result.status}`,
        ),
      );
  }
  for (const r of results) {
    const failed = r.failedExchange;
    if (r.kind !== 'test' || r.status !== 'failed' || failed === undefined) continue;
    const own = ofCheck.get(r.key) ?? [];
    const same = (e: Entry): boolean =>
      e.request.method === failed.method &&
      e.request.url === failed.url &&
      e.response.status === failed.status;
    const found =
      r.failedExchangeIndex === undefined
        ? own.some(same)
        : own.some((e) => e['_index'] === r.failedExchangeIndex && same(e));
    if (!found)
      problems.push(
        problem(
          'summary.json',
          `'${r.name}' failed on ${failed.method} ${failed.url} -> ${failed.status}, an exchange ${HAR_FILE} does not hold for it`,
        ),
      );
  }
  return { problems, entries: entries.length, revalidated };
}
