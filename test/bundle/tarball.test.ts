import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { afterAll, expect, test } from 'vitest';
import { packRunDir, unpackBundle } from '../../lib/bundle/tarball.ts';

const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-tarball-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a run directory packs under its run id (through latest) and unpacks to the same bytes', async () => {
  mkdirSync(join(dir, 'reports', 'run-1'), { recursive: true });
  writeFileSync(join(dir, 'reports', 'run-1', 'manifest.json'), '{"x": 1}\n');
  symlinkSync('run-1', join(dir, 'reports', 'latest'));
  await packRunDir(join(dir, 'reports', 'latest'), join(dir, 'run.tar.gz'));
  const unpacked = await unpackBundle(join(dir, 'run.tar.gz'));
  try {
    expect(unpacked.dir.endsWith('run-1')).toBe(true);
    expect(readFileSync(join(unpacked.dir, 'manifest.json'), 'utf8')).toBe('{"x": 1}\n');
  } finally {
    unpacked.remove();
  }
  expect(existsSync(unpacked.dir)).toBe(false);
});

test('a tarball holding a link is refused, and nothing of it is left behind', async () => {
  const src = join(dir, 'evil', 'run-2');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'manifest.json'), '{}\n');
  symlinkSync('/etc/passwd', join(src, 'junit.xml'));
  await create({ gzip: true, file: join(dir, 'evil.tar.gz'), cwd: join(dir, 'evil') }, ['run-2']);
  await expect(unpackBundle(join(dir, 'evil.tar.gz'))).rejects.toThrow(
    /junit\.xml, which is not a file of a bundle/,
  );
});
