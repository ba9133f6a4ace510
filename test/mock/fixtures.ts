// Loader for the recorded real-Nova exchanges in test/fixtures/real-nova (see normalise.py there).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Release } from '../../lib/mock/releases.ts';

export interface RecordedExchange {
  n: number;
  title: string;
  note: string;
  method: string;
  path: string;
  request_headers: Record<string, string>;
  request_body: string | null;
  status: number;
  reason: string;
  headers: [string, string][];
  body: string | null;
}

export interface Transcript {
  source: string;
  placeholders: string[];
  nova_versions: unknown;
  records: RecordedExchange[];
}

export type TranscriptName = 'eventlet' | 'uwsgi' | 'epoxy' | '2026.2';

/** Each recording, the release it was made on, and how many exchanges it holds. */
export const TRANSCRIPTS: readonly {
  name: TranscriptName;
  release: Release;
  nova: string;
  records: number;
}[] = [
  { name: 'eventlet', release: 'zed', nova: 'Nova 26 Zed, eventlet nova-api', records: 72 },
  { name: 'uwsgi', release: 'zed', nova: 'Nova 26 Zed, nova-api under uwsgi', records: 72 },
  { name: 'epoxy', release: 'epoxy', nova: 'Nova 31 (2025.1 Epoxy)', records: 82 },
  { name: '2026.2', release: '2026.2', nova: 'Nova 34 (2026.2)', records: 82 },
];

/** The paths of Nova's version documents, which the fixtures keep verbatim but for {compute_url}. */
export const VERSION_PATHS = new Set(['/', '/v2', '/v2/', '/v2.1', '/v2.1/']);

export function loadTranscript(name: TranscriptName): Transcript {
  const file = fileURLToPath(new URL(`../fixtures/real-nova/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Transcript;
}

/** Replaces {placeholder} with values; unknown placeholders are left as they are. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z0-9_]+)\}/g, (m, key: string) => values[key] ?? m);
}
