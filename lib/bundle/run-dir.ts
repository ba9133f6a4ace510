import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LATEST = 'latest';

/** A run id names a directory: nothing that could leave the report directory or hide in it. */
function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runId) || runId === LATEST || runId === 'journal')
    throw new Error(`run id '${runId}' cannot name a run directory`);
  return runId;
}

/** Writes the files into `<reportDir>/<runId>/` (created, or emptied of an earlier run of that id). */
export function writeRunDir(
  reportDir: string,
  runId: string,
  files: readonly (readonly [string, string])[],
): string[] {
  const dir = join(reportDir, checkRunId(runId));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return files.map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text, 'utf8');
    return path;
  });
}

/**
 * Points `<reportDir>/latest` at the run (a relative link, so the report directory can move),
 * replaced in one rename: a reader sees the old run or the new one, never no link. A `latest`
 * that is not a link (a directory someone made) is left alone.
 */
export function pointLatest(reportDir: string, runId: string): void {
  const latest = join(reportDir, LATEST);
  try {
    if (!lstatSync(latest).isSymbolicLink()) return;
    if (readlinkSync(latest) === runId) return;
  } catch {
    // no latest yet
  }
  const temporary = join(reportDir, `.${LATEST}-${process.pid}`);
  rmSync(temporary, { force: true });
  symlinkSync(checkRunId(runId), temporary);
  renameSync(temporary, latest);
}
