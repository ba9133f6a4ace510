// `npm run mutants`: mutation testing of the suites through the deviation proxy.
//
//   npm run mutants                         # in front of a fresh embedded mock per run
//   npm run mutants -- --only a,b           # only the named mutants (no identity run with --no-identity)
//   npm run mutants -- --openrc ./openrc    # in front of a real cloud (variables of an openrc file;
//                                           # repeat it to add files, e.g. the second users' variables)
//   npm run mutants -- --cloud              # in front of the cloud the current OS_* variables name
//   npm run mutants -- --list               # print the catalogue
//   npm run mutants -- --all-killers        # no bail: record every test that notices each mutant
//
// Exit codes: 0 every mutant killed and the identity run passed; 1 a mutant survived or the
// identity run failed; 2 bad usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MUTANTS } from '../lib/mutants/catalogue.ts';
import { ensureDir, REPO_ROOT, runMutants, type TargetSpec } from '../lib/mutants/runner.ts';
import { formatTable } from '../lib/mutants/table.ts';
import { parseOpenrc } from '../lib/mutants/openrc.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    // Repeatable: e.g. the devcloud's openrc-demo and conformance.env (the second users).
    openrc: { type: 'string', multiple: true },
    cloud: { type: 'boolean', default: false },
    lanes: { type: 'string' },
    timeout: { type: 'string', default: '90' },
    'no-identity': { type: 'boolean', default: false },
    'all-killers': { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    report: { type: 'string', default: join(REPO_ROOT, 'reports', 'mutants.json') },
    quiet: { type: 'boolean', default: false },
  },
});

if (values.list) {
  for (const m of MUTANTS) console.log(`${m.name.padEnd(32)} ${m.description} [${m.suites.join(', ')}]`);
  process.exit(0);
}

const wanted = values.only?.split(',').map((s) => s.trim()) ?? [];
const unknown = wanted.filter((n) => !MUTANTS.some((m) => m.name === n));
if (unknown.length > 0) {
  console.error(`unknown mutant(s): ${unknown.join(', ')} (see --list)`);
  process.exit(2);
}
const mutants = wanted.length === 0 ? MUTANTS : MUTANTS.filter((m) => wanted.includes(m.name));

let target: TargetSpec = { kind: 'mock' };
if (values.openrc !== undefined) {
  const env: Record<string, string> = {};
  for (const file of values.openrc) Object.assign(env, parseOpenrc(readFileSync(file, 'utf8')));
  target = { kind: 'cloud', env };
} else if (values.cloud) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (k.startsWith('OS_') || k.startsWith('CONFORMANCE_'))) env[k] = v;
  target = { kind: 'cloud', env };
}
// Runs against one real cloud share its quota and its networks: one at a time there. On the mock a
// run waits (mock delays, polling) about half of its time, so 3 lanes keep 2 cores busy.
const lanes = Number(values.lanes ?? (target.kind === 'mock' ? 3 : 1));

const report = await runMutants({
  mutants,
  target,
  lanes,
  childTimeoutSeconds: Number(values.timeout),
  skipIdentity: values['no-identity'],
  allKillers: values['all-killers'],
  log: values.quiet ? () => {} : (line) => console.error(line),
});

ensureDir(join(values.report, '..'));
writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(report));
console.log(`report: ${values.report}`);
const identityOk = report.identity?.ok ?? values['no-identity'];
process.exit(report.survived === 0 && identityOk ? 0 : 1);
