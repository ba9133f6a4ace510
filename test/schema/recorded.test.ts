import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { interfaceSchema, validate, type SchemaName } from '../../lib/schema/validator.ts';

// The schemas must accept every body real Nova (Zed under eventlet and uwsgi, Epoxy, 2026.2) answered,
// and the request schemas must reject every body real Nova rejected at schema level.
interface Recorded {
  n: number;
  title: string;
  method: string;
  path: string;
  request_headers: Record<string, string>;
  request_body: string | null;
  status: number;
  headers: [string, string][];
  body: string | null;
}

interface Transcript {
  placeholders: string[];
  records: Recorded[];
}

/** Each recording with its exchange count and the maximum microversion `latest` meant there. */
const RECORDINGS = [
  { name: 'eventlet', records: 72, latest: '2.93' },
  { name: 'uwsgi', records: 72, latest: '2.93' },
  { name: 'epoxy', records: 82, latest: '2.100' },
  { name: '2026.2', records: 82, latest: '2.104' },
] as const;
type RecordingName = (typeof RECORDINGS)[number]['name'];

function load(name: RecordingName): Transcript {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/real-nova/${name}.json`, import.meta.url), 'utf8'),
  ) as Transcript;
}

/** Realistic values for the placeholders the fixtures carry instead of the recorded ids. */
function values(placeholders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    mac: 'fa:16:3e:4f:58:a7',
    request_id: `req-${randomUUID()}`,
    length: '0',
    date: 'x',
  };
  for (const name of placeholders) {
    out[name] = /project_id|project_in_url|user_id/.test(name)
      ? randomUUID().replace(/-/g, '')
      : randomUUID();
  }
  return out;
}

function fill(text: string, map: Record<string, string>): string {
  return text.replace(/\{([a-z0-9_]+)\}/g, (match, key: string) => map[key] ?? match);
}

function effectiveVersion(record: Recorded): string {
  const header = record.headers.find(([name]) => name.toLowerCase() === 'openstack-api-version');
  return header?.[1].replace(/^compute /, '') ?? '2.1';
}

function responseSchema(record: Recorded): SchemaName | 'empty' | undefined {
  const isInterface = /\/os-interface(\/[^/?]+)?(\?.*)?$/.test(record.path);
  if (record.status === 401) return 'common/keystone-unauthorized';
  if (record.status >= 400)
    return record.headers.some(([n, v]) => n.toLowerCase() === 'content-type' && v.startsWith('text/html'))
      ? undefined
      : 'common/fault';
  if (record.path === '/') return 'common/versions';
  if (record.path === '/v2.1/') return 'common/version';
  if (!isInterface) return undefined;
  if (record.method === 'DELETE') return 'empty';
  const isList = /\/os-interface(\?.*)?$/.test(record.path) && record.method === 'GET';
  return interfaceSchema(isList ? 'list' : 'show', effectiveVersion(record));
}

function requestVersion(record: Recorded, latest: string): string {
  const standard = Object.entries(record.request_headers).find(
    ([n]) => n.toLowerCase() === 'openstack-api-version',
  )?.[1];
  const legacy = Object.entries(record.request_headers).find(
    ([n]) => n.toLowerCase() === 'x-openstack-nova-api-version',
  )?.[1];
  const value = standard?.replace(/^compute /, '') ?? legacy ?? '2.1';
  return value === 'latest' ? latest : value;
}

for (const { name, records, latest } of RECORDINGS) {
  const transcript = load(name);
  const map = { ...values(transcript.placeholders), compute_url: 'http://127.0.0.1:8774' };
  describe(`recorded real Nova (${name})`, () => {
    test(`has the ${records} exchanges`, () => {
      expect(transcript.records).toHaveLength(records);
    });

    const checked = transcript.records.filter((r) => responseSchema(r) !== undefined);
    test.each(checked.map((r) => [r.n, r.title, r] as const))(
      'response %i (%s) passes its schema',
      (_n, _title, record) => {
        const schema = responseSchema(record);
        const body = record.body === null ? '' : fill(record.body, map);
        if (schema === 'empty') {
          expect(body).toBe('');
          return;
        }
        expect(validate(schema as SchemaName, JSON.parse(body))).toEqual([]);
      },
    );

    const posts = transcript.records.filter(
      (r) => r.method === 'POST' && /\/os-interface$/.test(r.path) && r.request_body !== null,
    );
    test.each(posts.map((r) => [r.n, r.title, r] as const))(
      'request %i (%s): the request schema agrees with Nova',
      (_n, _title, record) => {
        let body: unknown;
        try {
          body = JSON.parse(fill(record.request_body ?? '', map));
        } catch {
          return; // a malformed body never reaches the schema
        }
        const version = requestVersion(record, latest);
        const schema =
          Number(version.split('.')[1]) >= 49
            ? 'os-interface/create-request-v2.49'
            : 'os-interface/create-request-v2.1';
        const problems = validate(schema, body);
        const rejectedBySchema =
          record.status === 400 &&
          /Invalid input for field\/attribute|Additional properties are not allowed|is not of type/.test(
            record.body ?? '',
          );
        expect(problems.length > 0).toBe(rejectedBySchema);
      },
    );
  });
}
