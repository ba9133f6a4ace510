import { mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { create, extract } from 'tar';
import { MANIFEST_FILE } from './manifest.ts';

/** Larger than any bundle a run writes (a few MiB); a bigger entry is not one of its files. */
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

/** Packs a run directory (through `latest` too) as `<run id>/...` in a gzipped tarball. */
export async function packRunDir(dir: string, file: string): Promise<void> {
  const real = realpathSync(dir);
  await create({ gzip: true, file, cwd: dirname(real), portable: true, noDirRecurse: false }, [
    basename(real),
  ]);
}

export interface Unpacked {
  /** The run directory inside the temporary folder. */
  readonly dir: string;
  readonly remove: () => void;
}

/**
 * Unpacks a bundle tarball into a temporary folder: regular files and folders only (no links, no
 * devices), no absolute or `..` paths (tar's default), no entry larger than a bundle can hold.
 * The run directory is the folder holding manifest.json (the top one, or the one below it).
 */
export async function unpackBundle(file: string): Promise<Unpacked> {
  const into = mkdtempSync(join(tmpdir(), 'nova-conformance-verify-'));
  const remove = (): void => rmSync(into, { recursive: true, force: true });
  try {
    let refused: string | undefined;
    await extract({
      file,
      cwd: into,
      strict: true,
      filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : undefined;
        const size = 'size' in entry && typeof entry.size === 'number' ? entry.size : 0;
        if ((type !== 'File' && type !== 'Directory') || size > MAX_ENTRY_BYTES) {
          refused ??= path;
          return false;
        }
        return true;
      },
    });
    if (refused !== undefined)
      throw new Error(`the tarball holds ${refused}, which is not a file of a bundle`);
    const top = readdirSync(into);
    const dir =
      top.length === 1 && top[0] !== undefined && statSync(join(into, top[0])).isDirectory()
        ? join(into, top[0])
        : into;
    if (!top.includes(MANIFEST_FILE) && dir === into) throw new Error('the tarball holds no run directory');
    return { dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
