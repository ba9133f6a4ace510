// Precision: a mutant's run fails `npm run mutants` when it fails a behaviour the mutant does not
// declare; blocked checks and prerequisite failures are listed apart and never count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mutantByName } from '../../lib/mutants/catalogue.ts';
import { classify, compareBehaviours, undeclaredOf, type Classified } from '../../lib/mutants/precision.ts';
import type { MutantEvent } from '../../lib/mutants/reporter.ts';
import { exitCodeOf, REPO_ROOT, runMutants } from '../../lib/mutants/runner.ts';
import { foldBehaviours, formatTable, offenderLines } from '../../lib/mutants/table.ts';
import type { Mutant } from '../../lib/mutants/types.ts';

/** The mutant reporter's lines for the fixture run (test/mutants/fixtures/outcomes.fixture.ts). */
function fixtureEvents(): MutantEvent[] {
  const dir = mkdtempSync(join(tmpdir(), 'mutants-precision-'));
  const file = join(dir, 'events.jsonl');
  try {
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        join(REPO_ROOT, 'test', 'mutants', 'fixtures', 'vitest.config.ts'),
        `--reporter=${join(REPO_ROOT, 'lib', 'mutants', 'reporter.ts')}`,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, MUTANTS_EVENTS: file, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    // The fixture fails on purpose.
    expect(run.status, run.stderr).toBe(1);
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as MutantEvent);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('what a run failed', () => {
  let events: MutantEvent[] = [];
  let seen: Classified = classify([]);
  beforeAll(() => {
    events = fixtureEvents();
    seen = classify(events);
  }, 60_000);

  it('counts only a behaviour test that failed on its own assertion', () => {
    expect(seen.failedBehaviours).toEqual(['DETACH-01']);
    expect(seen.behaviourFailures.map((f) => f.message)).toEqual([
      'detach status: expected 204 to be 202 // Object.is equality',
    ]);
  });

  it('lists blocked checks apart, with the prerequisite that blocked them', () => {
    expect(seen.blocked.map((b) => b.behaviour)).toEqual(['ATTACH-01', 'SHOW-01']);
    for (const b of seen.blocked) expect(b.blockedBy).toEqual(['prerequisite: detach of the set-up port']);
  });

  it('lists failed prerequisites (once), unowned failures and failed hooks apart; a plain skip is nothing', () => {
    expect(seen.prerequisiteFailures.map((f) => [f.name, f.message])).toEqual([
      ['prerequisite: detach of the set-up port', 'answered 204'],
      ['work of the run outside any behaviour', 'the cleanup left a port behind'],
      ['a block whose set-up fails (hook)', 'the server did not boot'],
    ]);
    expect(events.find((e) => e.type === 'end')).toMatchObject({ passed: 1, skipped: 2, blocked: 2 });
  });

  it('finds undeclared behaviours among the failed ones only', () => {
    expect(undeclaredOf(['DETACH-01'], seen.failedBehaviours)).toEqual([]);
    // The blocked ATTACH-01 and SHOW-01 are not the mutant's doing, declared or not.
    expect(undeclaredOf(['DETACH-02'], seen.failedBehaviours)).toEqual(['DETACH-01']);
  });

  it('sorts behaviour IDs by prefix, then by number', () => {
    expect(['LIST-10', 'ATTACH-02', 'LIST-02', 'ATTACH-01'].sort(compareBehaviours)).toEqual([
      'ATTACH-01',
      'ATTACH-02',
      'LIST-02',
      'LIST-10',
    ]);
  });
});

describe('the precision table', () => {
  it('folds runs of three or more behaviours of one prefix', () => {
    expect(
      foldBehaviours(['VALIDATE-03', 'VALIDATE-01', 'VALIDATE-02', 'LIST-01', 'LIST-02', 'LIST-04', 'MV-01']),
    ).toBe('LIST-01, LIST-02, LIST-04, MV-01, VALIDATE-01…03');
  });
});

describe('npm run mutants', () => {
  // quota-as-500 fails QUOTA-01 and nothing else of the quota suite: declared wrongly, it is an
  // offender; declared rightly, it is not.
  const quota = mutantByName('quota-as-500') as Mutant;
  const as = (name: string, behaviours: string[]): Mutant => ({ ...quota, name, behaviours });

  it('fails when a mutant fails a behaviour it does not declare', { timeout: 180_000 }, async () => {
    expect(quota.behaviours).toEqual(['QUOTA-01']);
    const report = await runMutants({
      mutants: [as('quota-declared', ['QUOTA-01']), as('quota-undeclared', ['ATTACH-04'])],
      target: { kind: 'mock' },
      lanes: 2,
      childTimeoutSeconds: 120,
      skipIdentity: true,
      scope: 'own',
      bail: false,
    });
    const [declared, undeclared] = report.mutants;
    expect(declared).toMatchObject({ verdict: 'killed', failedBehaviours: ['QUOTA-01'], undeclared: [] });
    expect(undeclared).toMatchObject({ verdict: 'killed', undeclared: ['QUOTA-01'] });
    expect(report.imprecise).toBe(1);
    expect(exitCodeOf(report, { identityRequired: false })).toBe(1);
    const lines = offenderLines(report);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^IMPRECISE quota-undeclared failed QUOTA-01, which it does not declare/);
    expect(formatTable(report)).toMatch(/quota-undeclared +ATTACH-04 +IMPRECISE/);

    const precise = { ...report, mutants: report.mutants.slice(0, 1), imprecise: 0 };
    expect(exitCodeOf(precise, { identityRequired: false })).toBe(0);
  });
});
