import { expect, test } from 'vitest';
import { loadConfig } from '../../lib/config/load.ts';
import { bootsEarly } from '../../lib/harness/early-boots.ts';

// Which runs ask for the pool's servers before vitest starts: only those that will boot them.

test.each([
  { env: {}, selected: false, early: true, why: 'a whole run' },
  { env: {}, selected: true, early: false, why: 'a selection (it may need no server)' },
  { env: { NOVA_CONFORMANCE_SUITES: 'list' }, selected: false, early: false, why: 'some suite files' },
  { env: { CONFORMANCE_PROFILE: 'read-only' }, selected: false, early: false, why: 'read-only' },
  {
    env: { CONFORMANCE_SERVER_ID: '5f2b4a4e-0d8e-4c47-9d55-0c9d3e2b6f10' },
    selected: false,
    early: false,
    why: 'a configured server',
  },
])('$why: early boots $early', ({ env, selected, early }) => {
  expect(bootsEarly(loadConfig(env), selected, env)).toBe(early);
});
