/**
 * junit.xml read back for verify: only what lib/report/junit-xml.ts writes (one testcase per
 * result, the `status` property, a failure, skipped or error element), never general XML. Text
 * and attribute values are escaped there, so a tag cannot occur inside them.
 */
interface JunitCase {
  readonly name: string;
  readonly classname: string;
  /** The testcase's `status` property; undefined on an error outside any test. */
  readonly status: string | undefined;
  readonly element: 'failure' | 'skipped' | 'error' | undefined;
}

export interface JunitFile {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly cases: readonly JunitCase[];
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/\s([A-Za-z][\w-]*)="([^"]*)"/g))
    out[match[1] ?? ''] = unescape(match[2] ?? '');
  return out;
}

/** The file's testcases and root counts, or why it is not a junit.xml of this tool. */
export function readJunit(text: string): JunitFile | string {
  const root = /<testsuites\b([^>]*)>/.exec(text);
  if (root === null) return 'has no <testsuites> element';
  const counts = attributesOf(root[1] ?? '');
  const number = (name: string): number => Number(counts[name] ?? Number.NaN);
  const cases: JunitCase[] = [];
  for (const match of text.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attributes = attributesOf(match[1] ?? '');
    const body = match[3] ?? '';
    const status = /<property name="status" value="([^"]*)"\/>/.exec(body)?.[1];
    const element = /<failure\b/.test(body)
      ? 'failure'
      : /<error\b/.test(body)
        ? 'error'
        : /<skipped\b/.test(body)
          ? 'skipped'
          : undefined;
    cases.push({
      name: attributes['name'] ?? '',
      classname: attributes['classname'] ?? '',
      status: status === undefined ? undefined : unescape(status),
      element,
    });
  }
  const file = { tests: number('tests'), failures: number('failures'), errors: number('errors'), cases };
  if (![file.tests, file.failures, file.errors].every(Number.isInteger))
    return 'has no tests, failures and errors counts on <testsuites>';
  return file;
}
