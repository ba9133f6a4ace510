import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { editDistance } from '../../lib/config/edit-distance.ts';
import { KNOWN_VARIABLES } from '../../lib/config/known-variables.ts';
import { loadConfig } from '../../lib/config/load.ts';
import { errorOf } from './helpers.ts';

const cloud = {
  OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
  OS_USERNAME: 'demo',
  OS_PASSWORD: 'pw-demo-123',
  OS_PROJECT_NAME: 'demo',
  CONFORMANCE_SERVER_ID: '038bc661-1fe7-4f8f-87eb-ca6c1cbfef85',
};

function dir(dotenv?: string): string {
  const path = mkdtempSync(join(tmpdir(), 'nc-variables-'));
  if (dotenv !== undefined) writeFileSync(join(path, '.env'), dotenv);
  return path;
}

describe('unknown CONFORMANCE_* variables', () => {
  test.each([
    ['CONFORMANCE_READONLY', 'CONFORMANCE_READ_ONLY'],
    ['CONFORMANCE_WAIT_TIEMOUT', 'CONFORMANCE_WAIT_TIMEOUT'],
    ['CONFORMANCE_ALT_PASWORD', 'CONFORMANCE_ALT_PASSWORD'],
    ['CONFORMANCE_PROFIL', 'CONFORMANCE_PROFILE'],
    ['CONFORMANCE_REPORTS_DIR', 'CONFORMANCE_REPORT_DIR'],
  ])('%s in the environment is refused, naming %s', (unknown, known) => {
    const error = errorOf({ ...cloud, [unknown]: 'secret-looking-value' });
    expect(error.variable).toBe(unknown);
    expect(error.message).toContain(`the closest one is ${known}`);
    expect(error.message).toContain('in the environment');
    // A misspelt password variable holds a password: the value is never echoed.
    expect(error.message).not.toContain('secret-looking-value');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  test('in .env too, naming the file', () => {
    const cwd = dir('CONFORMANCE_READONLY=1\n');
    const error = errorOf(cloud, cwd);
    expect(error.variable).toBe('CONFORMANCE_READONLY');
    expect(error.message).toContain(join(cwd, '.env'));
    expect(error.message).toContain('CONFORMANCE_READ_ONLY');
  });

  test("the runner's NOVA_CONFORMANCE_* and the mutants' MUTANTS_* are not user settings", () => {
    const config = loadConfig(
      {
        ...cloud,
        NOVA_CONFORMANCE_DEBUG: '1',
        NOVA_CONFORMANCE_RUN_ID: 'r1',
        NOVA_CONFORMANCE_WHATEVER: '',
        MUTANTS_PORT: '1',
      },
      dir(),
    );
    expect(config.target).toBe('cloud');
  });

  test('every setting .env.example documents is known, and every plain setting is documented', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
    const documented = new Set(example.match(/\bCONFORMANCE_[A-Z0-9_]+(?==)/g) ?? []);
    for (const name of documented) expect(KNOWN_VARIABLES, name).toContain(name);
    const plain = KNOWN_VARIABLES.filter((name) => !/^CONFORMANCE_(ALT|READER|ADMIN)_/.test(name));
    for (const name of plain) expect([...documented], name).toContain(name);
  });

  test('edit distance counts a swap of neighbours as one step', () => {
    expect(editDistance('READONLY', 'READ_ONLY')).toBe(1);
    expect(editDistance('TIEMOUT', 'TIMEOUT')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('empty values', () => {
  test('an empty CONFORMANCE_READ_ONLY over .env’s 1 is an error, not a read-write run', () => {
    const cwd = dir('CONFORMANCE_READ_ONLY=1\n');
    // Without the override the run is read-only ...
    expect(loadConfig(cloud, cwd).readOnly).toBe(true);
    // ... and an empty override must not turn that off silently.
    const error = errorOf({ ...cloud, CONFORMANCE_READ_ONLY: '' }, cwd);
    expect(error.variable).toBe('CONFORMANCE_READ_ONLY');
    expect(error.message).toContain('is empty');
  });

  test.each(['', '   '])('an empty CONFORMANCE_* value (%j) in the environment is an error', (value) => {
    const error = errorOf({ ...cloud, CONFORMANCE_WAIT_TIMEOUT: value });
    expect(error.variable).toBe('CONFORMANCE_WAIT_TIMEOUT');
    expect(error.message).toContain('is empty');
  });

  test('an empty CONFORMANCE_* value in .env is an error', () => {
    const error = errorOf(cloud, dir('CONFORMANCE_SERVER_ID=\n'));
    expect(error.variable).toBe('CONFORMANCE_SERVER_ID');
    expect(error.message).toContain('.env) is empty');
  });

  test('an empty OS_* variable counts as unset, as in an openrc (OS_REGION_NAME="")', () => {
    const config = loadConfig({ ...cloud, OS_REGION_NAME: '', OS_CACERT: '', OS_INTERFACE: '' }, dir());
    expect(config.cloud?.regionName).toBeUndefined();
    expect(config.cloud?.interface).toBe('public');
  });

  test('an empty OS_* variable does not hide the value .env or clouds.yaml gives', () => {
    const cwd = dir('OS_REGION_NAME=RegionTwo\n');
    expect(loadConfig({ ...cloud, OS_REGION_NAME: '' }, cwd).cloud?.regionName).toBe('RegionTwo');
  });
});
