// `npm run mutants`: mutation testing of the suites through the deviation proxy. Each mutant's run
// covers every suite and goes to the end, so that every behaviour it fails is known; a mutant that
// fails a behaviour it does not declare makes the run fail as surely as one that survives.
//
//   npm run mutants                         # in front of a fresh embedded mock per run (what CI runs)
//   npm run mutants -- --only a,b           # only the named mutants (no identity run with --no-identity)
//   npm run mutants -- --openrc ./openrc    # in front of a real cloud (variables of an openrc file;
//                                           # repeat it to add files, e.g. the second users' variables)
//   npm run mutants -- --cloud              # in front of the cloud the current OS_* variables name
//   npm run mutants -- --list               # print the catalogue
//   npm run mutants -- --all-killers        # only each mutant's own suites, to the end
//   npm run mutants -- --quick              # only each mutant's own suites, stopped at the first failure
//                                           # (a verdict in half the time; precision only in part)
//   npm run mutants -- --precision-table t.md   # also write the precision table (Markdown)
//
// Exit codes: 0 every mutant killed, none failed an undeclared behaviour, and the identity run
// passed; 1 otherwise; 2 bad usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MUTANTS } from '../lib/mutants/catalogue.ts';
import { ensureDir, exitCodeOf, REPO_ROOT, runMutants, type TargetSpec } from '../lib/mutants/runner.ts';
import { formatPrecisionMarkdown, formatTable, offenderLines } from '../lib/mutants/table.ts';
import { parseOpenrc } from '../lib/mutants/openrc.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    // Repeatable: e.g. the devcloud's openrc-demo and conformance.env (the second users).
    openrc: { type: 'string', multiple: true },
    cloud: { type: 'boolean', default: false },
    lanes: { type: 'string' },
    // A run of every suite against a mutant that breaks every clean-up waits out each restore step.
    timeout: { type: 'string', default: '240' },
    'no-identity': { type: 'boolean', default: false },
    'all-killers': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    report: { type: 'string', default: join(REPO_ROOT, 'reports', 'mutants.json') },
    quiet: { type: 'boolean', default: false },
    // Writes the precision table of docs/mutants.md (Markdown) from this run.
    'precision-table': { type: 'string' },
  },
});

if (values.quick && values['all-killers']) {
  console.error('--quick stops at the first failure, --all-killers runs to the end: choose one');
  process.exit(2);
}

if (values.list) {
  for (const m of MUTANTS)
    console.log(
      `${m.name.padEnd(32)} ${m.description} [suites: ${m.suites.join(', ')}; declares: ${m.behaviours.join(', ')}]`,
    );
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
// Precision is measured on the mock, where a run of every suite takes seconds; on a real cloud it
// takes minutes (the identity run alone ~280 s on the devcloud), so there each mutant runs its own
// suites and stops at its first failure unless --all-killers asks for the end.
// Runs against one real cloud share its quota and its networks: one at a time there. On the mock a
// run waits (mock delays, polling) most of its time: on 2 cores 4 lanes took the catalogue from 5:06
// (3 lanes) to 3:44 with the same verdicts, the load staying near 3.
const lanes = Number(values.lanes ?? (target.kind === 'mock' ? 4 : 1));

const report = await runMutants({
  mutants,
  target,
  lanes,
  childTimeoutSeconds: Number(values.timeout),
  skipIdentity: values['no-identity'],
  scope: values.quick || values['all-killers'] || target.kind === 'cloud' ? 'own' : 'all',
  bail: values.quick || (target.kind === 'cloud' && !values['all-killers']),
  log: values.quiet ? () => {} : (line) => console.error(line),
});

ensureDir(join(values.report, '..'));
writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(report));
console.log(`report: ${values.report}`);
if (values['precision-table'] !== undefined) {
  writeFileSync(values['precision-table'], `${formatPrecisionMarkdown(report)}\n`);
  console.log(`precision table: ${values['precision-table']}`);
}
for (const line of offenderLines(report)) console.log(line);
process.exit(exitCodeOf(report, { identityRequired: !values['no-identity'] }));
