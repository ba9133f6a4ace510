import {
  familyOf,
  LEVELS,
  RELEASE_NAMES,
  RELEASES,
  TAGS,
  type BehaviourEntry,
  type Level,
} from './registry.ts';

/**
 * docs/behaviours.md, rendered from the registry (scripts/behaviours-doc.ts writes it, formatted
 * as the repository's prettier formats Markdown; test/behaviours/docs.test.ts fails when it is stale).
 */
const LEVEL_TEXT: Readonly<Record<Level, string>> = {
  required:
    "fixed by Nova's API on every deployment and release the suite knows; a cloud that deviates is not conformant.",
  advisory:
    "depends on the cloud's set-up (policy defaults, network layout, a legacy endpoint) or on the release " +
    '(a newer microversion, a known upstream defect, a fault only a hypervisor can raise). Its checks skip, ' +
    'or report a known upstream defect, where the set-up or release explains the answer.',
};

const PREAMBLE = `# Behaviours the suites check

<!-- Generated from suites/behaviours.yaml by \`npm run docs:behaviours\`: edit the registry, not this file. -->

Each entry is one behaviour of real Nova for the os-interface API, with the status and body it must produce.
Its ID starts the name of the test(s) that check it and goes into the reports. The facts and their sources are
in [nova-os-interface.md](nova-os-interface.md); the recorded exchanges of real Nova cited as "record N" are in
\`test/fixtures/real-nova/\`. Where this list and real Nova disagree, real Nova is right: fix the entry in
\`suites/behaviours.yaml\` and regenerate this file.

Notation: \`V\` = microversion header value; "fault(S,key)" = status S, a JSON body with exactly one top-level key
\`key\` whose value has integer \`code\` == S and string \`message\`. Items that need a particular cloud set-up say
so: the suite skips them with that reason when the set-up is absent.

Where Nova's API reference disagrees with real Nova: detaching a port that is not attached answers 202, not 404;
409 bodies use the key \`conflictingRequest\`; create answers 200, not 201 or 202.`;

function levels(): string {
  const lines = LEVELS.map((level) => `- \`${level}\`: ${LEVEL_TEXT[level]}`);
  return `## Levels, tags and releases

Every behaviour has a level:

${lines.join('\n')}

The level does not change the verdict: a failed check fails the run whatever its behaviour's level, and a
skip or a known upstream defect never does. It says which behaviours a cloud may lack for a reason of its
own; \`nova-conformance run --exclude level:advisory\` runs the required ones alone.

Tags say what a behaviour's checks need or do; \`run --include tag:<tag>\` and \`--exclude tag:<tag>\` select
by them. A behaviour carries a tag when any of its checks does (\`read-only\`: when all of them only read):

${Object.entries(TAGS)
  .map(([tag, text]) => `- \`${tag}\`: ${text}`)
  .join('\n')}

"Observed on" names the releases of real Nova whose devcloud answered the behaviour as described:
${RELEASES.map((r) => RELEASE_NAMES[r]).join(', ')}.`;
}

function entry(b: BehaviourEntry): string {
  const observed =
    b.releases.length === 0 ? 'not observed on a real cloud' : `observed on Nova ${b.releases.join(', ')}`;
  const tags = b.tags.length === 0 ? 'no tags' : `tags ${b.tags.map((t) => `\`${t}\``).join(', ')}`;
  const facts = [
    `  _${b.title}._ Scenario \`${b.scenario}\`, ${b.level}, ${observed}, ${tags}.`,
    ...b.notes.map((n) => `  - ${n}`),
  ];
  return `- **${b.id}** ${b.expects.trim()}\n${facts.join('\n')}`;
}

export function behavioursDoc(registry: readonly BehaviourEntry[]): string {
  const families: string[] = [];
  for (const b of registry) if (!families.includes(familyOf(b.id))) families.push(familyOf(b.id));
  const sections = families.map((family) => {
    const members = registry.filter((b) => familyOf(b.id) === family);
    return `## ${family}\n\n${members.map(entry).join('\n')}`;
  });
  return `${[PREAMBLE, levels(), ...sections].join('\n\n')}\n`;
}
