// Loader for the recorded real-Nova exchanges in test/fixtures/real-nova (see normalise.py there).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

export type TranscriptName = 'eventlet' | 'uwsgi';

export function loadTranscript(name: TranscriptName): Transcript {
  const file = fileURLToPath(new URL(`../fixtures/real-nova/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Transcript;
}

/** Replaces {placeholder} with values; unknown placeholders are left as they are. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z0-9_]+)\}/g, (m, key: string) => values[key] ?? m);
}
