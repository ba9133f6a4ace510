// What `npm run mutants` prints: one row per mutant (verdict, declared and failed behaviours), the
// totals, and one line per mutant that failed a behaviour it does not declare.
import { compareBehaviours } from './precision.ts';
import type { MutantResult, Report } from './runner.ts';

function cut(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** The failed behaviours, else (a kill without one) the first reason the run failed. */
function failedColumn(m: MutantResult): string {
  if (m.failedBehaviours.length > 0) return m.failedBehaviours.join(' ');
  if (m.prerequisiteFailures.length > 0) return `(prerequisite) ${m.prerequisiteFailures[0]?.name ?? ''}`;
  return m.killedBy[0] ?? '';
}

function verdictOf(m: MutantResult): string {
  if (m.verdict !== 'killed') return 'SURVIVED';
  return m.undeclared.length > 0 ? 'IMPRECISE' : 'killed';
}

export function formatTable(report: Report): string {
  const lines: string[] = [];
  const w = { name: 30, declared: 34, verdict: 10, blocked: 7 };
  lines.push(
    `${'mutant'.padEnd(w.name)} ${'declares'.padEnd(w.declared)} ${'verdict'.padEnd(w.verdict)} ` +
      `${'blocked'.padEnd(w.blocked)} failed`,
  );
  lines.push('-'.repeat(w.name + w.declared + w.verdict + w.blocked + 40));
  for (const m of report.mutants)
    lines.push(
      `${cut(m.name, w.name)} ${cut(m.behaviours.join(' '), w.declared)} ${verdictOf(m).padEnd(w.verdict)} ` +
        `${String(m.blocked.length).padEnd(w.blocked)} ${failedColumn(m)}`,
    );
  lines.push('');
  const identity =
    report.identity === undefined
      ? 'not run'
      : `${report.identity.ok ? 'passed' : 'FAILED'} (${report.identity.passed} passed, ${report.identity.skipped} skipped, ${report.identity.failed.length} failed)`;
  lines.push(`identity run (no mutant, all suites): ${identity}`);
  const coverage =
    report.scope === 'all'
      ? 'every suite per mutant'
      : report.bail
        ? "each mutant's own suites, stopped at the first failure"
        : "each mutant's own suites";
  lines.push(`coverage: ${coverage}${report.bail ? '' : ', to the end'}`);
  const total = report.mutants.length;
  const pct = total === 0 ? 0 : Math.round((1000 * report.killed) / total) / 10;
  lines.push(
    `mutants: ${total}, killed ${report.killed}, survived ${report.survived} (${pct}% killed), ` +
      `imprecise ${report.imprecise} in ${report.seconds.toFixed(1)} s against the ${report.target}`,
  );
  return lines.join('\n');
}

/**
 * One line per behaviour a mutant failed without declaring it, naming the first test of that
 * behaviour that failed and why: a cascade to fix in the suites, or a declaration to correct.
 */
export function offenderLines(report: Report): string[] {
  const out: string[] = [];
  for (const m of report.mutants)
    for (const behaviour of m.undeclared) {
      const first = m.failures.find((f) => f.behaviour === behaviour);
      out.push(
        `IMPRECISE ${m.name} failed ${behaviour}, which it does not declare (${m.behaviours.join(', ')}): ` +
          `${first?.name ?? '?'}: ${first?.message ?? ''}`,
      );
    }
  return out;
}

function splitId(id: string): [string, number] {
  const cut = id.lastIndexOf('-');
  return [id.slice(0, cut), Number(id.slice(cut + 1))];
}

/** Behaviour IDs, runs of three or more of one prefix folded: ATTACH-01, -02, -03 → ATTACH-01…03. */
export function foldBehaviours(ids: readonly string[]): string {
  const sorted = [...new Set(ids)].sort(compareBehaviours);
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const [prefix, start] = splitId(sorted[i] ?? '');
    let j = i;
    for (;;) {
      const [p, n] = splitId(sorted[j + 1] ?? '');
      if (j + 1 >= sorted.length || p !== prefix || n !== start + (j + 1 - i)) break;
      j++;
    }
    const run = sorted.slice(i, j + 1);
    out.push(
      run.length >= 3 ? `${run[0] ?? ''}…${(run.at(-1) ?? '').slice(prefix.length + 1)}` : run.join(', '),
    );
    i = j + 1;
  }
  return out.join(', ');
}

/** The precision table of docs/mutants.md, as Markdown, from a report. */
export function formatPrecisionMarkdown(report: Report): string {
  const rows = [
    '| mutant | declares | failed, declared | failed, not declared | blocked | verdict |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of report.mutants) {
    const declared = new Set(m.behaviours);
    const owned = m.failedBehaviours.filter((b) => declared.has(b));
    rows.push(
      `| \`${m.name}\` | ${foldBehaviours(m.behaviours)} | ${foldBehaviours(owned) || '-'} | ` +
        `${foldBehaviours(m.undeclared) || '-'} | ${m.blocked.length} | ${verdictOf(m).toLowerCase()} |`,
    );
  }
  return rows.join('\n');
}
