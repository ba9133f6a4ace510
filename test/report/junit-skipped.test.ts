import { describe, expect, test } from 'vitest';
import { junitXml } from '../../lib/report/junit-xml.ts';
import { totalsOf, type RunReport, type Status, type TestOutcome } from '../../lib/report/model.ts';
import { syntheticOutcome } from '../../lib/report/synthetic.ts';
import { validateJunit } from './helpers.ts';

// A skipped or blocked check says why in the <skipped> element's text (GitLab shows it) and in
// its message (Jenkins shows that), even when the model holds no reason.
function outcome(name: string, status: Status, fields: Partial<TestOutcome> = {}): TestOutcome {
  return {
    ...syntheticOutcome({
      kind: 'test',
      key: `test:list:${name}`,
      scenario: 'list',
      file: 'suites/list.test.ts',
      name,
      status,
      startedAt: undefined,
      failure: undefined,
      blockedChecks: undefined,
      output: '',
    }),
    behaviourId: name.split(' ')[0],
    ...fields,
  };
}

function report(tests: readonly TestOutcome[]): RunReport {
  return {
    runId: 'r1',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    endReason: 'passed',
    verdict: 'PASSED',
    totals: totalsOf(tests, []),
    tests,
    errors: [],
    cleanup: undefined,
    target: {
      kind: 'mock',
      computeEndpoint: undefined,
      authUrl: undefined,
      region: undefined,
      microversions: undefined,
    },
    tool: { name: 'nova-conformance', version: '0', gitCommit: undefined, node: 'v20' },
    product: undefined,
    configuration: {},
  };
}

const skippedOf = (xml: string): string[] => xml.match(/<skipped[^>]*>[^<]*<\/skipped>/g) ?? [];

describe('junit.xml <skipped>', () => {
  test('carries the reason as message and as text, escaped, and validates', async () => {
    const xml = junitXml(
      report([
        outcome('LIST-05 needs an empty server', 'skipped', { reason: 'needs a server <&> "without" ports' }),
        outcome('LIST-06 needs a port', 'blocked', {
          reason: 'blocked by prerequisite: attach a port',
          blockedBy: 'prerequisite: attach a port',
        }),
      ]),
    );
    expect(skippedOf(xml)).toEqual([
      '<skipped message="needs a server &lt;&amp;&gt; &quot;without&quot; ports">needs a server &lt;&amp;&gt; "without" ports</skipped>',
      '<skipped message="blocked by prerequisite: attach a port">blocked by prerequisite: attach a port</skipped>',
    ]);
    await expect(validateJunit(xml)).resolves.toMatchObject({ valid: true });
  });

  test('says so when the model holds no reason, rather than an empty element', async () => {
    const xml = junitXml(
      report([
        outcome('LIST-07 a skip without reason', 'skipped'),
        outcome('LIST-08 blocked, reason lost', 'blocked', { blockedBy: 'prerequisite: detach' }),
        outcome('LIST-09 blocked, nothing known', 'blocked', { reason: '  ' }),
        outcome('LIST-10 left out', 'not-selected'),
      ]),
    );
    expect(skippedOf(xml)).toEqual([
      '<skipped message="skipped (no reason given)">skipped (no reason given)</skipped>',
      '<skipped message="blocked by prerequisite: detach">blocked by prerequisite: detach</skipped>',
      '<skipped message="blocked by a failed prerequisite">blocked by a failed prerequisite</skipped>',
      '<skipped message="not selected">not selected</skipped>',
    ]);
    await expect(validateJunit(xml)).resolves.toMatchObject({ valid: true });
  });
});
