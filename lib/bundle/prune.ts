import { existsSync, lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { liveRunIds, pruneJournals } from '../harness/registry.ts';
import { MANIFEST_FILE } from './manifest.ts';
import { LATEST } from './run-dir.ts';

/** Run directories of a report directory (those with a manifest), newest first. */
export function runDirsOf(reportDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(reportDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name !== LATEST && name !== 'journal' && !name.startsWith('.'))
    .filter((name) => {
      const path = join(reportDir, name);
      return lstatSync(path).isDirectory() && existsSync(join(path, MANIFEST_FILE));
    })
    .map((name) => ({ name, at: statSync(join(reportDir, name, MANIFEST_FILE)).mtimeMs }))
    .sort((a, b) => b.at - a.at || b.name.localeCompare(a.name))
    .map((run) => run.name);
}

export interface Pruned {
  readonly runs: readonly string[];
  readonly journals: readonly string[];
}

/**
 * Keeps the `keep` newest run directories (and `current` whatever its age), removes the others
 * with their journals. Never a run in progress on this host (a parallel run into the same report
 * directory), nor a journal that still names something to remove (see pruneJournals).
 */
export function pruneRuns(reportDir: string, keep: number, current: string): Pruned {
  const live = liveRunIds();
  const runs = runDirsOf(reportDir);
  const kept = new Set([current, ...runs.slice(0, keep)]);
  const removed: string[] = [];
  for (const run of runs) {
    if (kept.has(run)) continue;
    if (live.has(run)) {
      kept.add(run);
      continue;
    }
    rmSync(join(reportDir, run), { recursive: true, force: true });
    removed.push(run);
  }
  return { runs: removed, journals: pruneJournals(join(reportDir, 'journal'), kept) };
}
