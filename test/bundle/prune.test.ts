import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { pruneRuns, runDirsOf } from '../../lib/bundle/prune.ts';
import { pointLatest, writeRunDir } from '../../lib/bundle/run-dir.ts';
import { releaseRunLock, writeRunLock } from '../../lib/harness/registry.ts';

let dir: string;
let locks: string;
const before = process.env['NOVA_CONFORMANCE_LOCK_DIR'];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nova-conformance-prune-'));
  locks = mkdtempSync(join(tmpdir(), 'nova-conformance-locks-'));
  process.env['NOVA_CONFORMANCE_LOCK_DIR'] = locks;
});

afterEach(() => {
  if (before === undefined) delete process.env['NOVA_CONFORMANCE_LOCK_DIR'];
  else process.env['NOVA_CONFORMANCE_LOCK_DIR'] = before;
  rmSync(dir, { recursive: true, force: true });
  rmSync(locks, { recursive: true, force: true });
});

/** A finished run `n` minutes old, with a drained journal (created, then gone). */
function oldRun(id: string, minutes: number, journal: 'drained' | 'undrained' = 'drained'): void {
  writeRunDir(dir, id, [['manifest.json', '{}\n']]);
  const at = new Date(Date.now() - minutes * 60_000);
  utimesSync(join(dir, id, 'manifest.json'), at, at);
  mkdirSync(join(dir, 'journal'), { recursive: true });
  const lines = [{ event: 'created', kind: 'port', name: `p-${id}`, id: 'x' }];
  if (journal === 'drained') lines.push({ event: 'gone', kind: 'port', name: `p-${id}`, id: 'x' });
  writeFileSync(join(dir, 'journal', `${id}.jsonl`), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

const journal = (id: string): string => join(dir, 'journal', `${id}.jsonl`);

describe('pruning the report directory', () => {
  test('keeps the N newest runs with their journals, and removes the others with theirs', () => {
    for (let i = 1; i <= 5; i += 1) oldRun(`run-${i}`, 10 - i); // run-5 is the newest
    const pruned = pruneRuns(dir, 3, 'run-5');
    expect(runDirsOf(dir)).toEqual(['run-5', 'run-4', 'run-3']);
    expect(pruned.runs.slice().sort()).toEqual(['run-1', 'run-2']);
    expect(['run-1', 'run-2'].map((id) => existsSync(journal(id)))).toEqual([false, false]);
    expect(['run-3', 'run-4', 'run-5'].map((id) => existsSync(journal(id)))).toEqual([true, true, true]);
  });

  test('never the journal of a run in progress, nor one that still names something to remove', () => {
    oldRun('done', 30);
    oldRun('left-something', 20, 'undrained');
    oldRun('current', 0);
    // A run in progress on this host (this process holds its lock) with only its journal so far.
    writeFileSync(journal('live'), `${JSON.stringify({ event: 'creating', kind: 'port', name: 'p' })}\n`);
    writeRunLock(journal('live'), 'live');
    try {
      pruneRuns(dir, 1, 'current');
      expect(existsSync(journal('live'))).toBe(true);
      expect(existsSync(journal('left-something'))).toBe(true);
      expect(existsSync(journal('done'))).toBe(false);
      expect(runDirsOf(dir)).toEqual(['current']);
    } finally {
      releaseRunLock('live');
    }
  });

  test('never the run directory of a run in progress (a parallel run into the same directory)', () => {
    oldRun('parallel', 30);
    oldRun('current', 0);
    writeRunLock(journal('parallel'), 'parallel');
    try {
      pruneRuns(dir, 1, 'current');
      expect(runDirsOf(dir).sort()).toEqual(['current', 'parallel']);
    } finally {
      releaseRunLock('parallel');
    }
  });

  test('latest is a relative link, replaced by the next run', () => {
    oldRun('first', 1);
    pointLatest(dir, 'first');
    expect(readlinkSync(join(dir, 'latest'))).toBe('first');
    oldRun('second', 0);
    pointLatest(dir, 'second');
    expect(readlinkSync(join(dir, 'latest'))).toBe('second');
    expect(runDirsOf(dir)).toEqual(['second', 'first']);
  });

  test('a run id that would leave the report directory is refused', () => {
    expect(() => writeRunDir(dir, '../elsewhere', [])).toThrow(/cannot name a run directory/);
    expect(() => writeRunDir(dir, 'latest', [])).toThrow(/cannot name a run directory/);
  });
});
