import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * `attachment`: an attach by network to a server the run did not create, whose port Nova makes
 * and names nothing: the journal holds the server and its ports before, so a drain can find it.
 */
export type ResourceKind = 'server' | 'port' | 'quota' | 'attachment';

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

// ---- run locks ---------------------------------------------------------------------------------

/**
 * A run in progress holds a lock file (its runner's pid and host) in one folder per machine, not
 * in its report folder: `cleanup` leaves alone the resources and journal of every run whose lock
 * names a process still alive on this host, whatever report folder either of them uses.
 */
export interface RunLock {
  readonly runId: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly journal: string;
}

/** Where the locks live; NOVA_CONFORMANCE_LOCK_DIR moves it (the project's tests use their own). */
function lockDir(): string {
  return process.env['NOVA_CONFORMANCE_LOCK_DIR'] ?? join(tmpdir(), 'nova-conformance-runs');
}

function lockFile(runId: string): string {
  return join(lockDir(), `${runId}.lock`);
}

export function writeRunLock(journal: string, runId: string): void {
  mkdirSync(lockDir(), { recursive: true });
  const lock: RunLock = {
    runId,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    journal,
  };
  writeFileSync(lockFile(runId), `${JSON.stringify(lock)}\n`);
}

export function releaseRunLock(runId: string): void {
  rmSync(lockFile(runId), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock belongs to a run still in progress (on this host; others cannot be checked). */
export function isLive(lock: RunLock): boolean {
  return lock.host === hostname() && Number.isInteger(lock.pid) && alive(lock.pid);
}

/** Run ids of the runs in progress on this host. */
export function liveRunIds(): Set<string> {
  const live = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(lockDir()).filter((name) => name.endsWith('.lock'));
  } catch {
    return live;
  }
  for (const name of names) {
    try {
      const lock = JSON.parse(readFileSync(join(lockDir(), name), 'utf8')) as RunLock;
      if (isLive(lock)) live.add(lock.runId ?? basename(name, '.lock'));
    } catch {
      // An unreadable lock was cut short by a kill: its run is not running any more.
    }
  }
  return live;
}

/** Removes the locks of runs that died on this host without releasing them (SIGKILL, power loss). */
export function pruneDeadLocks(): void {
  let names: string[];
  try {
    names = readdirSync(lockDir()).filter((name) => name.endsWith('.lock'));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(lockDir(), name);
    try {
      const lock = JSON.parse(readFileSync(path, 'utf8')) as RunLock;
      if (lock.host === hostname() && !isLive(lock)) rmSync(path, { force: true });
    } catch {
      rmSync(path, { force: true });
    }
  }
}

// ---- pruning -----------------------------------------------------------------------------------

/**
 * Removes the journals of finished runs that are drained, except those of the runs in `keep`
 * (the run directories the report directory keeps). A journal stays while its run is in progress
 * on this host, or while it still names something to remove: `cleanup` needs it then.
 */
export function pruneJournals(dir: string, keep: ReadonlySet<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const live = liveRunIds();
  const removed: string[] = [];
  for (const name of names) {
    const runId = basename(name, '.jsonl');
    const path = join(dir, name);
    if (keep.has(runId) || live.has(runId) || outstanding(path).length > 0) continue;
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}
