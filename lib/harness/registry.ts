import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type ResourceKind = 'server' | 'port' | 'quota';

export interface JournalEntry {
  readonly event: 'creating' | 'created' | 'gone';
  readonly kind: ResourceKind;
  readonly name: string;
  readonly id?: string;
  /** For a quota: the project and the value to restore. */
  readonly detail?: Record<string, unknown>;
}

/**
 * An append-only journal of what the run creates. Entries are written (synchronously) before the
 * create request is sent and again once the id is known, so that whoever drains the journal (the
 * runner at the end, on a signal, or `cleanup` after a crash) finds everything the run made.
 */
export class Registry {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  private write(entry: JournalEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }

  creating(kind: ResourceKind, name: string, detail?: Record<string, unknown>): void {
    this.write({ event: 'creating', kind, name, ...(detail !== undefined && { detail }) });
  }

  created(kind: ResourceKind, name: string, id: string, detail?: Record<string, unknown>): void {
    this.write({ event: 'created', kind, name, id, ...(detail !== undefined && { detail }) });
  }

  gone(kind: ResourceKind, name: string, id?: string): void {
    this.write({ event: 'gone', kind, name, ...(id !== undefined && { id }) });
  }
}

/** What the journal says still exists (or may exist: created without a known id). */
export function outstanding(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const live = new Map<string, JournalEntry>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // a line cut short by a kill
    }
    const key = `${entry.kind}:${entry.name}:${entry.id ?? ''}`;
    const byName = `${entry.kind}:${entry.name}:`;
    if (entry.event === 'gone') {
      live.delete(key);
      live.delete(byName);
    } else if (entry.event === 'created') {
      live.delete(byName);
      live.set(key, entry);
    } else {
      live.set(byName, entry);
    }
  }
  return [...live.values()];
}
