import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { tempDir } from '../safety/helpers.ts';

// A cloud run that could not start (a configuration error, exit 2) measured nothing: the bench
// says so and exits 2, rather than writing a table of zeros with its targets "met".

test('a cloud run that could not start leaves the bench with exit 2 and no figures', async () => {
  const dir = tempDir('bench-unmeasured');
  try {
    const openrc = join(dir.path, 'openrc');
    // An alternate user without its password: the run stops at its configuration.
    writeFileSync(
      openrc,
      [
        'export OS_AUTH_URL=http://127.0.0.1:9/v3',
        'export OS_USERNAME=demo',
        'export OS_PASSWORD=demo-pass',
        'export OS_PROJECT_NAME=demo',
        'export CONFORMANCE_ALT_USERNAME=alt',
        '',
      ].join('\n'),
    );
    const out = join(dir.path, 'bench.json');
    const ran = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'lib/bench/main.ts', '--parts', '2', '--openrc', openrc, '--out', out],
      { encoding: 'utf8' },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/the cloud run ended with exit code 2, so it measured nothing/);
    expect(ran.stderr).toContain('CONFORMANCE_ALT_PASSWORD');
    expect(existsSync(out)).toBe(false);
  } finally {
    dir.remove();
  }
});
